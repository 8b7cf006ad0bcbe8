"""The fine-tuned part of the check-worthiness model: file format, fusion, training (torch)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from factwatch.classify import checkworthy_tune as tune
from factwatch.classify.checkworthy import CheckWorthiness, fit, predict, save_model
from factwatch.encoder.adapter import load_adapter, save_adapter
from factwatch.encoder.fast import FastE5

DATA = Path(__file__).resolve().parents[1] / "data" / "checkworthy" / "sentences.jsonl"
ROWS = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
TEXTS = [r["text"] for r in ROWS]
Y = np.array([r["checkworthy"] for r in ROWS], dtype=np.int64)
BLOCKS = ("word", "char", "cue")


def _tuned_model(tmp_path: Path) -> tuple[Path, np.ndarray, float]:
    """A model file with a lexical part and a (random, small) fine-tuned part."""
    rng = np.random.default_rng(0)
    updates = {
        "l11.q.w": (
            rng.normal(0, 0.05, (8, 384)).astype(np.float32),
            rng.normal(0, 0.05, (384, 8)).astype(np.float32),
        )
    }
    save_adapter(tmp_path / "m_adapter.npz", updates, {"what": "test"})
    w = rng.normal(0, 1, 384).astype(np.float32)
    idf, coef, b = fit(TEXTS, Y, BLOCKS)
    meta = {
        "threshold": 0.5,
        "trained_on": {},
        "tuned": {"adapter": "m_adapter.npz", "fusion": tune.FUSION},
    }
    save_model(tmp_path / "m.npz", BLOCKS, idf, coef, b, meta, (w, 0.25))
    return tmp_path / "m.npz", w, 0.25


def test_score_fuses_lexical_and_adapted_encoder(tmp_path: Path) -> None:
    path, w, b = _tuned_model(tmp_path)
    cw = CheckWorthiness(path)
    assert cw.tuned is not None and not cw.uses_embeddings
    got = cw.score(TEXTS)
    with np.load(path) as z:
        idf = {k: z[f"idf_{k}"] for k in ("word", "char")}
        p_lex = predict(BLOCKS, idf, z["coef"], float(z["intercept"][0]), TEXTS, None)
    adapted = FastE5(adapter=load_adapter(tmp_path / "m_adapter.npz", name=tune.ADAPTER_NAME))
    assert (
        adapted.model_id.startswith("multilingual-e5-small") and "checkworthy-" in adapted.model_id
    )
    p_tuned = 1 / (1 + np.exp(-(adapted.query(TEXTS) @ w + b)))
    np.testing.assert_allclose(got, tune.fuse(p_lex, p_tuned), atol=1e-4)
    # The update changes the vectors, so the fused score is not the lexical one.
    assert np.abs(got - p_lex).max() > 0.01


def test_fuse_is_the_mean_of_logits() -> None:
    assert tune.fuse(np.array([0.5]), np.array([0.5]))[0] == pytest.approx(0.5)
    assert tune.fuse(np.array([0.9]), np.array([0.1]))[0] == pytest.approx(0.5)
    z = (np.log(0.8 / 0.2) + np.log(0.6 / 0.4)) / 2
    assert tune.fuse(np.array([0.8]), np.array([0.6]))[0] == pytest.approx(1 / (1 + np.exp(-z)))
    assert np.isfinite(tune.fuse(np.array([0.0, 1.0]), np.array([1.0, 0.0]))).all()


def test_missing_adapter_file_is_refused(tmp_path: Path) -> None:
    path, _, _ = _tuned_model(tmp_path)
    (tmp_path / "m_adapter.npz").unlink()
    with pytest.raises(ValueError, match="fine-tuned part"):
        CheckWorthiness(path)


def test_shipped_model_is_fine_tuned_and_documented() -> None:
    cw = CheckWorthiness()
    assert cw.tuned is not None
    assert cw.tuned_path.stat().st_size < 2_000_000  # LoRA updates only
    assert cw.tuned["fusion"] == tune.FUSION
    assert load_adapter(cw.tuned_path).info["what"].startswith("check-worthiness")


def test_fine_tuning_learns_and_runs_without_torch_at_scoring(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    from factwatch.encoder.adapter_train import ClassifierConfig, token_inputs

    cfg = ClassifierConfig(
        epochs=6, layers=(10, 11), targets=("q", "v"), threads=1, lr=2e-3, head_lr=0.1, warmup=1
    )
    enc = tune.encoder()
    model = tune.fine_tune(TEXTS * 4, np.concatenate([Y] * 4), cfg, enc=enc)
    assert model.log.losses[-1] < model.log.losses[0]
    p_torch = model.predict(token_inputs(enc, TEXTS))
    assert ((p_torch >= 0.5) == Y.astype(bool)).mean() >= 0.9
    # The merged onnx encoder gives the torch tower's vectors: the same probabilities.
    save_adapter(tmp_path / "a.npz", model.updates(), {"what": "test"})
    adapted = FastE5(adapter=load_adapter(tmp_path / "a.npz"))
    p_onnx = 1 / (1 + np.exp(-(adapted.query(TEXTS) @ model.head_w + model.head_b)))
    np.testing.assert_allclose(p_onnx, p_torch, atol=2e-3)
