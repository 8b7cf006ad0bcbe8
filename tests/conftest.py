"""Shared fixtures: a fresh database per test, the CLI runner, the project's test data."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "test.db")


PG_ADMIN = os.environ.get("FACTWATCH_TEST_PG", "host=127.0.0.1 port=5432 dbname=test user=postgres")


def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001
        return False


PG_OK = _pg_available()
if os.environ.get("CI") and not PG_OK and os.environ.get("FACTWATCH_REQUIRE_PG", "1") == "1":
    raise RuntimeError(
        f"PostgreSQL is not reachable at {PG_ADMIN}: CI runs the storage suite on it"
    )


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    if not PG_OK:
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN}")
    import psycopg

    schema = f"fw_{uuid.uuid4().hex[:12]}"
    params = dict(kv.split("=", 1) for kv in PG_ADMIN.split())
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    yield (
        f"postgresql://{params.get('user', 'postgres')}@{params.get('host', '127.0.0.1')}:{params.get('port', '5432')}"
        f"/{params.get('dbname', 'test')}?options=-csearch_path%3D{schema}"
    )
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, db_path: str) -> str:
    """The storage suite runs against both backends."""
    if request.param == "sqlite":
        return db_path
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(store_url: str):  # type: ignore[no-untyped-def]
    from factwatch.store import Store

    s = Store.open(store_url)
    yield s
    s.close()


@pytest.fixture
def cli(db_path: str):  # type: ignore[no-untyped-def]
    """Run ``factwatch --db <tmp> ARGS``; returns the click Result (stdout, stderr, exit_code)."""
    from typer.testing import CliRunner

    from factwatch.cli.main import app

    runner = CliRunner()

    def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(app, ["--db", db_path, *args], input=input, catch_exceptions=False)

    return run
