"""Registry used by the impersonation tests: 36 real organisations (vi/fr/en)."""

from __future__ import annotations

from pathlib import Path

import pytest

from factwatch.cli._io import Rejections
from factwatch.models import Entity
from factwatch.sources.entities import read_entities

DATA = Path(__file__).parent.parent / "data" / "impersonation"


@pytest.fixture(scope="session")
def entities() -> list[Entity]:
    rej = Rejections(quiet=True)
    ents = list(read_entities(str(DATA / "registry.yaml"), rej))
    assert not rej.items
    return ents
