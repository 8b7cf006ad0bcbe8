"""``factwatch``: one command line for the whole flow.

Each command group lives in its own module with a ``register(app)`` function; add the module to
``GROUPS`` to expose it.  The global ``--db`` option (path or URL; default ``$FACTWATCH_DB`` or
``./factwatch.db``) is read by every command through ``open_store``.
"""

from __future__ import annotations

import importlib
import sys
from typing import Annotated

import typer

from factwatch.cli._io import EXIT_USAGE, err_console

app = typer.Typer(
    name="factwatch",
    help="Monitor misinformation and answer it with evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Modules under factwatch.cli that define register(app).
GROUPS = [
    "core",  # init
    "factchecks",  # factchecks import|list
    "ingest",  # ingest, items list
    "pipeline",  # analyze
    "match",  # match
    "cases",  # cases list
    "classify",  # classify checkworthy|clickbait, train clickbait
    "entities",  # entities import, lookalikes, accounts check
    "campaigns",  # campaigns, spread
    "media",  # media ocr|hash|match
    "report",  # report, report impersonation
    "serve",  # serve
    "users",  # users add
    "watch",  # watch, status
    "worker",  # worker, backfill
    "bench",  # bench retrieval|...
]

_state: dict[str, str | None] = {"db": None}


@app.callback()
def _root(
    db: Annotated[
        str | None,
        typer.Option(
            "--db", envvar="FACTWATCH_DB", help="Database path or URL (default ./factwatch.db)."
        ),
    ] = None,
) -> None:
    _state["db"] = db


def db_option() -> str | None:
    return _state["db"]


def open_store():  # type: ignore[no-untyped-def]
    from factwatch.store import Store

    try:
        return Store.open(_state["db"])
    except Exception as exc:  # noqa: BLE001 - one clear sentence instead of a traceback
        err_console.print(f"error: cannot open database {_state['db'] or 'factwatch.db'}: {exc}")
        raise SystemExit(EXIT_USAGE) from exc


for _name in GROUPS:
    importlib.import_module(f"factwatch.cli.{_name}").register(app)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    # Run through the imported module so that the commands see the same --db state.
    from factwatch.cli.main import main as _main

    _main()
