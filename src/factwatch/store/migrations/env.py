"""Alembic environment: runs against the connection the Store hands over."""

from __future__ import annotations

from alembic import context

from factwatch.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - plain `alembic` CLI use
    from sqlalchemy import create_engine

    connection = create_engine(context.config.get_main_option("sqlalchemy.url") or "").connect()

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
