"""``factwatch users add NAME --role admin|editor|reviewer|viewer`` and ``users list``.

The password comes from ``$FACTWATCH_PASSWORD`` or the first line of standard input (never from
the command line, where other users of the machine could read it).
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from factwatch.cli._io import EXIT_USAGE, JsonlWriter, err_console


def register(app: typer.Typer) -> None:
    users = typer.Typer(help="Accounts of the web app.", no_args_is_help=True)

    @users.command("add")
    def add(
        name: Annotated[str, typer.Argument(help="User name (sign-in name).")],
        role: Annotated[
            str, typer.Option("--role", help="admin | editor | reviewer | viewer")
        ] = "reviewer",
    ) -> None:
        """Add a user, or change the role and password of an existing one (signs them out)."""
        from factwatch.cli.main import open_store
        from factwatch.store import review as rv

        if role not in rv.ROLES:
            err_console.print(f"error: --role must be one of {', '.join(rv.ROLES)}, not {role!r}")
            raise SystemExit(EXIT_USAGE)
        password = os.environ.get("FACTWATCH_PASSWORD")
        if password is None:
            if sys.stdin.isatty():
                import getpass

                password = getpass.getpass(f"password for {name}: ")
            else:
                password = sys.stdin.readline().rstrip("\r\n")
        store = open_store()
        try:
            uid = rv.add_user(store, name, role, password)
        except rv.ReviewError as exc:
            err_console.print(f"error: {exc}")
            raise SystemExit(EXIT_USAGE) from exc
        finally:
            store.close()
        err_console.print(f"user {name} ({role}) saved, id {uid}")

    @users.command("list")
    def list_(
        output: Annotated[
            str | None, typer.Option("--output", help="File (default stdout).")
        ] = None,
    ) -> None:
        """Users as JSON lines (name, role, created_at); never the password hashes."""
        from sqlalchemy import select

        from factwatch.cli.main import open_store
        from factwatch.store.schema_review import users as users_t

        store = open_store()
        with store.engine.connect() as conn, JsonlWriter(output) as w:
            for r in conn.execute(
                select(users_t.c.name, users_t.c.role, users_t.c.created_at).order_by(users_t.c.id)
            ):
                w.write({"id": r.name, "name": r.name, "role": r.role, "created_at": r.created_at})
        store.close()

    app.add_typer(users, name="users")
