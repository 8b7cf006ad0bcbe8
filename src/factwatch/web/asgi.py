"""ASGI entry point for ``uvicorn factwatch.web.asgi:app`` (database from ``$FACTWATCH_DB``)."""

from __future__ import annotations

from factwatch.web.app import create_app

app = create_app()
