"""The claim-query adapter: file format, merge, backends, model ids, and what it is for (a French or
Vietnamese post lands nearer the English fact-check it repeats)."""

from __future__ import annotations

import numpy as np
import pytest

from factwatch.analysers.claim_match import (
    RANKER_PATH,
    RANKER_PLAIN_PATH,
    StoreEmbedder,
    ranker_path,
)
from factwatch.embed import MODEL_ID, text_key
from factwatch.encoder import FastE5, claim_model_id, get_claim_encoder, get_encoder
from factwatch.encoder.adapter import ADAPTER_PATH, load_adapter, save_adapter

# Written for this test: English fact-checked claims and posts repeating them in French and
# Vietnamese (not from any benchmark split).
FACTCHECKS = [
    "Drinking hot water with lemon every morning cures cancer.",
    "The mayor of Springfield banned bicycles on all city streets.",
    "A new law makes it illegal to collect rainwater in Oregon.",
    "Eating garlic protects you from catching the flu virus.",
    "NASA confirmed that the Earth will have six days of darkness in December.",
    "The football club Manchester United was sold to a Chinese airline.",
]
POSTS = [
    ("Boire de l'eau chaude citronnée chaque matin guérit le cancer, partagez !", 0),
    ("Uống nước chanh nóng mỗi sáng chữa khỏi bệnh ung thư, hãy chia sẻ!", 0),
    ("Le maire de Springfield a interdit les vélos dans toutes les rues de la ville", 1),
    ("Thị trưởng Springfield cấm xe đạp trên mọi con phố của thành phố", 1),
    ("Une nouvelle loi interdit de récupérer l'eau de pluie dans l'Oregon", 2),
    ("Luật mới cấm thu gom nước mưa ở bang Oregon", 2),
    ("Manger de l'ail vous protège contre la grippe", 3),
    ("Ăn tỏi giúp bạn không bị nhiễm virus cúm", 3),
    ("La NASA confirme six jours d'obscurité totale sur la Terre en décembre", 4),
    ("NASA xác nhận Trái Đất sẽ chìm trong bóng tối sáu ngày vào tháng 12", 4),
]


@pytest.fixture(scope="module")
def encoders() -> tuple[FastE5, FastE5]:
    assert ADAPTER_PATH.exists(), "the claim adapter ships with the package"
    base = FastE5(backend="onnx")
    adapted = FastE5(backend="onnx", adapter=load_adapter(ADAPTER_PATH))
    return base, adapted


def test_shipped_adapter_is_small_and_documented() -> None:
    a = load_adapter(ADAPTER_PATH)
    assert ADAPTER_PATH.stat().st_size < 2_000_000
    assert a.updates and all(x.shape[0] == b.shape[1] == 8 for x, b in a.updates.values())
    assert "CheckThat" in a.info["trained_on"] and a.info["config"]["seed"] == 8


def test_merge_is_w_plus_ba(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(0)
    a = rng.normal(size=(4, 384)).astype(np.float32)
    b = rng.normal(size=(384, 4)).astype(np.float32) * 0.01
    path = tmp_path / "a.npz"
    save_adapter(path, {"l3.q.w": (a, b)}, {"trained_on": "test"})
    adapter = load_adapter(path)
    enc = FastE5(backend="numpy")
    merged = adapter.merge(enc.weights)
    base = enc.weights.q4_matrix("l3.q.w", 384)
    np.testing.assert_allclose(merged.q4_matrix("l3.q.w", 384), base + b @ a, rtol=1e-6)
    np.testing.assert_array_equal(
        merged.q4_matrix("l4.q.w", 384), base * 0 + enc.weights.q4_matrix("l4.q.w", 384)
    )
    assert merged.overrides_id == adapter.id and enc.weights.overrides == {}


def test_bad_adapter_files_are_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty.npz"
    np.savez(empty, info=np.array("{}"))
    with pytest.raises(ValueError, match="no adapter weights"):
        load_adapter(empty)
    wrong = tmp_path / "wrong.npz"
    save_adapter(
        wrong, {"l99.q.w": (np.zeros((2, 384), np.float32), np.zeros((384, 2), np.float32))}, {}
    )
    with pytest.raises(ValueError, match="does not have"):
        load_adapter(wrong).merge(FastE5(backend="numpy").weights)


def test_backends_agree_and_differ_from_plain_e5(encoders: tuple[FastE5, FastE5]) -> None:
    base, adapted = encoders
    texts = [p for p, _ in POSTS]
    ref = FastE5(backend="numpy", adapter=load_adapter(ADAPTER_PATH)).query(texts)
    got = adapted.query(texts)
    assert ((ref * got).sum(1) >= 0.9999).all()
    plain = base.query(texts)
    assert ((plain * got).sum(1) < 0.99).all()  # the adapter really changes the vectors
    assert adapted.model_id != base.model_id == MODEL_ID


def test_adapter_brings_translated_posts_to_their_factcheck(
    encoders: tuple[FastE5, FastE5],
) -> None:
    base, adapted = encoders
    fc = base.passage(FACTCHECKS)

    def hits_and_margin(enc: FastE5) -> tuple[int, float]:
        sims = enc.query([p for p, _ in POSTS]) @ fc.T
        hits = sum(int(np.argmax(s) == i) for s, (_, i) in zip(sims, POSTS, strict=True))
        margins = [s[i] - np.max(np.delete(s, i)) for s, (_, i) in zip(sims, POSTS, strict=True)]
        return hits, float(np.mean(margins))

    base_hits, base_margin = hits_and_margin(base)
    hits, margin = hits_and_margin(adapted)
    assert hits >= base_hits and hits >= 9
    assert margin > base_margin + 0.02


def test_model_ids_keys_and_ranker_follow_the_adapter(monkeypatch: pytest.MonkeyPatch) -> None:
    assert claim_model_id() == f"{MODEL_ID}+{load_adapter(ADAPTER_PATH).id}"
    assert ranker_path() == RANKER_PATH
    with_adapter = text_key("claim", "x")
    monkeypatch.setenv("FACTWATCH_CLAIM_ADAPTER", "none")
    assert claim_model_id() == MODEL_ID
    assert ranker_path() == RANKER_PLAIN_PATH
    assert text_key("claim", "x") != with_adapter
    assert get_claim_encoder() is get_encoder()


def test_store_keeps_claim_vectors_under_the_claim_model(store) -> None:  # type: ignore[no-untyped-def]
    emb = StoreEmbedder(store)
    v = emb.embed([POSTS[0][0]])
    assert v.shape == (1, 384)
    have = store.get_vectors_by_ids(
        StoreEmbedder.OWNER, claim_model_id(), [text_key("claim", POSTS[0][0])]
    )
    assert len(have) == 1
    assert (
        store.get_vectors_by_ids(StoreEmbedder.OWNER, MODEL_ID, [text_key("claim", POSTS[0][0])])
        == {}
    )


def test_train_command_targets_default_and_validation(cli) -> None:  # type: ignore[no-untyped-def]
    from factwatch.cli.ranker import CLAIM_ADAPTER_TARGETS
    from factwatch.encoder.adapter_train import AdapterConfig

    assert AdapterConfig().targets == CLAIM_ADAPTER_TARGETS  # the --targets default
    r = cli("train", "claim-adapter", "--targets", "q,x")
    assert r.exit_code == 2 and "--targets: x" in r.stderr
    r = cli("train", "claim-adapter", "--targets", " , ")
    assert r.exit_code == 2 and "none given" in r.stderr
