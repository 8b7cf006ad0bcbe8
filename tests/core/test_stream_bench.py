"""The stream benchmark's building blocks (bench/stream.py), on data written for the test."""

from __future__ import annotations

import numpy as np

from factwatch.bench.stream import half, synthetic_base
from factwatch.models import FactCheck


def test_synthetic_base_expands_real_factchecks_deterministically() -> None:
    rng = np.random.default_rng(3)
    real = [
        FactCheck(id=f"r{i}", claim=f"claim number {i} about the mayor and the river flood {i}")
        for i in range(6)
    ]
    vecs = rng.standard_normal((6, 384)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    fcs, out = synthetic_base(real, vecs, 60)
    assert len(fcs) == len(out) == 60 and fcs[:6] == real
    assert np.allclose(out[:6], vecs) and np.allclose(np.linalg.norm(out, axis=1), 1, atol=1e-5)
    # each synthetic fact-check stays nearest to the real one it was drawn from, words and vector
    sims = out[6:] @ vecs.T
    assert (sims.max(axis=1) > 0.85).all() and (np.sort(sims, axis=1)[:, -2] < 0.5).all()
    src = sims.argmax(axis=1)
    for fc, s in zip(fcs[6:], src, strict=True):
        assert set(fc.claim.split()) <= set(real[s].claim.split())
    again, out2 = synthetic_base(real, vecs, 60)
    assert [f.claim for f in again] == [f.claim for f in fcs] and np.array_equal(out, out2)
    assert synthetic_base(real, vecs, 4)[0] == real  # never fewer than the real ones


def test_half_is_a_stable_even_split() -> None:
    keys = [f"stop-clickbait:cb-{i}" for i in range(2000)]
    parts = [half(k) for k in keys]
    assert parts == [half(k) for k in keys]
    assert set(parts) == {"train", "stream"}
    assert 0.45 < parts.count("train") / len(parts) < 0.55
