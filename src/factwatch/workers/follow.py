"""Ordered analysers: state that must see the whole stream, once, in order.

Most analysers judge each item on its own, so any worker may run them on any batch.  Campaign
detection cannot: a burst of copies is only visible to something that sees *all* the posts, and
its index (near-duplicates, recent posts, campaigns found so far) is one shared state.  Running a
copy in every worker would split each burst between workers and let the last one to save its
state overwrite the others'.

So an *ordered* analyser (``register(name, ordered=True)``, see
:class:`~factwatch.analysers.base.OrderedAnalyser`) does not run inside the workers' batches.
After their batches, the workers (and ``analyze``, and the ``backfill`` client) call
:func:`follow`, which, in one write transaction:

1. takes the analyser's lock (``pg_try_advisory_xact_lock`` on PostgreSQL, so a worker that finds
   it taken simply goes on; on SQLite the write transaction is already exclusive);
2. reloads the analyser's state from the database if another process wrote it since;
3. reads the analysed items after the state's cursor, in id order, stopping before the first item
   some worker may still analyse (so no item is ever skipped, whatever order batches commit in);
4. runs the analyser, stores its signals and cases, and saves its state with the new cursor.

Signals, cases, state and cursor commit together: a process killed mid-way leaves the cursor where
it was and the next :func:`follow` redoes the same items; each item is fed exactly once.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Sequence

from sqlalchemy import func, select, text

from factwatch.analysers import is_ordered
from factwatch.analysers.base import Analyser, OrderedAnalyser
from factwatch.models import utcnow
from factwatch.pipeline import AnalyseReport, store_signals
from factwatch.store import Store
from factwatch.store import schema as t
from factwatch.store.schema_work import DEFAULT_MAX_ATTEMPTS, given_up
from factwatch.workers.txn import write_txn

FOLLOW_LIMIT = 5000  # items fed to an ordered analyser per transaction


def split(analysers: Sequence[Analyser]) -> tuple[list[Analyser], list[OrderedAnalyser]]:
    """(per-batch analysers, ordered analysers)."""
    batch = [a for a in analysers if not is_ordered(a)]
    ordered = [a for a in analysers if is_ordered(a)]
    return batch, ordered  # type: ignore[return-value]


def _lock_key(name: str) -> int:
    return zlib.crc32(f"factwatch:{name}".encode()) - 2**31  # a signed 32-bit advisory lock key


def follow(
    store: Store,
    analyser: OrderedAnalyser,
    limit: int = FOLLOW_LIMIT,
    report: AnalyseReport | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    wait: bool = False,
) -> int:
    """Feed ``analyser`` the next analysed items past its cursor (at most ``limit``); the number
    fed (0: nothing new, or another process holds the lock and ``wait`` is false)."""
    name = analyser.state_name
    try:
        with write_txn(store) as conn:
            if store.dialect == "postgresql":
                fn = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
                locked = conn.execute(text(f"SELECT {fn}(:k)"), {"k": _lock_key(name)}).scalar()
                if not wait and not locked:
                    return 0
            stamp = store.state_stamp(name, conn)
            if stamp is None or stamp != analyser.stamp:
                analyser.load_state(store.get_state(name, conn))
            dead = given_up(max_attempts, utcnow())
            blocker = conn.execute(
                select(func.min(t.items.c.id)).where(t.items.c.analysed_at.is_(None), ~dead)
            ).scalar()
            stmt = select(t.items).where(
                t.items.c.id > analyser.cursor, t.items.c.analysed_at.is_not(None)
            )
            if blocker is not None:
                stmt = stmt.where(t.items.c.id < blocker)
            rows = conn.execute(stmt.order_by(t.items.c.id).limit(limit)).all()
            if not rows:
                analyser.stamp = stamp
                return 0
            items = [store.item_from_row(r) for r in rows]
            signals = analyser.analyse(items)
            analyser.cursor = int(items[-1].id or analyser.cursor)
            store_signals(store, signals, conn, report)
            store.put_state(name, analyser.to_bytes(), conn)
            analyser.stamp = store.state_stamp(name, conn)
            if report is not None:
                report.signals[analyser.name] = report.signals.get(analyser.name, 0) + len(signals)
    except BaseException:
        analyser.stamp = None  # the state in memory may be ahead of the database: reload it
        raise
    return len(items)


def catch_up(
    store: Store,
    analysers: Sequence[OrderedAnalyser],
    report: AnalyseReport | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> int:
    """Follow until every ordered analyser has seen every analysed item it may see now (waiting
    for the lock: a process that stops after this knows nothing is left behind)."""
    total = 0
    for a in analysers:
        while True:
            n = follow(store, a, report=report, max_attempts=max_attempts, wait=True)
            total += n
            if n == 0:
                break
    return total


class Follower:
    """Calls :func:`follow` from a worker loop, not after every small batch: saving a large state
    costs time, so a step runs when ``min_items`` are waiting or ``every`` seconds have passed."""

    def __init__(
        self,
        store: Store,
        analysers: Sequence[OrderedAnalyser],
        every: float = 10.0,
        min_items: int = 1000,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    ) -> None:
        self.store = store
        self.max_attempts = max_attempts
        self.analysers = list(analysers)
        self.every = every
        self.min_items = min_items
        self._last = 0.0
        self._since = 0

    def after_batch(self, n_items: int, report: AnalyseReport | None = None) -> None:
        self._since += n_items
        if not self.analysers:
            return
        if self._since >= self.min_items or time.monotonic() - self._last >= self.every:
            for a in self.analysers:
                follow(self.store, a, report=report, max_attempts=self.max_attempts)
            self._since = 0
            self._last = time.monotonic()

    def finish(self, report: AnalyseReport | None = None) -> None:
        catch_up(self.store, self.analysers, report, self.max_attempts)
        self._since = 0
        self._last = time.monotonic()


__all__ = ["FOLLOW_LIMIT", "Follower", "catch_up", "follow", "split"]
