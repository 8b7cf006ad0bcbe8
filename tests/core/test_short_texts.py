"""Short texts need stronger evidence: the ranker's short-text threshold, how it is fitted, and
what the matcher does with it (real encoder, the project's test fact-checks)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from factwatch.analysers.claim_match import (
    NEAR_COPY,
    RANKER_PATH,
    ClaimIndex,
    ClaimMatcher,
    Query,
    Ranker,
    passage_text,
    word_count,
)
from factwatch.bench.short_repeats import Best, choose_threshold, load_short_repeats
from factwatch.models import FactCheck
from factwatch.text.tokens import tokenize

DATA = Path(__file__).parent.parent / "data" / "core"


def test_word_count_counts_words_with_letters() -> None:
    assert word_count("Can We Pickle That") == 4
    assert word_count("5G towers!! 100 % - ok") == 3  # "5G", "towers!!", "ok"
    assert word_count("Uống nước chanh nóng") == 4  # a Vietnamese syllable is a word


def test_short_adjust_maps_the_short_threshold_onto_the_threshold() -> None:
    r = Ranker(0.2, 30.0, -27.0, threshold=0.5, short_words=12, short_threshold=0.9)
    p = np.array([0.2, 0.5, 0.8, 0.9, 0.95, 0.999])
    q = r.short_adjust(p)
    assert q[3] == pytest.approx(0.5)
    assert ((q >= r.threshold) == (p >= r.short_threshold - 1e-12)).all()
    assert (np.diff(q) > 0).all() and (q <= p).all()
    assert r.is_short("Can We Pickle That")
    assert not r.is_short(" ".join(["word"] * 12))
    off = Ranker(0.2, 30.0, -27.0)
    assert not off.is_short("Can We Pickle That")


def test_ranker_json_keeps_the_rule_and_old_files_load_without_it(tmp_path: Path) -> None:
    r = Ranker(0.2, 30.0, -27.0, threshold=0.5, short_words=12, short_threshold=0.87)
    path = tmp_path / "r.json"
    path.write_text(json.dumps(r.to_json()))
    back = Ranker.load(path)
    assert (back.short_words, back.short_threshold) == (12, 0.87)
    old = r.to_json()
    del old["short_words"], old["short_threshold"]
    path.write_text(json.dumps(old))
    assert not Ranker.load(path).is_short("Can We Pickle That")
    shipped = Ranker.load(RANKER_PATH)
    assert shipped.short_words > 0 and shipped.short_threshold > shipped.threshold


def test_choose_threshold_trades_repeats_against_organic_texts() -> None:
    # 10 short repeats: 8 found with high scores, 2 with middling ones; 200 short organic texts,
    # 20 of them with middling scores.  At 5 % prevalence the middling band is mostly noise.
    pos = [(Best(6, 0.97, "fc", True), "fc")] * 8 + [(Best(6, 0.7, "fc", True), "fc")] * 2
    neg = [Best(5, 0.7, "x", True)] * 20 + [Best(5, 0.2, "x", True)] * 180
    t, info = choose_threshold(pos, neg, base=0.5)
    assert 0.7 < t <= 0.97
    assert info["short_repeats_flagged"] == pytest.approx(0.8)
    assert info["short_organic_flagged"] == 0.0
    # a wrong best match is never a hit; texts the rule spares (long ones, near copies) do not count
    pos_wrong = [(Best(6, 0.99, "other", True), "fc")] * 10
    assert choose_threshold(pos_wrong, neg, base=0.5)[1]["short_repeats_flagged"] == 0.0
    long_neg = [Best(30, 0.99, "x", ruled=False)] * 50 + [Best(3, 0.99, "x", ruled=False)] * 50
    assert choose_threshold(pos, long_neg, base=0.5)[1]["short_organic"] == 0


def test_short_repeats_data_is_train_side_and_complete() -> None:
    rows = load_short_repeats()
    forms = {r["form"] for r in rows}
    assert forms == {"en", "fr", "vi", "vi-folded"}
    by_fc: dict[str, set[str]] = {}
    for r in rows:
        by_fc.setdefault(r["factcheck"], set()).add(r["form"])
        assert 3 <= word_count(r["text"]) <= 16
    assert all(v == forms for v in by_fc.values())


@pytest.fixture(scope="module")
def index() -> ClaimIndex:
    from factwatch.embed import embed_with

    keep = ("id", "claim", "title", "rating", "lang")
    rows = [json.loads(x) for x in (DATA / "factchecks.jsonl").read_text("utf-8").splitlines()]
    fcs = [FactCheck(**{k: v for k, v in d.items() if k in keep}) for d in rows if "id" in d]
    vecs = embed_with("passage", [passage_text(f) for f in fcs])
    return ClaimIndex(fcs, vecs, ranker=Ranker.load(RANKER_PATH))


def test_matcher_lowers_short_texts_but_not_near_copies_or_long_texts(index: ClaimIndex) -> None:
    plain = ClaimIndex.__new__(ClaimIndex)
    plain.__dict__.update(index.__dict__)
    plain.ranker = dataclasses.replace(index.ranker, short_words=0)
    queries = [
        Query("short", "Salty water beats covid"),
        Query("near-copy", "Uong nuoc chanh nong moi sang chua khoi ung thu"),
        Query(
            "long",
            "My neighbour swears that drinking a glass of salt water every morning cured her "
            "covid infection in two days, so share this with everyone you love",
        ),
    ]
    # the first stage's scores (the second stage re-anchors all but the best)
    got = ClaimMatcher(index, checkworthy=None, rerank=None).match(queries, top=3)
    ref = ClaimMatcher(plain, checkworthy=None, rerank=None).match(queries, top=3)
    pos = {fc.id: i for i, fc in enumerate(index.factchecks)}
    lowered = {}
    for q, ms, rs in zip(queries, got, ref, strict=True):
        raw = {m.factcheck.id: m.score for m in rs}
        toks = set(tokenize(q.text, None))
        for m in ms:
            if m.short:
                assert m.as_dict()["why"]["short_text"] is True
                assert m.score == pytest.approx(
                    float(index.ranker.short_adjust(np.array([raw[m.factcheck.id]]))[0])
                )
                assert m.score < raw[m.factcheck.id]
                assert index.claim_coverage(pos[m.factcheck.id], toks) < NEAR_COPY
            else:
                assert m.score == pytest.approx(raw[m.factcheck.id])
                assert "short_text" not in m.as_dict()["why"]
        lowered[q.id] = ms[0].short  # the best match; others of a near copy may be lowered
    assert lowered == {"short": True, "near-copy": False, "long": False}
    near = got[1][0]
    assert near.factcheck.id == "fc-vi-lemon" and near.score >= index.ranker.threshold


def test_claim_coverage_is_one_for_the_claim_itself(index: ClaimIndex) -> None:
    for i, fc in enumerate(index.factchecks):
        assert index.claim_coverage(i, set(tokenize(fc.claim, fc.lang))) == pytest.approx(1.0)
        assert index.claim_coverage(i, set()) == 0.0


def test_cli_sets_or_switches_off_the_short_threshold(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "ranker.json"
    path.write_text(RANKER_PATH.read_text())
    main = Ranker.load(path).threshold
    r = cli("train", "short-threshold", "--ranker", str(path), "--threshold", "0.95")
    assert r.exit_code == 0, r.stderr
    got = Ranker.load(path)
    assert (got.short_words, got.short_threshold) == (12, 0.95)
    assert got.threshold == main and got.info["short_texts"] == {"set_by_hand": True}
    r = cli("train", "short-threshold", "--ranker", str(path), "--threshold", str(main / 2))
    assert r.exit_code == 2 and "--threshold" in r.stderr
    assert Ranker.load(path).short_threshold == 0.95  # a refused call writes nothing
    r = cli("train", "short-threshold", "--ranker", str(path), "--words", "0")
    assert r.exit_code == 0, r.stderr
    off = Ranker.load(path)
    assert off.short_threshold is None and not off.is_short("Can We Pickle That")
