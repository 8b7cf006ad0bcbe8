"""Coordination: URL canonicalisation, burst statistics, the campaigns command, the analyser."""

from __future__ import annotations

import io
import json
import math
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factwatch.analysers.campaigns import (
    CampaignDetector,
    CampaignsAnalyser,
    Params,
    Post,
    canonical_url,
    poisson_log10_sf,
    redirects_from,
)
from factwatch.cli.campaigns import parse_post
from factwatch.models import Item

DATA = Path(__file__).parent.parent / "data" / "campaigns" / "posts.jsonl"
VN = [f"post-{i:03d}" for i in range(1, 13)]
FR = [f"post-{i:03d}" for i in range(13, 19)]


def _records() -> list[dict]:
    return [json.loads(x) for x in DATA.read_text(encoding="utf-8").splitlines() if x.strip()]


def test_canonical_url_drops_tracking_and_resolves_known_short_links() -> None:
    c = "https://infos-verite.fr/vaccins-puces-5g"
    assert canonical_url(c + "?utm_source=fb&utm_medium=social&fbclid=IwAR0") == c
    assert canonical_url("http://www.infos-verite.fr/vaccins-puces-5g/") == c
    assert canonical_url("HTTPS://M.Infos-Verite.FR/vaccins-puces-5g#top") == c
    assert canonical_url("https://x.vn/a?b=2&a=1&gclid=9") == "https://x.vn/a?a=1&b=2"
    assert canonical_url("https://youtu.be/abc123?si=zz") == canonical_url(
        "https://www.youtube.com/watch?v=abc123&feature=share"
    )
    redirects = redirects_from(
        [{"url": "https://bit.ly/3xVq9Zk", "expanded_url": c + "?utm_campaign=x"}]
    )
    assert canonical_url("https://bit.ly/3xVq9Zk", redirects) == c
    assert canonical_url("https://bit.ly/other", redirects) == "https://bit.ly/other"
    assert canonical_url("javascript:alert(1)") is None
    assert canonical_url("not a url") is None
    # a redirect loop ends
    loop = {"https://a.co/1": "https://b.co/1", "https://b.co/1": "https://a.co/1"}
    assert canonical_url("https://a.co/1", loop) in ("https://a.co/1", "https://b.co/1")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_canonical_url_never_raises(s: str) -> None:
    out = canonical_url(s)
    assert out is None or out.startswith("https://")
    canonical_url("https://" + s)
    canonical_url("http://[" + s)


def test_poisson_tail() -> None:
    # P(X >= 3 | mu = 0.5) = 1 - e^-0.5 (1 + 0.5 + 0.125)
    exact = 1 - math.exp(-0.5) * (1 + 0.5 + 0.125)
    assert poisson_log10_sf(3, 0.5) == pytest.approx(math.log10(exact), rel=1e-9)
    assert poisson_log10_sf(2, 5.0) == 0.0
    assert poisson_log10_sf(40, 1e-3) < -100


def test_detector_finds_the_two_campaigns_and_not_organic_news() -> None:
    recs = _records()
    posts = [parse_post(r)[0] for r in recs]
    found = CampaignDetector().detect(posts, redirects_from(recs))
    assert [c["post_ids"] for c in found] == [VN, FR]
    vn, fr = found
    assert vn["bursts"] == 2 and len(vn["accounts"]) == 7  # came back two days later: one campaign
    assert fr["shared_urls"] == [
        "https://infos-verite.fr/vaccins-puces-5g"
    ]  # link only, different texts
    assert vn["first_seen"] == "2026-03-02T08:15:05Z" and vn["last_seen"] == "2026-03-04T20:40:38Z"
    assert all(0 < c["score"] <= 1 for c in found)


def test_window_and_min_accounts_matter() -> None:
    posts = [parse_post(r)[0] for r in _records()]
    assert CampaignDetector(Params(window=3)).detect(posts) == []  # posts are 6-8 s apart
    assert [c["post_ids"] for c in CampaignDetector(Params(min_accounts=7)).detect(posts)] == [VN]


def test_organic_same_news_over_hours_is_not_a_campaign_even_when_busy() -> None:
    # 60 unrelated accounts share one article over 6 hours; a few land within a minute of each other
    posts = [
        Post(
            id=str(i),
            text="WHO says the new malaria vaccine cut child deaths in pilot countries",
            author=f"r{i}",
            ts=1_772_000_000 + i * 360 + (i % 3) * 20,
            url="https://reuters.com/health/malaria",
        )
        for i in range(60)
    ]
    assert CampaignDetector().detect(posts) == []
    # ...but 8 accounts posting it within 30 s in the middle of that is a coordinated burst
    burst = [
        Post(
            id=f"b{i}",
            text="WHO says the new malaria vaccine cut child deaths in pilot countries!!",
            author=f"bot{i}",
            ts=1_772_000_000 + 3 * 3600 + i * 4,
        )
        for i in range(8)
    ]
    found = CampaignDetector().detect(posts + burst)
    assert len(found) == 1 and set(found[0]["accounts"]) >= {f"bot{i}" for i in range(8)}


def test_a_story_taking_off_is_not_a_burst_but_silence_after_one_is() -> None:
    t0 = 1_772_000_000
    text = "Breaking: magnitude 6.1 earthquake hits off the coast, tsunami warning issued"
    # 18 accounts in the first minute, then the story keeps being shared (10 a minute for 10 min)
    onset = [Post(id=f"o{i}", text=text, author=f"o{i}", ts=t0 + i * 3) for i in range(18)]
    onset += [Post(id=f"l{i}", text=text, author=f"l{i}", ts=t0 + 60 + i * 6) for i in range(100)]
    assert CampaignDetector().detect(onset) == []
    # the same 18 posts in a minute, then nothing: coordinated
    found = CampaignDetector().detect(onset[:18])
    assert len(found) == 1 and len(found[0]["accounts"]) == 18


def test_cli_campaigns_writes_campaigns_and_reports_rejections(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out.jsonl"
    r = cli("campaigns", "--input", str(DATA), "--output", str(out))
    assert r.exit_code == 0, r.output
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [c["post_ids"] for c in rows] == [VN, FR]
    assert set(rows[0]) >= {
        "campaign_id",
        "post_ids",
        "accounts",
        "first_seen",
        "last_seen",
        "shared_urls",
        "sample_text",
        "score",
    }

    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        DATA.read_text(encoding="utf-8")
        + '{"id": "x1", "text": "hi", "author": "a"}\n'  # no published_at
        + "not json\n"
        + '{"id": "post-001", "text": "dup", "author": "a", "published_at": "2026-03-02T08:15:05Z"}\n'
        + '{"id": "x2", "text": 5, "author": "a", "published_at": 1}\n',
        encoding="utf-8",
    )
    r = cli("campaigns", "--input", str(bad))
    assert r.exit_code == 1
    assert [json.loads(x)["post_ids"] for x in r.stdout.splitlines()] == [VN, FR]
    for line in (37, 38, 39, 40):
        assert f"bad.jsonl:{line}:" in r.stderr
    assert cli("campaigns", "--input", str(DATA), "--window", "0").exit_code == 2
    assert cli("campaigns", "--input", str(tmp_path / "missing.jsonl")).exit_code == 2


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["id", "text", "author", "published_at", "url", "x"]),
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=40)),
    )
)
def test_parse_post_never_raises(obj: dict) -> None:
    post, why = parse_post(obj)
    assert (post is None) != (why is None)


def _items(recs: list[dict]) -> list[Item]:
    return [
        Item(
            source="test",
            native_id=r["id"],
            text=r["text"],
            url=r.get("url"),
            author=r["author"],
            published_at=datetime.fromisoformat(r["published_at"].replace("Z", "+00:00")),
            extra={"expanded_url": r["expanded_url"]} if "expanded_url" in r else {},
        )
        for r in recs
    ]


def test_analyser_is_incremental_and_persists_its_state(store) -> None:  # type: ignore[no-untyped-def]
    recs = _records()
    items = _items(recs)
    store.add_items(items)
    by_native = {it.native_id: it for it in items}
    day1 = [it for it in items if it.published_at and it.published_at.day < 4]
    day2 = [it for it in items if it.published_at and it.published_at.day >= 4]

    a1 = CampaignsAnalyser(store)
    s1 = a1.analyse(day1)
    assert {s.kind for s in s1} == {"campaign"} and {s.target_type for s in s1} == {"campaign"}
    flagged1 = {s.item_id for s in s1}
    assert flagged1 == {by_native[p].id for p in VN[:7] + FR}
    vn_id = next(s.target_id for s in s1 if s.item_id == by_native["post-001"].id)
    ev = next(s.evidence for s in s1 if s.item_id == by_native["post-001"].id)
    assert ev["n_accounts"] == 7 and ev["window_seconds"] == 60 and ev["sample_text"]

    a1.save()
    a2 = CampaignsAnalyser(store)  # a new process: state comes from the store
    s2 = a2.analyse(day2)
    assert {s.target_id for s in s2 if s.item_id == by_native["post-010"].id} == {vn_id}
    assert {by_native[p].id for p in VN} <= {s.item_id for s in s2}
    organic = {
        by_native[r["id"]].id for r in recs if r["author"].startswith(("reader_", "person_"))
    }
    assert not organic & ({s.item_id for s in s1} | {s.item_id for s in s2})


def test_pipeline_opens_campaign_cases(store) -> None:  # type: ignore[no-untyped-def]
    import factwatch.analysers.campaigns  # noqa: F401 - registers "campaigns"
    from factwatch.analysers import REGISTRY, AnalysisContext
    from factwatch.pipeline import analyse_pending

    store.add_items(_items(_records()))
    analyser = REGISTRY["campaigns"](AnalysisContext(store=store))
    analyse_pending(store, batch_size=10, analysers=[analyser])
    cases = [c for c in store.list_cases() if c.kind == "campaign"]
    assert len(cases) == 2 and {c.target_type for c in cases} == {"campaign"}
    sizes = sorted(len(c.item_ids) for c in cases)
    assert sizes == [len(FR), len(VN)]
    assert store.get_state("campaigns")  # state persisted for the next run


def _campaign_signal_counts(store) -> dict[int, int]:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from factwatch.store import schema as t

    with store.engine.connect() as conn:
        rows = conn.execute(
            select(t.signals.c.item_id, func.count())
            .where(t.signals.c.kind == "campaign")
            .group_by(t.signals.c.item_id)
        ).all()
    return {int(r[0]): int(r[1]) for r in rows}


def test_two_workers_find_the_campaigns_one_process_finds(store) -> None:  # type: ignore[no-untyped-def]
    """Campaign state is one for the whole stream: workers sharing the items (each seeing only
    part of every burst) find the same two campaigns, each post flagged once."""
    import threading

    from factwatch.workers.loading import load
    from factwatch.workers.queue import run_worker

    store.add_items(_items(_records()))
    reports = []
    # Both workers have built their analysers before either claims a batch, and each batch takes
    # a moment (a per-batch analyser that only waits): campaigns is an ordered analyser, so the
    # per-batch side is otherwise empty and one thread can claim every batch before the other
    # is scheduled (seen twice on a loaded machine).
    ready = threading.Barrier(2)

    class Pace:
        name = "pace"

        def analyse(self, items):  # type: ignore[no-untyped-def]
            time.sleep(0.05)
            return []

    def work() -> None:
        first = [True]

        def build():  # type: ignore[no-untyped-def]
            analysers = [*load(store, ["campaigns"]), Pace()]
            if first[0]:
                first[0] = False
                ready.wait(60)
            return analysers

        reports.append(
            run_worker(
                store,
                build,
                batch_size=3,
                exit_when_idle=True,
                poll=0.05,
            )
        )

    threads = [threading.Thread(target=work) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert sum(r.items for r in reports) == len(_records())
    assert all(r.items > 0 for r in reports)  # both workers took batches
    cases = [c for c in store.list_cases() if c.kind == "campaign"]
    assert sorted(len(c.item_ids) for c in cases) == [len(FR), len(VN)]
    counts = _campaign_signal_counts(store)
    assert len(counts) == len(FR) + len(VN) and set(counts.values()) == {1}


def test_follow_is_exactly_once_when_the_analyser_fails(store) -> None:  # type: ignore[no-untyped-def]
    from factwatch.workers.follow import catch_up, follow

    items = _items(_records())
    store.add_items(items)
    store.mark_analysed([it.id for it in store.iter_items()])
    a = CampaignsAnalyser(store)
    real = a.analyse

    def crash(batch):  # type: ignore[no-untyped-def]
        real(batch)  # the state in memory moves on...
        raise RuntimeError("killed mid-step")

    a.analyse = crash  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        follow(store, a)
    assert store.get_state("campaigns") is None and _campaign_signal_counts(store) == {}
    a.analyse = real  # type: ignore[method-assign]
    assert catch_up(store, [a]) == len(items)  # ...but is reloaded: every item fed once more
    counts = _campaign_signal_counts(store)
    assert len(counts) == len(FR) + len(VN) and set(counts.values()) == {1}
    assert a.cursor == max(it.id for it in store.iter_items())
    assert catch_up(store, [a]) == 0  # nothing new: nothing fed twice
    b = CampaignsAnalyser(store)  # another process: same cursor from the store
    assert b.cursor == a.cursor and follow(store, b) == 0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(max_size=60),
            st.sampled_from(["a", "b", "c", "d", "e", "f"]),
            st.floats(min_value=0, max_value=600, allow_nan=False),
            st.one_of(
                st.none(),
                st.sampled_from(
                    ["https://x.vn/a?utm_source=1", "http://www.x.vn/a/", "bit.ly/q", "::"]
                ),
            ),
        ),
        max_size=40,
    )
)
def test_detect_on_arbitrary_posts(rows: list) -> None:
    posts = [
        Post(id=str(i), text=t, author=a, ts=1_772_000_000 + ts, url=u)
        for i, (t, a, ts, u) in enumerate(rows)
    ]
    found = CampaignDetector(Params(min_accounts=2)).detect(posts)
    ids = [p for c in found for p in c["post_ids"]]
    assert len(ids) == len(set(ids))  # a post belongs to one campaign at most
    for c in found:
        assert (
            len(c["accounts"]) >= 2 and c["first_seen"] <= c["last_seen"] and 0 <= c["score"] <= 1
        )


def test_campaigns_do_not_depend_on_how_the_stream_is_batched() -> None:
    """Late posts (published hours before the newest post seen) used to be dropped from the
    buffers at once: a late burst cut across batches was never seen.  Any cut gives the same."""
    import random

    items = _items(_records())
    for i, it in enumerate(items):
        it.id = i + 1

    def campaigns(sizes: list[int]) -> list[set[int]]:
        a = CampaignsAnalyser(None)
        found: dict[str, set[int]] = {}
        pos = 0
        for n in sizes:
            for s in a.analyse(items[pos : pos + n]):
                found.setdefault(s.target_id, set()).add(s.item_id)
            pos += n
        return sorted(found.values(), key=len)

    whole = campaigns([len(items)])
    assert [len(c) for c in whole] == [len(FR), len(VN)]
    rng = random.Random(3)
    for _ in range(40):
        sizes, left = [], len(items)
        while left > 0:
            sizes.append(min(left, rng.randint(1, 8)))
            left -= sizes[-1]
        assert campaigns(sizes) == whole, sizes
    assert campaigns([1] * len(items)) == whole


def test_state_written_before_arrival_numbers_loads() -> None:
    a = CampaignsAnalyser(None)
    items = _items(_records())
    for i, it in enumerate(items):
        it.id = i + 1
    a.analyse(items[:10])
    z = np.load(io.BytesIO(a.to_bytes()), allow_pickle=False)
    state = json.loads(bytes(z["state"]).decode("utf-8"))
    state.pop("arrivals")
    state["buffers"] = {
        k: [x[:4] for x in v] for k, v in state["buffers"].items()
    }  # the old format
    buf = io.BytesIO()
    np.savez(
        buf,
        index=z["index"],
        state=np.frombuffer(json.dumps(state).encode("utf-8"), dtype=np.uint8),
    )
    b = CampaignsAnalyser(None)
    b.load_state(buf.getvalue())
    assert b.arrivals == 0 and all(len(x) == 5 for v in b.buffers.values() for x in v)
    b.analyse(items[10:])  # goes on from the old state
    assert b.arrivals == len(items) - 10
