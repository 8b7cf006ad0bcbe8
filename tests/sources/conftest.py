from __future__ import annotations

from pathlib import Path

import pytest

from factwatch.cli._io import Rejections

DATA = Path(__file__).resolve().parents[1] / "data" / "sources"


@pytest.fixture
def data() -> Path:
    return DATA


@pytest.fixture
def rej() -> Rejections:
    return Rejections(quiet=True)
