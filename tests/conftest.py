"""Shared fixtures: a fresh database per test, the CLI runner, the project's test data."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "test.db")


@pytest.fixture
def store(db_path: str):  # type: ignore[no-untyped-def]
    from factwatch.store import Store

    s = Store.open(db_path)
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
