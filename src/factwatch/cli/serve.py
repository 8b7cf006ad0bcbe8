"""``factwatch serve [--host HOST] [--port PORT]``: the newsroom web app (uvicorn)."""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
        workers: Annotated[int, typer.Option("--workers", help="Worker processes.")] = 1,
    ) -> None:
        """Serve the review queue, case pages, dashboard, public fact-checks, feed and API.

        Settings from the environment: FACTWATCH_PUBLIC_URL (base of public links),
        FACTWATCH_PUBLISHER (organisation name), FACTWATCH_RATINGS (comma-separated scale),
        FACTWATCH_SECURE_COOKIES=1 (behind HTTPS).
        """
        import os

        import uvicorn

        from factwatch.cli.main import db_option, open_store

        open_store().close()  # migrate once and fail early with a clear message
        if db_option():
            os.environ["FACTWATCH_DB"] = db_option() or ""
        uvicorn.run(
            "factwatch.web.asgi:app",
            host=host,
            port=port,
            workers=workers,
            proxy_headers=False,
            server_header=False,
            log_level="info",
        )
