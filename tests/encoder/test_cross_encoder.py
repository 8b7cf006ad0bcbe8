"""The claim-matching cross-encoder: pair layout, FastE5's pre-tokenised path, the file format,
and (with torch) that the run-time scores are the trained tower's."""

from __future__ import annotations

import numpy as np
import pytest

from factwatch.encoder import FastE5
from factwatch.encoder.cross import (
    MAX_FACTCHECK,
    MAX_POST,
    CrossConfig,
    CrossEncoder,
    CrossModel,
    pair_ids,
)
from factwatch.encoder.fast import QUERY_PREFIX

# Written for this test (not from a benchmark split).
FACTCHECKS = [
    "Drinking hot water with lemon every morning cures cancer.",
    "The mayor of Springfield banned bicycles on all city streets.",
    "A new law makes it illegal to collect rainwater in Oregon.",
    "Eating garlic protects you from catching the flu virus.",
]
POSTS = [
    ("hot lemon water every morning will cure your cancer, share this!", 0),
    ("Springfield's mayor just banned bikes from every street in town", 1),
    ("Oregon now jails people for collecting the rain that falls on their roof", 2),
    ("garlic = no flu. eat it every day", 3),
]


@pytest.fixture(scope="module")
def enc() -> FastE5:
    return FastE5(backend="numpy")


def test_pair_layout_and_bounds(enc: FastE5) -> None:
    ids = pair_ids(enc, "short post", "a fact-check claim")
    eos = enc.weights.eos
    sep = [i for i in range(len(ids) - 1) if ids[i] == ids[i + 1] == eos]
    assert len(sep) == 1, "one </s></s> between the two texts"
    assert ids[: sep[0]] == enc.tokenizer.content_ids(QUERY_PREFIX + "short post")
    long_post, long_fc = "word " * 500, "claim " * 500
    ids = pair_ids(enc, long_post, long_fc)
    assert len(ids) == MAX_POST + 2 + MAX_FACTCHECK
    # hostile text: control characters and markup are just text
    ids = pair_ids(enc, "<script>\x00\u202e</script>", "\ufeff" * 3)
    assert all(isinstance(i, int) for i in ids)


def test_encode_ids_is_the_text_path(enc: FastE5) -> None:
    texts = [p for p, _ in POSTS]
    ids = [enc.tokenizer.content_ids(QUERY_PREFIX + t) for t in texts]
    got = enc.encode_ids(ids)
    want = enc.query(texts)
    assert np.allclose(got, want, atol=1e-5)
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert enc.encode_ids([]).shape == (0, enc.dim)
    with pytest.raises(ValueError, match="tokens"):
        enc.encode_ids([[5] * 600])


def test_file_round_trip_and_rejects_other_files(tmp_path, enc: FastE5) -> None:  # type: ignore[no-untyped-def]
    from factwatch.encoder.adapter import save_adapter

    class Tower:  # the updates of a tower with one zero update: scores = plain e5 + head
        def updates(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
            return {"l0.q.w": (np.zeros((2, 384), np.float32), np.zeros((384, 2), np.float32))}

    rng = np.random.default_rng(1)
    head = rng.normal(size=384).astype(np.float32)
    path = tmp_path / "cross.npz"
    CrossModel(Tower(), head, 0.25, CrossConfig(rank=2)).save(path, {"trained_on": "test"})
    cross = CrossEncoder(path, backend="numpy")
    assert cross.info["trained_on"] == "test" and cross.info["config"]["rank"] == 2
    pairs = [(p, FACTCHECKS[j]) for p, j in POSTS]
    want = enc.encode_ids([pair_ids(enc, p, f) for p, f in pairs]) @ head + 0.25
    assert np.allclose(cross.logits(pairs), want, atol=1e-4)
    # an adapter file without a head is not a cross-encoder
    other = tmp_path / "adapter.npz"
    save_adapter(other, Tower().updates(), {})
    with pytest.raises(ValueError, match="head"):
        CrossEncoder(other, backend="numpy")


def test_trained_tower_and_run_time_agree_and_it_learns(tmp_path, enc: FastE5) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("torch")
    from factwatch.encoder.adapter_train import _batch, embedded_inputs
    from factwatch.encoder.cross import train_cross

    posts = [p for p, _ in POSTS]
    positives = [[j] for _, j in POSTS]
    candidates = [[k for k in range(len(FACTCHECKS))] for _ in POSTS]
    cfg = CrossConfig(
        epochs=8, stop_after=None, negatives=3, groups=2, lr=2e-3, head_lr=5e-2, warmup=2, threads=1
    )
    model = train_cross(enc, posts, positives, candidates, FACTCHECKS, cfg)
    assert model.losses[-1] < model.losses[0], model.losses
    path = tmp_path / "cross.npz"
    model.save(path)
    cross = CrossEncoder(path, backend="numpy")
    pairs = [(p, f) for p in posts for f in FACTCHECKS]
    got = cross.logits(pairs)
    import torch

    model.tower.eval()
    with torch.no_grad():
        x, m = _batch(embedded_inputs(enc, [pair_ids(enc, p, f) for p, f in pairs]))
        ref = model.tower(x, m).numpy() @ model.head_w + model.head_b
    # float16 updates in the file: close, not equal
    assert np.allclose(got, ref, atol=0.05), np.abs(got - ref).max()
    # it ranks each post's own fact-check first (the training set: it must at least fit it)
    best = got.reshape(len(posts), len(FACTCHECKS)).argmax(axis=1)
    assert best.tolist() == [j for _, j in POSTS]
