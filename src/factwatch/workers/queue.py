"""A durable work queue in the database, shared by ``factwatch worker`` processes.

The queue is the set of items not yet analysed (``items.analysed_at IS NULL``).  A worker claims a
batch by writing a lease (owner, expiry) for each item in ``work_queue``:

- PostgreSQL: ``SELECT ... FOR UPDATE SKIP LOCKED`` picks rows no other claimer is holding, so
  workers never wait on each other; expired leases are re-claimed the same way.
- SQLite: one writer at a time; the claim runs in a ``BEGIN IMMEDIATE`` transaction.

The worker then runs the analysers outside any transaction and stores the results in one
transaction that first deletes its leases (``DELETE ... WHERE lease_owner = me``) and marks the
items analysed (``... WHERE analysed_at IS NULL``).  Unless both touch every item of the batch
(another worker re-claimed an expired lease, or the item was analysed meanwhile) the transaction
rolls back, so an item's signals are stored exactly once.  A worker killed mid-batch leaves only
leases, which expire and are claimed again; an item that keeps failing is given up after
``max_attempts`` claims (left unanalysed, counted as dead).
"""

from __future__ import annotations

import os
import secrets
import socket
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import (
    DateTime,
    Integer,
    String,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection
from sqlalchemy.sql.dml import Insert

from factwatch.analysers.base import Analyser
from factwatch.models import Item, Signal, utcnow
from factwatch.pipeline import AnalyseReport, prepare, store_signals
from factwatch.store import Store
from factwatch.store import schema as t
from factwatch.store.schema_work import DEFAULT_MAX_ATTEMPTS, given_up
from factwatch.store.schema_work import work_queue as q
from factwatch.workers.follow import Follower, split
from factwatch.workers.txn import retrying, write_txn

DEFAULT_LEASE = 300.0
_TS = DateTime(timezone=True)


class LeaseLost(Exception):
    """The batch can no longer be committed by this worker."""


def new_owner() -> str:
    """A worker's identity: host, process and a random part (pids are reused)."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{secrets.token_hex(4)}"


def claim(
    store: Store,
    owner: str,
    limit: int,
    lease: float = DEFAULT_LEASE,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    now: datetime | None = None,
) -> list[int]:
    """Lease up to ``limit`` items to ``owner``: expired leases first, then items never claimed."""
    now = now or utcnow()
    expires = now + timedelta(seconds=lease)
    pg = store.dialect == "postgresql"
    got: list[int] = []
    with write_txn(store) as conn:
        stale = (
            select(q.c.item_id)
            .where(
                q.c.lease_expires < now,
                q.c.attempts < max_attempts,
                exists().where(t.items.c.id == q.c.item_id, t.items.c.analysed_at.is_(None)),
            )
            .order_by(q.c.item_id)
            .limit(limit)
        )
        if pg:
            stale = stale.with_for_update(of=q, skip_locked=True)
        got += (
            conn.execute(
                update(q)
                .where(q.c.item_id.in_(stale.scalar_subquery()))
                .values(
                    lease_owner=owner,
                    lease_expires=expires,
                    attempts=q.c.attempts + 1,
                    claimed_at=now,
                )
                .returning(q.c.item_id)
            )
            .scalars()
            .all()
        )
        # PostgreSQL: a claim whose snapshot predates another worker's just-committed claim can
        # pick the same items, which ON CONFLICT then skips; a new statement sees the new rows.
        for _ in range(3 if pg else 1):
            want = limit - len(got)
            if want <= 0:
                break
            fresh = (
                select(
                    t.items.c.id,
                    literal(owner, String),
                    literal(expires, _TS),
                    literal(1, Integer),
                    literal(now, _TS),
                )
                .where(
                    t.items.c.analysed_at.is_(None), ~exists().where(q.c.item_id == t.items.c.id)
                )
                .order_by(t.items.c.id)
                .limit(want)
            )
            cols = ["item_id", "lease_owner", "lease_expires", "attempts", "claimed_at"]
            ins: Insert
            if pg:
                # NO KEY UPDATE: does not block signals' foreign-key checks on the same items.
                fresh = fresh.with_for_update(of=t.items, skip_locked=True, key_share=True)
                ins = (
                    pg_insert(q)
                    .from_select(cols, fresh)
                    .on_conflict_do_nothing(index_elements=["item_id"])
                )
            else:
                ins = insert(q).from_select(cols, fresh)
            new = conn.execute(ins.returning(q.c.item_id)).scalars().all()
            got += new
            if not new or len(new) == want:
                break
    return sorted(got)


def release(store: Store, owner: str, ids: Sequence[int]) -> None:
    """Give leases back now (after a failure) so that any worker may claim the items again."""
    if not ids:
        return
    with write_txn(store) as conn:
        conn.execute(
            update(q)
            .where(q.c.item_id.in_(list(ids)), q.c.lease_owner == owner)
            .values(lease_expires=utcnow())
        )


def _set_langs(conn: Connection, items: Sequence[Item]) -> None:
    by_lang: dict[str, list[int]] = {}
    for it in items:
        if it.lang and it.id is not None:
            by_lang.setdefault(it.lang, []).append(it.id)
    for lang, ids in by_lang.items():
        conn.execute(
            update(t.items).where(t.items.c.id.in_(ids), t.items.c.lang.is_(None)).values(lang=lang)
        )


def commit_batch(
    store: Store,
    owner: str,
    items: Sequence[Item],
    signals: Sequence[Signal],
    report: AnalyseReport | None = None,
) -> bool:
    """Store the batch's signals and cases and mark its items analysed, in one transaction that
    commits only if ``owner`` still holds the lease on every item.  False: nothing was written
    (the leases still held are given back).  A transaction that loses a race on a shared row
    (two workers opening the same case) is rolled back and tried again."""
    ids = [it.id for it in items if it.id is not None]
    # Cases in a fixed order: concurrent batches lock shared case rows in the same order.
    ordered = sorted(
        signals, key=lambda s: (s.target_type or "", s.target_id or "", s.item_id, s.kind)
    )

    def attempt() -> None:
        touched: set[int] = set()
        with write_txn(store) as conn:
            held = conn.execute(
                delete(q).where(q.c.item_id.in_(ids), q.c.lease_owner == owner)
            ).rowcount
            if held != len(ids):
                raise LeaseLost(f"{len(ids) - held} of {len(ids)} leases lost")
            marked = conn.execute(
                update(t.items)
                .where(t.items.c.id.in_(ids), t.items.c.analysed_at.is_(None))
                .values(analysed_at=utcnow())
            ).rowcount
            if marked != len(ids):
                raise LeaseLost(f"{len(ids) - marked} of {len(ids)} items already analysed")
            _set_langs(conn, items)
            rep = AnalyseReport()
            store_signals(store, ordered, conn, rep)
            touched = rep.cases_touched
        if report is not None:
            report.cases_touched |= touched

    try:
        retrying(attempt)
    except LeaseLost:
        release(store, owner, ids)
        return False
    except Exception:
        release(store, owner, ids)
        raise
    return True


@dataclass
class QueueStatus:
    pending: int  # unanalysed items that some worker may still analyse
    leased: int  # of which currently leased
    dead: int  # unanalysed items given up after max_attempts claims
    next_expiry: datetime | None  # earliest lease expiry


def queue_status(
    store: Store, max_attempts: int = DEFAULT_MAX_ATTEMPTS, now: datetime | None = None
) -> QueueStatus:
    now = now or utcnow()
    dead_q = given_up(max_attempts, now)
    with store.engine.connect() as conn:
        unanalysed = t.items.c.analysed_at.is_(None)
        pending = conn.execute(
            select(func.count()).select_from(t.items).where(unanalysed, ~dead_q)
        ).scalar_one()
        dead = conn.execute(
            select(func.count()).select_from(t.items).where(unanalysed, dead_q)
        ).scalar_one()
        leased, nxt = conn.execute(
            select(func.count(), func.min(q.c.lease_expires)).where(q.c.lease_expires >= now)
        ).one()
    if isinstance(nxt, datetime) and nxt.tzinfo is None:
        nxt = nxt.replace(tzinfo=UTC)
    return QueueStatus(int(pending), int(leased), int(dead), nxt)


def purge_finished(store: Store) -> int:
    """Drop queue rows of items analysed by something else (plain ``analyze``, a backfill)."""
    with write_txn(store) as conn:
        done = exists().where(t.items.c.id == q.c.item_id, t.items.c.analysed_at.is_not(None))
        return int(conn.execute(delete(q).where(done)).rowcount or 0)


def _fingerprint(store: Store) -> tuple[object, ...]:
    """Changes when fact-checks or entities change: analysers' indexes must then be rebuilt."""
    with store.engine.connect() as conn:
        fc = conn.execute(select(func.count(), func.max(t.factchecks.c.updated_at))).one()
        en = conn.execute(select(func.count(), func.max(t.entities.c.updated_at))).one()
    return (*fc, *en)


@dataclass
class WorkerReport(AnalyseReport):
    batches: int = 0
    lost_batches: int = 0  # batches whose leases were taken over: nothing stored, re-done elsewhere
    failed_batches: int = 0  # batches an analyser raised on: leases given back
    reloads: int = 0
    errors: list[str] = field(default_factory=list)


def run_worker(
    store: Store,
    load: Callable[[], Sequence[Analyser]],
    batch_size: int = 64,
    lease: float = DEFAULT_LEASE,
    exit_when_idle: bool = False,
    poll: float = 2.0,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    reload_every: float = 60.0,
    owner: str | None = None,
    progress: Callable[[int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    log: Callable[[str], None] | None = None,
    raise_errors: bool = False,
) -> WorkerReport:
    """Claim, analyse and commit batches until stopped (or, with ``exit_when_idle``, until no item
    is left that any worker could analyse: leases of live workers are waited for).

    ``raise_errors``: an analyser that raises gives the batch's leases back and the error goes to
    the caller (``factwatch analyze``); otherwise it is logged and the worker goes on."""
    owner = owner or new_owner()
    say = log or (lambda m: print(m, file=sys.stderr))
    report = WorkerReport()
    analysers, ordered = split(list(load()))
    follower = Follower(store, ordered, max_attempts=max_attempts)
    fp, checked = _fingerprint(store), time.monotonic()
    while not (should_stop and should_stop()):
        if time.monotonic() - checked > reload_every:
            cur, checked = _fingerprint(store), time.monotonic()
            if cur != fp:  # new fact-checks or entities: rebuild the indexes
                analysers, ordered = split(list(load()))
                follower = Follower(store, ordered, max_attempts=max_attempts)
                fp = cur
                report.reloads += 1
        ids = claim(store, owner, batch_size, lease, max_attempts)
        if not ids:
            st = queue_status(store, max_attempts)
            if st.pending > st.leased:  # unclaimed items left: lost a race for them, try again now
                time.sleep(0.01)
                continue
            if st.pending == 0:
                purge_finished(store)
                follower.finish(report)  # ordered analysers see every item before we rest
                if exit_when_idle:
                    break
            wait = poll
            if st.next_expiry is not None:
                wait = min(poll, max(0.05, (st.next_expiry - utcnow()).total_seconds() + 0.05))
            time.sleep(wait)
            continue
        items = store.get_items(ids)
        try:
            prepare(items)
            signals: list[Signal] = []
            counts: dict[str, int] = {}
            for a in analysers:
                got = a.analyse(items)
                signals.extend(got)
                counts[a.name] = counts.get(a.name, 0) + len(got)
        except Exception as exc:  # noqa: BLE001 - one bad batch must not stop the worker
            if raise_errors:
                release(store, owner, ids)
                raise
            report.failed_batches += 1
            report.errors.append(f"items {ids[0]}..{ids[-1]}: {type(exc).__name__}: {exc}")
            say(f"worker {owner}: analysers failed on items {ids[0]}..{ids[-1]}: {exc}")
            release(store, owner, ids)
            continue
        try:
            committed = commit_batch(store, owner, items, signals, report)
        except Exception as exc:  # noqa: BLE001 - the database refused the batch: leases given back
            report.failed_batches += 1
            report.errors.append(f"items {ids[0]}..{ids[-1]}: {type(exc).__name__}: {exc}")
            say(f"worker {owner}: storing items {ids[0]}..{ids[-1]} failed: {exc}")
            continue
        if committed:
            report.batches += 1
            report.items += len(items)
            for k, v in counts.items():
                report.signals[k] = report.signals.get(k, 0) + v
            if progress is not None:
                progress(len(items))
            follower.after_batch(len(items), report)
        else:
            report.lost_batches += 1
            say(
                f"worker {owner}: lease lost on items {ids[0]}..{ids[-1]}; left to the worker that re-claimed them"
            )
    return report


__all__ = [
    "DEFAULT_LEASE",
    "LeaseLost",
    "QueueStatus",
    "WorkerReport",
    "claim",
    "commit_batch",
    "new_owner",
    "purge_finished",
    "queue_status",
    "release",
    "run_worker",
]
