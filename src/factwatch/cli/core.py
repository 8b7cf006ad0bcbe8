"""``factwatch init``."""

from __future__ import annotations

import typer

from factwatch.cli._io import err_console


def register(app: typer.Typer) -> None:
    @app.command()
    def init() -> None:
        """Create (or upgrade) the database."""
        from factwatch.cli.main import open_store

        store = open_store()
        err_console.print(
            f"database ready: {store.engine.url.render_as_string(hide_password=True)}"
        )
        store.close()
