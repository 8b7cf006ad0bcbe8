"""The claim matcher's second stage: the cross-encoder re-ranker (analysers/claim_rerank.py)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from factwatch.analysers.claim_match import ClaimIndex, ClaimMatcher, Match, Query
from factwatch.analysers.claim_rerank import RERANKER_PATH, Reranker, reranker_path
from factwatch.models import FactCheck

DATA = Path(__file__).parent.parent / "data" / "core"


def _fc(i: int, claim: str) -> FactCheck:
    return FactCheck(id=f"fc{i}", claim=claim, rating="False", url=f"https://example.org/{i}")


class FakeCross:
    """A cross-encoder whose logits are given per fact-check claim (and counts its calls)."""

    def __init__(self, by_claim: dict[str, float]) -> None:
        self.by_claim = by_claim
        self.pairs: list[tuple[str, str]] = []

    def logits(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        self.pairs += pairs
        return np.array([self.by_claim.get(f, 0.0) for _p, f in pairs])


def fake_reranker(by_claim: dict[str, float], k: int = 3, weight: float = 1.0) -> Reranker:
    rr = Reranker(Path("unused.npz"), k=k, weight=weight)
    rr._cross = FakeCross(by_claim)  # type: ignore[assignment]
    return rr


def test_rerank_orders_by_key_and_keeps_the_flag_decision() -> None:
    ms = [Match(_fc(i, f"claim {i}"), p, 0.5, 0.1) for i, p in enumerate([0.8, 0.6, 0.3, 0.2])]
    # the cross-encoder prefers claim 2, then claim 1
    rr = fake_reranker({"claim 0": -2.0, "claim 1": 1.0, "claim 2": 3.0, "claim 3": 9.0})
    [out] = rr.rerank_many(["post"], [ms])
    assert [m.factcheck.id for m in out] == ["fc2", "fc1", "fc0", "fc3"]
    # the new first gets the first stage's best score: flagged exactly when it was
    assert out[0].score == pytest.approx(0.8)
    scores = [m.score for m in out]
    assert scores == sorted(scores, reverse=True)
    # keys: logit(p) + weight * x, shifted so that the best key lands on logit(0.8)
    lg = lambda p: math.log(p / (1 - p))  # noqa: E731
    keys = {"fc0": lg(0.8) - 2, "fc1": lg(0.6) + 1, "fc2": lg(0.3) + 3}
    best = max(keys.values())
    for m in out[:3]:
        want = 1 / (1 + math.exp(-(keys[m.factcheck.id] - best + lg(0.8))))
        assert m.score == pytest.approx(want)
        assert m.rerank is not None and "rerank" in m.as_dict()["why"]
    # only the first k are read by the cross-encoder; the rest keep their order, capped
    assert len(rr.cross.pairs) == 3  # type: ignore[attr-defined]
    assert out[3].rerank is None and out[3].score <= out[2].score


def test_rerank_with_weight_zero_is_the_first_stage() -> None:
    ms = [Match(_fc(i, f"claim {i}"), p, 0.5, 0.1) for i, p in enumerate([0.7, 0.5, 0.4])]
    before = [(m.factcheck.id, m.score) for m in ms]
    [out] = fake_reranker({"claim 2": 5.0}, weight=0.0).rerank_many(["post"], [ms])
    assert [(m.factcheck.id, round(m.score, 9)) for m in out] == [
        (i, round(s, 9)) for i, s in before
    ]


def test_reranker_setting_by_environment(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FACTWATCH_RERANK", "none")
    assert reranker_path() is None and Reranker.default() is None
    monkeypatch.setenv("FACTWATCH_RERANK", str(tmp_path / "x.npz"))
    assert reranker_path() == tmp_path / "x.npz"
    monkeypatch.delenv("FACTWATCH_RERANK")
    assert reranker_path() == (RERANKER_PATH if RERANKER_PATH.exists() else None)
    with pytest.raises(ValueError, match="rerank"):
        ClaimMatcher(ClaimIndex([], np.zeros((0, 384), np.float32)), rerank="yes")


def test_matcher_reranks_only_texts_over_rerank_above() -> None:
    fcs = [
        _fc(0, "Drinking hot water with lemon every morning cures cancer."),
        _fc(1, "The mayor of Springfield banned bicycles on all city streets."),
        _fc(2, "Eating garlic protects you from catching the flu virus."),
    ]
    from factwatch.embed import embed_with

    index = ClaimIndex(fcs, embed_with("passage", [f.search_text for f in fcs]))
    queries = [
        Query("hit", "hot lemon water every morning cures cancer, share before it is deleted!"),
        Query("organic", "Lovely sunset over the harbour tonight, see you at the market"),
    ]
    rr = fake_reranker({f.search_text: 0.0 for f in fcs})
    plain = ClaimMatcher(index, checkworthy=None, rerank=None).match(queries, top=3)
    thr = index.ranker.threshold
    assert plain[0][0].score >= thr > plain[1][0].score, "test data: one flagged, one not"
    got = ClaimMatcher(index, checkworthy=None, rerank=rr, rerank_above=thr).match(queries, top=3)
    read = {p for p, _f in rr.cross.pairs}  # type: ignore[attr-defined]
    assert len(read) == 1 and "lemon" in next(iter(read))
    assert [m.rerank is not None for m in got[0]] == [True] * len(got[0])
    assert all(m.rerank is None for m in got[1])
    # a zero logit everywhere changes nothing
    assert [m.factcheck.id for m in got[0]] == [m.factcheck.id for m in plain[0]]


@pytest.mark.skipif(not RERANKER_PATH.exists(), reason="the cross-encoder ships with the package")
def test_shipped_cross_encoder_prefers_the_repeated_claim_in_three_languages() -> None:
    # Written for this test: English fact-checks, posts repeating one of them in three languages.
    claims = [
        "Drinking hot water with lemon every morning cures cancer.",
        "The mayor of Springfield banned bicycles on all city streets.",
        "A new law makes it illegal to collect rainwater in Oregon.",
        "Eating garlic protects you from catching the flu virus.",
        "NASA confirmed that the Earth will have six days of darkness in December.",
    ]
    posts = [
        ("hot lemon water each morning kills cancer cells, doctors hide it", 0),
        ("Le maire de Springfield a interdit les vélos dans toutes les rues de la ville", 1),
        ("Luật mới cấm thu gom nước mưa ở bang Oregon", 2),
        ("Manger de l'ail vous protège contre la grippe", 3),
        ("NASA xác nhận Trái Đất sẽ chìm trong bóng tối sáu ngày vào tháng 12", 4),
        ("nasa xac nhan trai dat se chim trong bong toi sau ngay vao thang 12", 4),
    ]
    rr = Reranker.default()
    assert rr is not None
    x = rr.cross.logits([(p, c) for p, _ in posts for c in claims]).reshape(len(posts), -1)
    assert x.argmax(axis=1).tolist() == [j for _, j in posts]
    info = rr.cross.info
    assert "CheckThat" in info["trained_on"] and info["config"]["seed"] == 8
    assert RERANKER_PATH.stat().st_size < 2_000_000


def test_match_cli_explains_the_rerank_and_can_turn_it_off(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    r = cli("factchecks", "import", str(DATA / "factchecks.jsonl"))
    assert r.exit_code == 0, r.stderr
    p = tmp_path / "q.jsonl"
    p.write_text(json.dumps({"id": "a", "text": "5G antennas are spreading the coronavirus!!"}))
    on = cli("match", "--input", str(p))
    off = cli("match", "--input", str(p), "--no-rerank")
    assert on.exit_code == off.exit_code == 0, on.stderr + off.stderr
    m_on = json.loads(on.stdout)["matches"]
    m_off = json.loads(off.stdout)["matches"]
    assert all("rerank" not in m["why"] for m in m_off)
    if RERANKER_PATH.exists():
        assert "rerank" in m_on[0]["why"]
        assert m_on[0]["factcheck_id"] == m_off[0]["factcheck_id"] == "fc-en-5g"
        assert m_on[0]["score"] == pytest.approx(m_off[0]["score"], abs=1e-4)


def test_pipeline_does_not_rerank(db_path) -> None:  # type: ignore[no-untyped-def]
    # flags are the first stage's, and on flagged posts the second stage changed nothing
    # measured (docs/claim-cross-encoder.md): the analyser does not pay for it
    from factwatch.analysers.claim_match import ClaimMatchAnalyser
    from factwatch.store import Store

    store = Store.open(db_path)
    try:
        assert ClaimMatchAnalyser(store).matcher.reranker is None
    finally:
        store.close()
