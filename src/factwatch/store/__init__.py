"""The one storage module.  Everything persistent goes through ``Store``.

SQLite (WAL) is the embedded default; a ``postgresql://`` URL selects PostgreSQL.  The schema is
managed by Alembic migrations (``migrations/``), applied by ``Store.open`` (and ``factwatch init``).
"""

from factwatch.store.core import Store, UpsertResult, resolve_db_url

__all__ = ["Store", "UpsertResult", "resolve_db_url"]
