"""``factwatch backfill``: re-run the analysers over an archive or the database on Dask distributed.

The client cuts the work into partitions (a few hundred items each) and keeps a bounded number of
them in flight on the cluster.  Each Dask worker process builds the analysers (models, fact-check
index) once, in a process-global cache keyed by database URL and analyser names, and reuses them
for every partition it is given.

Where results go:
- PostgreSQL: each task stores its partition itself (items with ``Store.add_items``, idempotent;
  signals and cases with ``pipeline.store_signals``), so writing scales with the workers.
- SQLite (one writer): tasks only analyse and return their signals; the client stores each
  partition as it completes.  Archive items are stored by the client before their partition is
  sent out, so that every task sees item ids.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from factwatch.analysers import is_ordered
from factwatch.analysers.base import Analyser
from factwatch.models import Item, Signal, utcnow
from factwatch.pipeline import AnalyseReport, prepare, store_signals
from factwatch.store import Store, resolve_db_url
from factwatch.store import schema as t
from factwatch.workers.txn import retrying, write_txn

DEFAULT_PARTITION = 500

# ----------------------------------------------------------------------------- on the workers
_CACHE: dict[tuple[str, tuple[str, ...]], tuple[Store, list[Analyser]]] = {}
_LOCK = threading.Lock()
_LOADS: dict[str, int] = {}  # db url -> times this process built analysers (once, the test checks)


def worker_context(db_url: str, names: Sequence[str] | None) -> tuple[Store, list[Analyser]]:
    """The store and analysers of this process, built on first use and kept."""
    key = (db_url, tuple(names or ()))
    with _LOCK:  # a worker with several threads builds them once too
        got = _CACHE.get(key)
        if got is None:
            from factwatch.workers.loading import load

            store = Store.open(db_url, migrate=False)
            got = _CACHE[key] = (store, load(store, names))
            _LOADS[db_url] = _LOADS.get(db_url, 0) + 1
    return got


def warm(db_url: str, names: Sequence[str] | None) -> int:
    """Build this process's analysers now (``client.run(warm, url, names)`` before a timed run)."""
    worker_context(db_url, names)
    return load_count(db_url)


def load_count(db_url: str | None = None) -> int:
    """Times this process built analysers (for ``db_url``, or for any database)."""
    return _LOADS.get(db_url, 0) if db_url else sum(_LOADS.values())


@dataclass
class Partition:
    """Either items (from an archive) or an id range of the database."""

    items: list[Item] | None = None
    lo: int | None = None
    hi: int | None = None
    since: datetime | None = None

    def describe(self) -> str:
        if self.items is not None:
            ids = [it.native_id for it in self.items]
            return f"archive items {ids[0]}..{ids[-1]}" if ids else "empty partition"
        return f"items {self.lo}..{self.hi}"


@dataclass
class PartResult:
    items: int = 0
    signals: list[Signal] = field(default_factory=list)  # only when the client stores them
    counts: dict[str, int] = field(default_factory=dict)
    langs: dict[int, str] = field(default_factory=dict)
    ids: list[int] = field(default_factory=list)
    cases: int = 0
    seconds: float = 0.0


def _db_items(store: Store, part: Partition) -> list[Item]:
    q = (
        select(t.items)
        .where(t.items.c.id >= part.lo, t.items.c.id <= part.hi)
        .order_by(t.items.c.id)
    )
    if part.since is not None:
        q = q.where(func.coalesce(t.items.c.published_at, t.items.c.ingested_at) >= part.since)
    with store.engine.connect() as conn:
        return [Store._item(r) for r in conn.execute(q)]


def _add_items(store: Store, items: list[Item]) -> None:
    try:
        store.add_items(items)
    except IntegrityError:  # another partition stored the same post at the same moment
        store.add_items(items)


def store_partition(
    store: Store,
    items: Sequence[Item],
    signals: Sequence[Signal],
    report: AnalyseReport | None = None,
) -> None:
    """Signals, cases, detected languages and the analysed mark of one partition, in one transaction."""
    ids = [it.id for it in items if it.id is not None]
    signals = sorted(
        signals, key=lambda s: (s.target_type or "", s.target_id or "", s.item_id, s.kind)
    )
    with write_txn(store) as conn:
        by_lang: dict[str, list[int]] = {}
        for it in items:
            if it.lang and it.id is not None:
                by_lang.setdefault(it.lang, []).append(it.id)
        for lang, lids in by_lang.items():
            conn.execute(
                update(t.items)
                .where(t.items.c.id.in_(lids), t.items.c.lang.is_(None))
                .values(lang=lang)
            )
        store_signals(store, signals, conn, report)
        conn.execute(
            update(t.items)
            .where(t.items.c.id.in_(ids), t.items.c.analysed_at.is_(None))
            .values(analysed_at=utcnow())
        )


def run_partition(
    db_url: str, names: Sequence[str] | None, part: Partition, write: bool
) -> PartResult:
    """A Dask task: analyse one partition; store the results too when ``write``."""
    start = time.perf_counter()
    store, analysers = worker_context(db_url, names)
    if part.items is not None:
        items = part.items
        if any(it.id is None for it in items):
            if not write:
                raise ValueError(
                    "archive items must be stored by the client first on this database"
                )
            _add_items(store, items)
    else:
        items = _db_items(store, part)
    res = PartResult(items=len(items), ids=[it.id for it in items if it.id is not None])
    if not items:
        return res
    prepare(items)
    signals: list[Signal] = []
    for a in analysers:
        if is_ordered(a):  # fed in order by the client at the end (factwatch.workers.follow)
            continue
        got = a.analyse(items)
        signals.extend(got)
        res.counts[a.name] = res.counts.get(a.name, 0) + len(got)
    if write:
        rep = AnalyseReport()
        retrying(lambda: store_partition(store, items, signals, rep))
        res.cases = len(rep.cases_touched)
    else:
        res.signals = signals
        res.langs = {it.id: it.lang for it in items if it.id is not None and it.lang}
    res.seconds = time.perf_counter() - start
    return res


# ----------------------------------------------------------------------------- on the client
def read_archive(paths: Sequence[str], rejections: Any) -> Iterator[Item]:
    """Items of JSONL/CSV/... files (``factwatch.sources``) and Parquet files (pyarrow)."""
    from factwatch.sources import read_source

    for path in paths:
        if path.endswith(".parquet"):
            yield from read_parquet(path, rejections)
        else:
            yield from read_source(path, rejections)


def read_parquet(path: str, rejections: Any) -> Iterator[Item]:
    """Posts from a Parquet file with the JSONL post columns (id, text, title, url, ...)."""
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - pyarrow is an optional extra
        raise ValueError(
            f"{path}: reading Parquet needs pyarrow (pip install 'pyarrow>=17')"
        ) from exc
    from factwatch.sources.posts import item_from_record

    default_source = f"file:{Path(path).name}"
    row = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=4096):
        for rec in batch.to_pylist():
            row += 1
            try:
                yield item_from_record(rec, default_source)
            except ValueError as exc:
                rejections.add(f"{path}:row {row}", str(exc))


def db_partitions(store: Store, size: int, since: datetime | None = None) -> Iterator[Partition]:
    """Id ranges covering the database's items (``since``: filtered by each task)."""
    with store.engine.connect() as conn:
        lo, hi = conn.execute(select(func.min(t.items.c.id), func.max(t.items.c.id))).one()
    if lo is None:
        return
    for start in range(int(lo), int(hi) + 1, size):
        yield Partition(lo=start, hi=min(start + size - 1, int(hi)), since=since)


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    buf: list[Item] = []
    for it in items:
        buf.append(it)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


@dataclass
class BackfillReport(AnalyseReport):
    partitions: int = 0
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    task_seconds: float = 0.0  # summed time inside tasks
    workers: int = 0
    loads_per_worker: dict[str, int] = field(default_factory=dict)
    cases: int = 0


def worker_db_url(db: str | None) -> str:
    """The URL workers open: SQLite paths made absolute (workers may run elsewhere)."""
    url = resolve_db_url(db)
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        url = "sqlite:///" + str(Path(url[len("sqlite:///") :]).resolve())
    return url


def backfill(
    db: str | None,
    inputs: Sequence[str] | None = None,
    since: datetime | None = None,
    scheduler: str | None = None,
    n_workers: int = 2,
    names: Sequence[str] | None = None,
    partition_size: int = DEFAULT_PARTITION,
    rejections: Any = None,
    progress: Callable[[int], None] | None = None,
    client: Any = None,
) -> BackfillReport:
    """Run the analysers over ``inputs`` (archive files) or the database, on a Dask cluster."""
    from distributed import Client, LocalCluster, as_completed

    from factwatch.cli._io import Rejections

    rejections = rejections if rejections is not None else Rejections(quiet=True)
    url = worker_db_url(db)
    store = Store.open(url)  # migrates once, before any worker opens it
    sqlite = store.dialect == "sqlite"
    if scheduler and sqlite:
        store.close()
        raise ValueError(
            "a remote cluster needs a database every machine reaches: use --db postgresql://..."
        )
    from factwatch.workers.loading import check_names

    unknown = check_names(names)
    if unknown:
        store.close()
        raise ValueError(f"unknown analyser(s): {', '.join(unknown)}")
    report = BackfillReport()
    start = time.perf_counter()
    cluster = None
    own_client = client is None
    if client is None:
        if scheduler:
            client = Client(scheduler)
        else:
            # each worker process gets its share of the cores for the encoder (inherited env)
            from factwatch.encoder import threads_per_worker

            os.environ.setdefault("FACTWATCH_ENCODER_THREADS", str(threads_per_worker(n_workers)))
            cluster = LocalCluster(
                n_workers=n_workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            client = Client(cluster)
    try:
        report.workers = len(client.scheduler_info().get("workers", {})) or n_workers
        window = max(4, 3 * report.workers)
        write = not sqlite
        if inputs:
            parts: Iterator[Partition] = (
                Partition(items=c)
                for c in _chunks(read_archive(inputs, rejections), partition_size)
            )
        else:
            parts = db_partitions(store, partition_size, since)
        pending: dict[Any, Partition] = {}
        ac = as_completed()

        def submit(p: Partition) -> None:
            if p.items is not None and sqlite:
                store.add_items(p.items)  # ids first: the client is SQLite's one writer
            fut = client.submit(run_partition, url, list(names or []), p, write, pure=False)
            pending[fut] = p
            ac.add(fut)

        for p in parts:
            submit(p)
            if len(pending) >= window:
                _drain_one(ac, pending, store, report, write, progress)
        while pending:
            _drain_one(ac, pending, store, report, write, progress)
        _follow_ordered(store, names, report)
        report.loads_per_worker = {str(k): int(v) for k, v in client.run(load_count, url).items()}
    finally:
        if own_client:
            client.close()
            if cluster is not None:
                cluster.close()
        store.close()
    report.seconds = time.perf_counter() - start
    return report


def _follow_ordered(store: Store, names: Sequence[str] | None, report: BackfillReport) -> None:
    """Feed the ordered analysers (campaigns) the items the partitions analysed, in item order,
    here on the client: their state is one for the whole stream."""
    from factwatch.analysers import ORDERED
    from factwatch.workers.follow import catch_up
    from factwatch.workers.loading import load

    wanted = [n for n in (names or sorted(ORDERED)) if n in ORDERED]
    if not wanted:
        return
    catch_up(store, load(store, wanted), report)  # type: ignore[arg-type]


def _drain_one(
    ac: Any,
    pending: dict[Any, Partition],
    store: Store,
    report: BackfillReport,
    write: bool,
    progress: Callable[[int], None] | None,
) -> None:
    fut = next(ac)
    part = pending.pop(fut)
    try:
        res: PartResult = fut.result()
    except Exception as exc:  # noqa: BLE001 - report the partition, go on with the others
        report.failed.append(f"{part.describe()}: {type(exc).__name__}: {exc}")
        fut.release()
        return
    fut.release()
    if not write and res.items:
        items = store.get_items(res.ids)
        for it in items:
            it.lang = it.lang or res.langs.get(it.id or -1)
        retrying(lambda: store_partition(store, items, res.signals, report))
    report.cases += res.cases
    report.partitions += 1
    report.items += res.items
    report.task_seconds += res.seconds
    for k, v in res.counts.items():
        report.signals[k] = report.signals.get(k, 0) + v
    if progress is not None:
        progress(res.items)


__all__ = [
    "BackfillReport",
    "Partition",
    "backfill",
    "load_count",
    "run_partition",
    "warm",
    "worker_context",
]
