"""``factwatch worker`` processes killed mid-batch: every item is still analysed exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from sqlalchemy import func, select
from workers_support import posts, probe_counts

from factwatch.store import Store
from factwatch.store.schema_work import work_queue

N = 24


def _worker(db: str, sleep: float, batch: int = 4) -> subprocess.Popen[bytes]:
    cmd = [
        sys.executable, "-c", "from factwatch.cli.main import main; main()", "--db", db, "worker", "--only", "probe",
        "--batch-size", str(batch), "--lease", "2", "--poll", "0.2", "--exit-when-idle",
    ]  # fmt: skip
    env = {**os.environ, "FACTWATCH_PROBE_SLEEP": str(sleep)}
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _leases(store: Store, owner_pid: int | None = None) -> list[int]:
    q = select(work_queue.c.item_id)
    if owner_pid is not None:
        q = q.where(work_queue.c.lease_owner.like(f"%:{owner_pid}:%"))
    with store.engine.connect() as conn:
        return list(conn.execute(q).scalars())


def test_killed_workers_leave_every_item_analysed_once(store_url: str) -> None:
    store = Store.open(store_url)
    store.add_items(posts(N))
    # Two slow workers; each is SIGKILLed while it holds a batch it has analysed part-way.
    victims = [_worker(store_url, sleep=1.0), _worker(store_url, sleep=1.0)]
    held: dict[int, list[int]] = {}
    deadline = time.monotonic() + 60
    while len(held) < len(victims) and time.monotonic() < deadline:
        for v in victims:
            if v.pid not in held and (got := _leases(store, v.pid)):
                time.sleep(0.3)  # inside the analyser's sleep: mid-batch
                v.send_signal(signal.SIGKILL)
                held[v.pid] = got
        time.sleep(0.05)
    for v in victims:
        v.wait(10)
        assert v.returncode == -signal.SIGKILL
    assert len(held) == 2, "the workers never claimed a batch"
    orphaned = set(_leases(store))
    assert orphaned >= {i for ids in held.values() for i in ids}  # their leases outlive them
    assert store.count_items(unanalysed=True) >= len(orphaned)

    # Survivors take over once the leases expire and drain the queue.
    survivors = [_worker(store_url, sleep=0.0), _worker(store_url, sleep=0.0)]
    for s in survivors:
        out, err = s.communicate(timeout=120)
        assert s.returncode == 0, err.decode()
    assert store.count_items(unanalysed=True) == 0
    counts = probe_counts(store)
    assert len(counts) == N and set(counts.values()) == {1}  # exactly one signal set per item
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(work_queue)).scalar_one() == 0
    victim_pids = {str(p) for p in held}
    signals = store.list_signals("probe")
    assert not [s for s in signals if s.target_id and s.target_id.rsplit(":", 1)[-1] in victim_pids]
    assert {s.item_id for s in signals} >= orphaned  # the killed workers' items were re-done
    store.close()
