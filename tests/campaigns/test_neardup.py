"""Near-duplicate index: normalisation, clusters, persistence, bounded memory."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from factwatch.analysers.neardup import NearDupIndex, Tokenizer

BASE = "Bộ Y tế cảnh báo uống nước chanh nóng mỗi sáng chữa khỏi ung thư giai đoạn cuối"
UNRELATED = [
    "City council approves new bike lanes on Main Street after a long public consultation",
    "Le Conseil d'État suspend l'arrêté anti-bivouac de la commune de Chamonix cet été",
    "Giá xăng giảm nhẹ từ 15h hôm nay theo quyết định của liên bộ Công Thương Tài chính",
]


def test_tokenizer_folds_case_accents_and_drops_urls_handles_tags_emoji() -> None:
    tok = Tokenizer()
    a = tok.hashes(BASE)
    b = tok.hashes(
        "@anh_ba 🔥🔥 BO Y TE CANH BAO uong nuoc chanh nong moi sang chua khoi ung thu giai doan cuoi #canhbao https://t.co/xyz"
    )
    nfd = tok.hashes(__import__("unicodedata").normalize("NFD", BASE))
    assert a == b == nfd
    assert "canhbao" not in tok.words("tin nóng #canhbao")
    assert tok.words("Hà Nội http://x.vn/a @user ❤️") == ["ha", "noi"]


def test_edited_copies_cluster_and_unrelated_do_not() -> None:
    idx = NearDupIndex()
    copies = [
        BASE,
        BASE + " 😱 #chiase https://suckhoe.info/1",
        "bo y te canh bao: uong nuoc chanh nong moi sang chua khoi ung thu giai doan cuoi",
        "Bộ Y tế cảnh báo uống nước chanh nóng mỗi sáng chữa khỏi ung thư...",  # truncated
        "uống nước chanh nóng mỗi sáng chữa khỏi ung thư giai đoạn cuối, Bộ Y tế cảnh báo",  # reordered
    ]
    res = idx.add(UNRELATED + copies[:2])
    res2 = idx.add(copies[2:])
    clusters = res.clusters.tolist() + res2.clusters.tolist()
    copy_clusters = {idx.find(c) for c in clusters[len(UNRELATED) :]}
    assert len(copy_clusters) == 1
    assert (
        len({idx.find(c) for c in clusters[: len(UNRELATED)]} | copy_clusters) == len(UNRELATED) + 1
    )
    assert res2.matches[0]  # matched an earlier document
    assert idx.add(["Too short"]).doc_ids.tolist() == [-1]


def test_state_round_trip_keeps_clusters() -> None:
    idx = NearDupIndex()
    first = idx.add([BASE] + UNRELATED)
    again = NearDupIndex.from_bytes(idx.to_bytes())
    res = again.add([BASE + " 🙏 #share", UNRELATED[1] + " !!"])
    assert res.clusters.tolist() == [first.clusters[0], first.clusters[2]]
    assert again.n_docs == idx.n_docs + 2


def test_capacity_bounds_memory_and_forgets_old_documents() -> None:
    idx = NearDupIndex(capacity=64)
    rng = np.random.default_rng(1)
    words = [f"w{i}" for i in range(5000)]
    old = " ".join(rng.choice(words, 12))
    idx.add([old])
    for _ in range(10):
        idx.add([" ".join(rng.choice(words, 12)) for _ in range(50)])
    assert len(idx._labels) == 64 and idx._sigs.shape[0] == 64
    assert sum(len(k) for k in idx._lsm.keys) <= 2 * 64 * idx.bands + 50 * idx.bands
    assert idx.add([old]).matches == [[]]  # the first document was evicted


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=200), max_size=8))
def test_any_text_is_indexed_without_error(texts: list[str]) -> None:
    idx = NearDupIndex()
    res = idx.add(texts)
    assert len(res.doc_ids) == len(texts)
    assert all(
        c == -1 or c <= d for c, d in zip(res.clusters.tolist(), res.doc_ids.tolist(), strict=True)
    )
