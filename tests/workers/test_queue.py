"""The durable queue: claims are disjoint, a lost lease cannot commit, dead items are given up."""

from __future__ import annotations

import threading

from sqlalchemy import func, select
from workers_support import posts, probe_counts

from factwatch.store import Store
from factwatch.store.schema_work import work_queue
from factwatch.workers.loading import load
from factwatch.workers.queue import claim, commit_batch, queue_status, run_worker


def test_claims_are_disjoint_and_expired_leases_reclaimed(store: Store) -> None:
    store.add_items(posts(30))
    a = claim(store, "A", 10, lease=60)
    b = claim(store, "B", 10, lease=60)
    assert len(a) == len(b) == 10 and not set(a) & set(b)
    c = claim(store, "C", 10, lease=0.0)  # expires at once, as if C had died
    assert len(c) == 10 and not set(c) & (set(a) | set(b))
    assert claim(store, "D", 10, lease=60) == c  # C's items are taken over
    assert claim(store, "E", 10, lease=60) == []  # everything else is held
    assert queue_status(store).leased == 30


def test_lost_lease_commits_nothing(store: Store) -> None:
    store.add_items(posts(6))
    (probe,) = load(store, ["probe"])
    mine = claim(store, "slow", 6, lease=0.0)  # expires immediately: as if the worker stalled
    stolen = claim(store, "fast", 6, lease=60)
    assert mine == stolen
    items = store.get_items(mine)
    assert commit_batch(store, "slow", items, probe.analyse(items)) is False
    assert sum(probe_counts(store).values()) == 0 and store.count_items(unanalysed=True) == 6
    assert commit_batch(store, "fast", items, probe.analyse(items)) is True
    assert probe_counts(store) == {i: 1 for i in mine}
    assert store.count_items(unanalysed=True) == 0
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(work_queue)).scalar_one() == 0


def test_items_failing_every_time_are_given_up(store: Store) -> None:
    store.add_items(posts(3))
    for _ in range(2):
        assert claim(store, "crashy", 3, lease=0.0, max_attempts=2)
    assert claim(store, "next", 3, lease=60, max_attempts=2) == []
    st = queue_status(store, max_attempts=2)
    assert (st.pending, st.dead) == (0, 3)


class Boom:
    name = "boom"

    def analyse(self, items):  # type: ignore[no-untyped-def]
        raise RuntimeError("model crashed")


def test_worker_survives_a_failing_analyser(store: Store) -> None:
    store.add_items(posts(4))
    rep = run_worker(
        store,
        lambda: [Boom()],
        batch_size=2,
        exit_when_idle=True,
        poll=0.05,
        max_attempts=2,
        log=lambda m: None,
    )
    assert rep.failed_batches == 4 and rep.items == 0  # 2 batches x 2 attempts, then given up
    assert queue_status(store, max_attempts=2).dead == 4


def test_concurrent_workers_analyse_each_item_once(store: Store) -> None:
    store.add_items(posts(60))
    reports = []

    def work() -> None:
        reports.append(
            run_worker(
                store, lambda: load(store, ["probe"]), batch_size=5, exit_when_idle=True, poll=0.05
            )
        )

    threads = [threading.Thread(target=work) for _ in range(3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert sum(r.items for r in reports) == 60
    assert store.count_items(unanalysed=True) == 0
    assert set(probe_counts(store).values()) == {1} and len(probe_counts(store)) == 60


def test_workers_opening_the_same_case_at_once(store: Store) -> None:
    """Batches of several workers matching the same fact-check all commit, into one case."""
    from factwatch.models import Signal

    store.add_items(posts(40))
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            while ids := claim(store, name, 4, lease=60):
                items = store.get_items(ids)
                sigs = [
                    Signal(item_id=i, kind="claim_match", score=0.9, target_type="factcheck", target_id=fc,
                           evidence={"claim": fc})
                    for i in ids for fc in ("fc-vaccine-chip", "fc-5g-covid")
                ]  # fmt: skip
                assert commit_batch(store, name, items, sigs)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert errors == []
    cases = store.list_cases()
    assert sorted(c.target_id for c in cases) == ["fc-5g-covid", "fc-vaccine-chip"]
    assert all(len(c.item_ids) == 40 for c in cases)


def test_analyze_beside_a_worker_analyses_each_item_once(store: Store) -> None:
    """`factwatch analyze` takes leases like a worker, so the two may share a database."""
    from factwatch.pipeline import analyse_pending

    store.add_items(posts(60))
    reports = []

    def worker() -> None:
        reports.append(
            run_worker(
                store, lambda: load(store, ["probe"]), batch_size=4, exit_when_idle=True, poll=0.05
            )
        )

    th = threading.Thread(target=worker)
    th.start()
    rep = analyse_pending(store, batch_size=4, analysers=load(store, ["probe"]))
    th.join(60)
    assert rep.items + reports[0].items == 60
    assert store.count_items(unanalysed=True) == 0
    assert set(probe_counts(store).values()) == {1} and len(probe_counts(store)) == 60


def test_analyze_stops_on_an_analyser_error_and_gives_the_batch_back(store: Store) -> None:
    import pytest

    from factwatch.pipeline import analyse_pending

    store.add_items(posts(4))
    with pytest.raises(RuntimeError, match="model crashed"):
        analyse_pending(store, batch_size=2, analysers=[Boom()])
    st = queue_status(store)
    assert st.pending == 4 and st.leased == 0  # nothing analysed, nothing left leased
