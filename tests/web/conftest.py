"""Fixtures of the web app tests: the app over the shared temporary ``store``, users of every
role, and signed-in TestClients."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from web_support import PASSWORD, ROLES, SETTINGS, Session, login, seed

from factwatch.store import Store
from factwatch.store import review as rv
from factwatch.web.app import create_app


@pytest.fixture()
def app(store: Store):  # type: ignore[no-untyped-def]
    return create_app(store=store, settings=SETTINGS)


@pytest.fixture()
def cases(store: Store) -> dict[str, int]:
    return seed(store)


@pytest.fixture()
def users(store: Store) -> dict[str, str]:
    for role in ROLES:
        rv.add_user(store, role, role, PASSWORD)
    return {r: r for r in ROLES}


@pytest.fixture()
def signed_in(app, users):  # type: ignore[no-untyped-def]
    """signed_in(role) -> Session with its own cookie jar."""
    made: list[TestClient] = []

    def make(role: str) -> Session:
        c = TestClient(app)
        made.append(c)
        return Session(c, login(c, role))

    yield make
    for c in made:
        c.close()


@pytest.fixture(autouse=True)
def _fast_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters in tests (production keeps argon2-cffi's defaults)."""
    from argon2 import PasswordHasher

    monkeypatch.setattr(rv, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives Debian's headless Chromium with Playwright")
