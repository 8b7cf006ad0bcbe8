"""Claim matching and the pipeline, end to end through the CLI, with the real encoder."""

import json
import unicodedata
from pathlib import Path

import pytest

DATA = Path(__file__).parent.parent / "data" / "core"


@pytest.fixture
def loaded(cli):
    r = cli("factchecks", "import", str(DATA / "factchecks.jsonl"))
    assert r.exit_code == 0, r.stderr
    return cli


def run_match(cli, tmp_path, posts, top=3):
    p = tmp_path / "q.jsonl"
    p.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in posts))
    r = cli("match", "--input", str(p), "--top", str(top))
    assert r.exit_code == 0, r.stderr
    return [json.loads(line) for line in r.stdout.splitlines()]


def test_match_output_shape_and_order(loaded, tmp_path):
    out = run_match(
        loaded,
        tmp_path,
        [
            {"id": "a", "text": "5G antennas are spreading the coronavirus!!"},
            {"id": 7, "text": "Uống nước chanh nóng mỗi sáng sẽ chữa khỏi bệnh ung thư"},
        ],
    )
    assert [o["id"] for o in out] == ["a", 7]
    best = out[0]["matches"][0]
    assert best["factcheck_id"] == "fc-en-5g"
    assert set(best) == {"factcheck_id", "score", "claim", "rating", "url", "why"}
    assert {"dense", "lexical"} <= set(best["why"])
    scores = [m["score"] for m in out[0]["matches"]]
    assert scores == sorted(scores, reverse=True)
    assert out[1]["matches"][0]["factcheck_id"] == "fc-vi-lemon"


def test_nfd_and_accentless_vietnamese_match_like_nfc(loaded, tmp_path):
    nfc = "Uống nước chanh nóng mỗi sáng chữa khỏi ung thư"
    out = run_match(
        loaded,
        tmp_path,
        [
            {"id": "nfc", "text": nfc},
            {"id": "nfd", "text": unicodedata.normalize("NFD", nfc)},
            {"id": "plain", "text": "uong nuoc chanh nong moi sang chua khoi ung thu"},
        ],
    )
    assert [o["matches"][0]["factcheck_id"] for o in out] == ["fc-vi-lemon"] * 3
    assert out[0]["matches"][0]["score"] == pytest.approx(out[1]["matches"][0]["score"], abs=1e-4)
    assert out[2]["matches"][0]["why"]["lexical"] > 0.5


def test_cross_lingual_posts_find_english_factchecks(loaded, tmp_path):
    out = run_match(
        loaded,
        tmp_path,
        [
            {
                "id": "fr",
                "text": "Les antennes 5G propagent le coronavirus, partagez avant censure",
            },
            {"id": "vi", "text": "Các trạm phát sóng 5G đang lây lan virus corona"},
            {"id": "en", "text": "The flu vaccine has a microchip inside, wake up people"},
        ],
    )
    assert out[0]["matches"][0]["factcheck_id"] == "fc-en-5g"
    assert out[1]["matches"][0]["factcheck_id"] == "fc-en-5g"
    assert out[2]["matches"][0]["factcheck_id"] == "fc-fr-vaccin"


def test_bad_query_lines_are_rejected_others_matched(loaded, tmp_path):
    p = tmp_path / "q.jsonl"
    p.write_text('{"id": "ok", "text": "salt water cures covid"}\n{"id": "x"}\nnot json\n')
    r = loaded("match", "--input", str(p))
    assert r.exit_code == 1
    assert [json.loads(x)["id"] for x in r.stdout.splitlines()] == ["ok"]
    assert "q.jsonl:2" in r.stderr and "q.jsonl:3" in r.stderr


@pytest.fixture
def sqlite_store(db_path):
    from factwatch.store import Store

    s = Store.open(db_path)
    yield s
    s.close()


def test_analyze_opens_cases_and_feedback_suppresses_pair(loaded, sqlite_store):
    store = sqlite_store
    r = loaded("ingest", str(DATA / "posts.jsonl"))
    assert r.exit_code == 0
    r = loaded("analyze")
    assert r.exit_code == 0, r.stderr
    cases = [
        json.loads(x) for x in loaded("cases", "list", "--format", "jsonl").stdout.splitlines()
    ]
    by_fc = {c["about"]["id"]: c for c in cases}
    assert set(by_fc["fc-vi-lemon"]["items"]) == {"p1", "p2"}
    assert "p3" in by_fc["fc-en-5g"]["items"]
    assert "p5" in by_fc["fc-fr-vaccin"]["items"]
    assert all(c["kind"] == "claim" and c["status"] == "new" for c in cases)
    matched = {i for c in cases for i in c["items"]}
    assert "p4" not in matched and "p6" not in matched  # unrelated posts open nothing
    assert loaded("analyze").stderr.strip() == "nothing to analyse"
    # A reviewer says p2 is not about the lemon claim: re-analysing never flags that pair again.
    from factwatch.analysers.claim_match import ClaimMatchAnalyser

    p2 = next(it for it in store.iter_items() if it.native_id == "p2")
    store.add_feedback(p2.content_hash, "fc-vi-lemon", "not_about", "reviewer")
    sigs = ClaimMatchAnalyser(store).analyse([p2])
    assert "fc-vi-lemon" not in {s.target_id for s in sigs}


def test_retro_matching_finds_past_items_without_reembedding(
    cli, sqlite_store, tmp_path, monkeypatch
):
    store = sqlite_store
    # Items are analysed before the fact-check about them exists.
    first = tmp_path / "first.jsonl"
    first.write_text(
        json.dumps(
            {
                "id": "fc-en-5g",
                "claim": "5G towers spread the coronavirus",
                "rating": "False",
                "lang": "en",
            }
        )
        + "\n"
    )
    assert cli("factchecks", "import", str(first)).exit_code == 0
    cli("ingest", str(DATA / "posts.jsonl"))
    assert cli("analyze").exit_code == 0
    from factwatch.encoder import claim_model_id

    stored_before = store.get_vectors("query", claim_model_id())
    assert stored_before  # analysing stored the posts' (claim-query) vectors

    import factwatch.embed as embed

    real = embed.embed_with

    def no_claim_queries(kind, texts):
        if kind == "claim":
            raise AssertionError(f"re-embedded past items: {texts[:1]}")
        return real(kind, texts)

    monkeypatch.setattr("factwatch.analysers.claim_match.embed_with", no_claim_queries)
    r = cli("factchecks", "import", str(DATA / "factchecks.jsonl"))
    assert r.exit_code == 0, r.stderr
    assert "retro-matching" in r.stderr
    cases = [json.loads(x) for x in cli("cases", "list", "--format", "jsonl").stdout.splitlines()]
    by_fc = {c["about"]["id"]: c for c in cases}
    assert {"p1", "p2"} <= set(by_fc["fc-vi-lemon"]["items"])
    assert "p5" in by_fc["fc-fr-vaccin"]["items"]
    assert all(s["evidence"].get("retro") for s in by_fc["fc-vi-lemon"]["signals"])


ARTICLE = (
    "Good evening and welcome to our weekly health column, thank you for joining us again. "
    "We hope you and your family are keeping well this winter and staying warm at home. "
    "Many readers have written to us with questions, and we are grateful for every letter. "
    "A message shared widely this week claims that drinking salt water cures COVID-19 infections. "
    "We will talk more about this next week, so please stay tuned and keep writing to us. "
    "As always, take care of yourselves and of each other, and enjoy the rest of your weekend."
)


def test_long_text_matches_its_checkworthy_sentence(loaded, tmp_path):
    out = run_match(loaded, tmp_path, [{"id": "article", "text": ARTICLE, "lang": "en"}])
    best = out[0]["matches"][0]
    assert best["factcheck_id"] == "fc-en-salt"
    assert "salt water cures COVID-19" in best["why"]["sentence"]
    assert best["why"]["checkworthy"] >= 0.5  # the sentence is check-worthy by the model's own 0.5


class Scorer:
    """A sentence scorer that records what it saw: check-worthy = mentions salt."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def score(self, texts):
        import numpy as np

        self.seen.extend(texts)
        return np.array([0.9 if "salt" in t else 0.05 for t in texts])


def test_only_checkworthy_sentences_are_matched(loaded, sqlite_store):
    from factwatch.analysers.claim_match import ClaimMatcher, Query, load_index

    index = load_index(sqlite_store)
    scorer = Scorer()
    matched_units: list[list[str]] = []

    class Recording(ClaimMatcher):
        def _embed(self, texts):
            matched_units.append(list(texts))
            return super()._embed(texts)

    got = Recording(index, checkworthy=scorer).match([Query("a", ARTICLE, "en")], top=3)
    assert len(scorer.seen) == 6  # every sentence was scored once
    embedded = matched_units[0]
    assert len(embedded) == 2  # the whole text and the one check-worthy sentence
    assert embedded[1].startswith("A message shared widely") and embedded[0] != embedded[1]
    best = got[0][0]
    assert best.factcheck.id == "fc-en-salt" and best.checkworthy == 0.9
    # Without a scorer every sentence is matched.
    matched_units.clear()
    Recording(index, checkworthy=None).match([Query("a", ARTICLE, "en")], top=3)
    assert len(matched_units[0]) == 7
