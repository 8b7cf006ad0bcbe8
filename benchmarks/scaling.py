"""Scaling benchmark (issue 9): ``factwatch worker`` x1/x2 on PostgreSQL and ``factwatch backfill``
on a 1- and a 2-worker Dask LocalCluster.

    .venv/bin/python benchmarks/scaling.py [--overhead-items 100000] [--full-items 2000]
                                           [--backends postgresql,sqlite] [--pg URL]

Two measurements, kept apart because the claim matcher dominates the cost of a real run:

1. **Engine overhead** on ``--overhead-items`` items (default 100,000) with the ``noop``
   analyser: what the queue (claim, lease, commit) or the Dask engine (partitioning, transfer,
   per-partition commit) costs per item, with no model in the way.
2. **Full pipeline** on ``--full-items`` real posts (CheckThat! tweets, vi/fr translations,
   COVID tweets) with every analyser the pipeline runs by default (claim matching with
   multilingual-e5-small against the CLEF fact-check base; the base's vectors are read from the
   local embedding cache when present, and only cached fact-checks are used so that the set-up
   does not embed thousands of passages).  Query vectors are deleted before every run, so each
   run embeds its posts.

Items are bulk-loaded once per backend; between runs the analysis results are deleted and
``analysed_at`` cleared.  Walls include process (or cluster) start and model loading; the
start-up is also measured alone.  Prints a markdown table and writes benchmarks/results/scaling.md.
The machine's CPU is shared with other engineers: the load average at each run is recorded.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from sqlalchemy import delete, insert, text, update  # noqa: E402

from factwatch.encoder import threads_per_worker  # noqa: E402
from factwatch.models import FactCheck, Item, utcnow  # noqa: E402
from factwatch.store import Store  # noqa: E402
from factwatch.store import schema as t  # noqa: E402
from factwatch.store.schema_work import work_queue  # noqa: E402

SHARED = Path(os.environ.get("FACTWATCH_SHARED_DATA", REPO.parent / "shared" / "data"))
RESULTS = REPO / "benchmarks" / "results" / "scaling.md"
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"


def _jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def real_posts() -> list[str]:
    """Social posts in en/fr/vi: the CheckThat! tweets (and their translations), COVID tweets."""
    cr = SHARED / "claim-retrieval" / "clef2020-en"
    cw = SHARED / "check-worthiness"
    out: list[str] = []
    for p in [cr / "train-posts.jsonl", cr / "dev-posts.jsonl", cr / "dev-posts-fr.jsonl", cr / "dev-posts-vi.jsonl",
              cw / "clef2020-task1-training_v2.jsonl", cw / "clef2020-task1-dev_v2.jsonl"]:  # fmt: skip
        out += [r["text"] for r in _jsonl(p) if r.get("text")]
    return out


def short_texts() -> list[str]:
    """Headlines and sentences (vi/en) for the 100k-item overhead runs."""
    cb = SHARED / "clickbait"
    out = [r["title"] for r in _jsonl(cb / "stop-clickbait-en.jsonl") if r.get("title")]
    out += [
        f"{r['title']}. {r.get('lead', '')}"
        for r in _jsonl(cb / "viclickbait-2025-train.jsonl")
        if r.get("title")
    ]
    out += [
        r["text"]
        for r in _jsonl(SHARED / "check-worthiness" / "claimbuster-train.jsonl")
        if r.get("text")
    ]
    return out or real_posts()


def make_items(texts: list[str], n: int, tag: str, reposts: bool = False) -> list[dict[str, Any]]:
    """``n`` items over ``texts``.  Without ``reposts`` every item's text is distinct (a counter is
    appended past the end of ``texts``); with ``reposts`` item ``i`` repeats ``texts[i % len]``
    exactly, as shares and forwards do, by different accounts spread over a day."""
    from datetime import timedelta

    now = utcnow()
    t0 = now - timedelta(days=1)
    rows = []
    for i in range(n):
        if reposts:
            text = texts[i % len(texts)]
        else:
            text = f"{texts[i % len(texts)]} #{i // len(texts)}" if i >= len(texts) else texts[i]
        it = Item(source=f"bench-{tag}", native_id=str(i), text=text,
                  author=f"acct{i % 7919}" if reposts else None,
                  published_at=t0 + timedelta(seconds=86400 * i / n) if reposts else None)  # fmt: skip
        rows.append(
            dict(source=it.source, native_id=it.native_id, text=it.text, title=None, url=None, author=it.author,
                 lang=None, published_at=it.published_at, media=[], engagement={}, extra={}, content_hash=it.content_hash, ingested_at=now)
        )  # fmt: skip
    return rows


def load_factchecks(store: Store) -> int:
    """The CLEF fact-checks whose passage vectors are in the local cache, with their vectors."""
    import sqlite3

    import numpy as np

    from factwatch.embed import MODEL_ID, cache_dir, text_key
    from factwatch.models import content_hash

    fcs = [FactCheck(id=r["id"], claim=r["claim"], title=r.get("title"), lang=r.get("lang", "en"))
           for r in _jsonl(SHARED / "claim-retrieval" / "clef2020-en" / "factchecks.jsonl")]  # fmt: skip
    path = cache_dir() / "embeddings.sqlite"
    have: dict[str, bytes] = {}
    if path.exists():
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        keys = [text_key("passage", fc.search_text) for fc in fcs]
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            have.update(
                db.execute(
                    f"SELECT key, v FROM vec WHERE key IN ({','.join('?' * len(chunk))})", chunk
                ).fetchall()
            )
        db.close()
    chosen = [fc for fc in fcs if text_key("passage", fc.search_text) in have] or fcs[:500]
    store.upsert_factchecks(chosen)
    rows = [(fc.id, content_hash(fc.search_text), np.frombuffer(have[text_key("passage", fc.search_text)], dtype="<f4"))
            for fc in chosen if text_key("passage", fc.search_text) in have]  # fmt: skip
    for i in range(0, len(rows), 1000):
        store.put_vectors("factcheck", MODEL_ID, rows[i : i + 1000])
    return len(chosen)


def bulk_insert(store: Store, rows: list[dict[str, Any]]) -> None:
    with store.engine.begin() as conn:
        for i in range(0, len(rows), 5000):
            conn.execute(insert(t.items), rows[i : i + 5000])


def reset(store: Store, drop_query_vectors: bool = False) -> None:
    """Forget every analysis result so that the next run starts from the same state."""
    with store.engine.begin() as conn:
        conn.execute(delete(work_queue))
        conn.execute(delete(t.case_items))
        conn.execute(delete(t.cases))
        conn.execute(delete(t.signals))
        conn.execute(update(t.items).values(analysed_at=None, lang=None))
        if drop_query_vectors:
            conn.execute(delete(t.embeddings).where(t.embeddings.c.owner_type == "query"))
    if store.dialect == "postgresql":
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


def load_avg() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def run_workers(db: str, n: int, only: list[str], batch: int) -> float:
    cmd = [sys.executable, "-c", "from factwatch.cli.main import main; main()", "--db", db, "worker",
           "--batch-size", str(batch), "--exit-when-idle", "--poll", "0.5"]  # fmt: skip
    for o in only:
        cmd += ["--only", o]
    start = time.perf_counter()
    env = {**os.environ, "FACTWATCH_ENCODER_THREADS": str(threads_per_worker(n))}
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        for _ in range(n)
    ]
    for p in procs:
        _, err = p.communicate()
        if p.returncode != 0:
            raise RuntimeError(f"worker failed: {err.decode()[-2000:]}")
    return time.perf_counter() - start


def run_backfill(db: str, n: int, only: list[str], partition: int) -> tuple[float, float, int]:
    from distributed import Client, LocalCluster

    from factwatch.workers.backfill import backfill, warm, worker_db_url

    start = time.perf_counter()
    os.environ["FACTWATCH_ENCODER_THREADS"] = str(threads_per_worker(n))
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR)  # fmt: skip
    client = Client(cluster)
    # Warm the workers (each builds its analysers once, as the first task would) and time it apart.
    client.run(warm, worker_db_url(db), list(only))
    up = time.perf_counter() - start
    try:
        rep = backfill(db, names=only or None, n_workers=n, partition_size=partition, client=client)
    finally:
        client.close()
        cluster.close()
    if rep.failed:
        raise RuntimeError(f"backfill partitions failed: {rep.failed[:3]}")
    return rep.seconds, up, rep.items


def run_analyze(store: Store, only: list[str], batch: int) -> float:
    from factwatch.pipeline import analyse_pending
    from factwatch.workers.loading import load

    start = time.perf_counter()
    analyse_pending(store, batch_size=batch, analysers=load(store, only or None))
    return time.perf_counter() - start


def pg_schema_url(base: str) -> tuple[str, str]:
    import psycopg

    schema = f"fw_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return f"{base}?options=-csearch_path%3D{schema}", schema


def drop_schema(base: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def fresh_db(backend: str, args: argparse.Namespace, name: str) -> tuple[str, str]:
    if backend == "postgresql":
        return pg_schema_url(args.pg)
    tmp = Path("/tmp") / f"fw-scaling-{os.getpid()}"
    tmp.mkdir(exist_ok=True)
    return str(tmp / f"{name}.db"), ""


def measure(backend: str, args: argparse.Namespace, rows_out: list[dict[str, Any]]) -> None:
    plans = []
    if args.overhead_items:
        plans.append(("overhead", ["noop"], args.overhead_items, 500, 2000))
    if args.full_items:
        plans.append(("full", [], args.full_items, 32, 25))
    for name, only, n, batch, part in plans:
        db, schema = fresh_db(backend, args, name)
        store = Store.open(db)
        try:
            label = "engine overhead (noop analyser)"
            if name == "full":
                nfc = load_factchecks(store)
                label = f"full pipeline ({nfc} fact-checks)"
            t0 = time.perf_counter()
            if name == "overhead":
                rows = make_items(short_texts(), n, name)
            elif args.full_distinct:
                import random

                pool = list(dict.fromkeys(real_posts() + short_texts()))
                random.Random(0).shuffle(pool)  # tweets (en/fr/vi), headlines (en/vi), sentences
                distinct = pool[: args.full_distinct]
                rows = make_items(distinct, n, name, reposts=True)
                label += f", {len(distinct):,} distinct texts reposted"
            else:
                rows = make_items(real_posts(), n, name)
            bulk_insert(store, rows)
            print(
                f"[{backend}] {label}: loaded {n} items in {time.perf_counter() - t0:.1f} s",
                file=sys.stderr,
            )
            if name == "full":  # what every worker process pays once before its first item
                from factwatch.embed import embed_with
                from factwatch.workers.loading import load

                t0, la = time.perf_counter(), load_avg()
                load(store, None)
                embed_with("claim", ["warm-up"])
                rows_out.append(dict(backend=backend, workload="start-up", mode="build analysers (full)", workers=1,
                                     items=0, wall=time.perf_counter() - t0, rate=0.0, ms_item=0.0, load=la,
                                     note="fact-check index + encoder load, once per process"))  # fmt: skip
            if name == "full" and "rematch" in args.modes:
                # Re-checking stored posts (retro-matching, a backfill after new fact-checks): the
                # posts' vectors are in the database already; embed them once, untimed.
                reset(store)
                run_backfill(db, 2, only, part)
                for w in (1, 2):
                    reset(store)
                    la = load_avg()
                    print(f"[{backend}] re-match x{w} (load {la}) ...", file=sys.stderr)
                    wall, up, done = run_backfill(db, w, only, part)
                    rows_out.append(dict(backend=backend, workload=f"{label}, vectors stored (re-match)",
                                         mode="backfill", workers=w, items=n, wall=wall, rate=n / wall,
                                         ms_item=1000 * wall / n, load=la,
                                         note=f"cluster start + analysers built {up:.1f} s (not in wall)"))  # fmt: skip
            for how in [m for m in args.modes if m != "rematch"]:
                for w in [1] if how == "analyze-1proc" else args.workers:
                    reset(store, drop_query_vectors=name == "full")
                    la = load_avg()
                    print(f"[{backend}] {label}: {how} x{w} (load {la}) ...", file=sys.stderr)
                    extra = ""
                    if how == "worker":
                        wall = run_workers(db, w, only, batch)
                    elif how == "analyze-1proc":
                        wall = run_analyze(store, only, batch)
                    else:
                        wall, up, done = run_backfill(db, w, only, part)
                        extra = f"cluster start + analysers built {up:.1f} s (not in wall)"
                        assert done == n, (done, n)
                    left = store.count_items(unanalysed=True)
                    assert left == 0, f"{left} items left unanalysed"
                    rows_out.append(dict(backend=backend, workload=label, mode=how, workers=w, items=n, wall=wall,
                                         rate=n / wall, ms_item=1000 * wall / n, load=la, note=extra))  # fmt: skip
                    print(f"    {n / wall:.1f} items/s", file=sys.stderr)
            if name == "overhead" and "worker" in args.modes:
                with store.engine.begin() as conn:
                    conn.execute(update(t.items).values(analysed_at=utcnow()))
                rows_out.append(dict(backend=backend, workload="start-up", mode="worker, empty queue", workers=1,
                                     items=0, wall=run_workers(db, 1, ["noop"], batch), rate=0.0, ms_item=0.0,
                                     load=load_avg(), note="process start, imports, store open"))  # fmt: skip
        finally:
            store.close()
            if schema:
                drop_schema(args.pg, schema)


def table(rows: list[dict[str, Any]]) -> str:
    out = ["| backend | workload | mode | workers | items | wall s | items/s | ms/item | scaling x2 | load avg (1/5/15 min) | note |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    base: dict[tuple[str, str, str], float] = {}
    for r in rows:
        key = (r["backend"], r["workload"], r["mode"])
        if r["workers"] == 1:
            base[key] = r["rate"]
        scale = f"{r['rate'] / base[key]:.2f}" if r["workers"] == 2 and base.get(key) else ""
        out.append(
            f"| {r['backend']} | {r['workload']} | {r['mode']} | {r['workers']} | {r['items']:,} | {r['wall']:.1f} | "
            f"{r['rate']:.{0 if r['rate'] >= 100 else 1}f} | {r['ms_item']:.2f} | {scale} | {r['load']} | {r['note']} |"
        )
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--overhead-items", type=int, default=100_000)
    ap.add_argument("--full-items", type=int, default=2_000)
    ap.add_argument(
        "--full-distinct",
        type=int,
        default=0,
        help="full pipeline over this many distinct texts, the items past them exact reposts "
        "(by other accounts, over a day); 0: every item distinct",
    )
    ap.add_argument("--backends", default="postgresql")
    ap.add_argument(
        "--modes", default="worker,backfill", help="worker, backfill, analyze-1proc, rematch"
    )
    ap.add_argument("--workers", default="1,2", help="worker counts to run (default 1,2)")
    ap.add_argument("--append", action="store_true", help="add to benchmarks/results/scaling.md")
    ap.add_argument("--pg", default=os.environ.get("FACTWATCH_BENCH_PG", PG_DEFAULT))
    args = ap.parse_args()
    args.modes = args.modes.split(",")
    args.workers = [int(w) for w in args.workers.split(",")]
    rows: list[dict[str, Any]] = []
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    try:
        for backend in args.backends.split(","):
            measure(backend, args, rows)
    finally:
        md = (
            f"# Scaling: queue workers and Dask backfill\n\nRun {started} on {os.cpu_count()} CPU cores shared with "
            f"other engineers (load average recorded per run; a quiet machine is faster).\n"
            f"Command: `.venv/bin/python benchmarks/scaling.py {' '.join(sys.argv[1:])}`\n\n{table(rows)}\n"
        )
        print(md)
        if rows:
            RESULTS.parent.mkdir(parents=True, exist_ok=True)
            if args.append and RESULTS.exists():
                md = RESULTS.read_text(encoding="utf-8") + "\n" + md.split("\n", 2)[2]
            RESULTS.write_text(md, encoding="utf-8")


if __name__ == "__main__":
    main()
