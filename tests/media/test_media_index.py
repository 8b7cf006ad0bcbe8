"""Multi-index hashing returns exactly what a linear scan returns, while probing few hashes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factwatch.media.index import HammingIndex


def _flip(rng: np.random.Generator, words: np.ndarray, nbits: int, k: int) -> np.ndarray:
    out = words.copy()
    for b in rng.choice(nbits, size=k, replace=False):
        w, bit = divmod(int(b), 64)
        out[w] ^= np.uint64(1) << np.uint64(63 - bit)
    return out


@pytest.mark.parametrize(("nbits", "radius"), [(256, 31), (256, 47), (64, 8), (64, 11), (256, 90)])
def test_same_answers_as_linear_scan(nbits: int, radius: int) -> None:
    rng = np.random.default_rng(nbits + radius)
    words = nbits // 64
    base = rng.integers(0, 2**63, size=(5000, words), dtype=np.uint64) * np.uint64(
        2
    ) + rng.integers(0, 2, size=(5000, words), dtype=np.uint64)
    idx = HammingIndex(nbits)
    idx.add(base, np.arange(5000) + 100)
    planted = []
    for k, d in enumerate([0, radius // 2, radius, radius + 1]):
        q = _flip(rng, base[k], nbits, d)
        planted.append((q, k + 100, d))
    for q, rid, d in planted:
        got = idx.query(q, radius)
        assert got == idx.linear_query(q, radius)
        assert ((rid, d) in got) == (d <= radius)
        assert [g[1] for g in got] == sorted(g[1] for g in got)


def test_probing_checks_few_candidates() -> None:
    rng = np.random.default_rng(0)
    n = 200_000
    idx = HammingIndex(256)
    idx.add(rng.integers(0, 2**64 - 1, size=(n, 4), dtype=np.uint64, endpoint=True), np.arange(n))
    idx.build()
    q = rng.integers(0, 2**64 - 1, size=4, dtype=np.uint64, endpoint=True)
    cands = idx._candidates(q, 1)
    assert len(cands) < n // 50  # radius 1 on 16 chunks: ~16*17*n/65536 candidates


def test_persistence_and_incremental_adds() -> None:
    idx = HammingIndex(64)
    idx.add_hex(["00" * 8, "ff" * 8], [1, 2])
    assert idx.query_hex("00" * 7 + "03", 2) == [(1, 2)]
    idx.add_hex(["00" * 7 + "01"], [3])
    assert idx.query_hex("00" * 8, 1) == [(1, 0), (3, 1)]
    again = HammingIndex.from_bytes(idx.to_bytes())
    assert len(again) == 3
    assert again.query_hex("ff" * 8, 0) == [(2, 0)]
    assert HammingIndex(64).query_hex("00" * 8, 5) == []


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=2**64 - 1), min_size=1, max_size=60),
    st.integers(min_value=0, max_value=2**64 - 1),
    st.integers(min_value=0, max_value=20),
)
def test_property_matches_brute_force(values: list[int], query: int, radius: int) -> None:
    idx = HammingIndex(64)
    idx.add(np.asarray(values, dtype=np.uint64)[:, None], list(range(len(values))))
    expected = sorted(
        (
            (i, (v ^ query).bit_count())
            for i, v in enumerate(values)
            if (v ^ query).bit_count() <= radius
        ),
        key=lambda t: (t[1], t[0]),
    )
    assert idx.query(np.asarray([query], dtype=np.uint64), radius) == expected
