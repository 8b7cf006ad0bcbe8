"""Web app benchmark: the queue page and case pages over 100,000 cases and 1,000,000 items.

    .venv/bin/python benchmarks/web.py [--db PATH] [--cases 100000] [--items 1000000] [--requests 200]

Builds the database once with bulk inserts (reused on later runs when the counts match), refreshes
the queue's case statistics, then requests pages in process (FastAPI app over ASGI, no network)
and reports the server-side time of each request (measured by a middleware around the app:
routing, session lookup, SQL, template rendering): p50, p95, max.  Writes
``benchmarks/results/web.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from factwatch.store import Store  # noqa: E402
from factwatch.store import review as rv  # noqa: E402

LANGS = ["vi"] * 4 + ["fr"] * 3 + ["en"] * 3
SOURCES = ["facebook", "telegram", "rss", "tiktok", "zalo", "web"]
STATUSES = ["new"] * 14 + ["in_review"] * 3 + ["verdict", "published", "dismissed"]
KINDS = ["claim_match"] * 14 + ["clickbait"] * 3 + ["lookalike_domain"] * 2 + ["impersonation"]
TEXTS = {
    "vi": "Uống nước chanh nóng mỗi sáng giúp chữa khỏi bệnh, bác sĩ xác nhận, chia sẻ ngay cho gia đình số {n}",
    "fr": "Le gouvernement cache que le vaccin contient une puce, partagez avant que ce soit supprimé numéro {n}",
    "en": "BREAKING: officials admit the city water supply was poisoned, share before they delete this post {n}",
}
T0 = datetime(2026, 9, 1, tzinfo=UTC)
FMT = "%Y-%m-%d %H:%M:%S.%f"


def _ts(dt: datetime) -> str:
    return dt.strftime(FMT)


def build(db: Path, n_cases: int, n_items: int, seed: int = 7) -> dict[str, float]:
    """Schema by migration, then rows by executemany in one transaction per table."""
    t_start = time.perf_counter()
    Store.open(str(db)).close()
    rnd = random.Random(seed)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-400000")
    # case sizes: 100 big stories (2,000 items each), the rest share what is left
    big = min(100, n_cases)
    big_size = min(2000, n_items // (4 * max(1, big)))
    rest = n_items - big * big_size
    sizes = [big_size] * big + [0] * (n_cases - big)
    for i in range(big, n_cases):
        sizes[i] = 1
    rest -= n_cases - big
    while rest > 0:  # skewed spread among small cases
        i = big + int((n_cases - big) * rnd.random() ** 2)
        sizes[i] += 1
        rest -= 1
    now = datetime(2026, 11, 29, tzinfo=UTC)
    case_rows = []
    fc_rows = []
    for c in range(n_cases):
        created = T0 + timedelta(minutes=rnd.randrange(0, 88 * 24 * 60))
        lang = rnd.choice(LANGS)
        title = TEXTS[lang].format(n=c)
        case_rows.append(
            (
                c + 1,
                "claim",
                "factcheck",
                f"fc-{c}",
                title,
                rnd.choice(STATUSES),
                None,
                _ts(created),
                _ts(created),
            )
        )
        fc_rows.append(
            (
                f"fc-{c}",
                title,
                None,
                "False",
                f"https://checks.example/{c}",
                lang,
                None,
                None,
                "Desk",
                "[]",
                "{}",
                f"{c:064d}",
                _ts(now),
                _ts(now),
            )
        )
    with con:
        con.executemany("INSERT INTO cases VALUES (?,?,?,?,?,?,?,?,?)", case_rows)
        con.executemany("INSERT INTO factchecks VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", fc_rows)
    t_cases = time.perf_counter()
    item_id = 0
    batch_items: list[tuple] = []
    batch_sig: list[tuple] = []
    batch_ci: list[tuple] = []

    def flush() -> None:
        with con:
            con.executemany("INSERT INTO items VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", batch_items)
            con.executemany("INSERT INTO signals VALUES (?,?,?,?,?,?,?,?)", batch_sig)
            con.executemany("INSERT INTO case_items VALUES (?,?,?,?)", batch_ci)
        batch_items.clear()
        batch_sig.clear()
        batch_ci.clear()

    for c, size in enumerate(sizes):
        created = datetime.strptime(case_rows[c][7], FMT).replace(tzinfo=UTC)
        lang = fc_rows[c][5]
        for _ in range(size):
            item_id += 1
            when = created + timedelta(minutes=rnd.randrange(0, 3 * 24 * 60))
            src = rnd.choice(SOURCES)
            author = f"acct{rnd.randrange(200_000)}"
            text = TEXTS[lang].format(n=item_id)
            batch_items.append(
                (
                    item_id,
                    src,
                    f"n{item_id}",
                    f"https://{src}.example/p/{item_id}",
                    author,
                    None,
                    text,
                    lang,
                    _ts(when),
                    "[]",
                    json.dumps({"shares": rnd.randrange(1000)}),
                    "{}",
                    f"{item_id:064x}",
                    _ts(when),
                    _ts(when),
                )
            )
            kind = rnd.choice(KINDS)
            ev = json.dumps({"score": 0.8, "lexical": 0.41, "dense": 0.86, "sentence": text[:60]})
            cm = kind == "claim_match"
            batch_sig.append(
                (
                    item_id,
                    item_id,
                    kind,
                    0.8,
                    "factcheck" if cm else None,
                    f"fc-{c}" if cm else None,
                    ev,
                    _ts(when),
                )
            )
            batch_ci.append((c + 1, item_id, item_id, _ts(when)))
            if len(batch_items) >= 50_000:
                flush()
    flush()
    con.execute("ANALYZE")
    con.close()
    t_items = time.perf_counter()
    store = Store.open(str(db))
    n = rv.refresh_case_stats(store, full=True, chunk=2000)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    store.close()
    t_stats = time.perf_counter()
    assert n == n_cases
    return {
        "cases_s": t_cases - t_start,
        "items_s": t_items - t_cases,
        "stats_s": t_stats - t_items,
    }


def counts(db: Path) -> tuple[int, int]:
    if not db.exists():
        return (0, 0)
    con = sqlite3.connect(db)
    try:
        return (
            con.execute("SELECT count(*) FROM cases").fetchone()[0],
            con.execute("SELECT count(*) FROM items").fetchone()[0],
        )
    except sqlite3.Error:
        return (0, 0)
    finally:
        con.close()


def pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--db", default=os.environ.get("FACTWATCH_BENCH_WEB_DB", "/tmp/factwatch-bench-web/web.db")
    )
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--items", type=int, default=1_000_000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    db = Path(args.db)
    db.parent.mkdir(parents=True, exist_ok=True)
    build_times: dict[str, float] = {}
    n_cases, n_items = counts(db)
    # each run attaches 1,000 new items (the refresh measurement): tolerate those on reuse
    if args.rebuild or n_cases != args.cases or not args.items <= n_items <= args.items + 20_000:
        for p in db.parent.glob(db.name + "*"):
            p.unlink()
        print(f"building {db} ({args.cases:,} cases, {args.items:,} items) ...", file=sys.stderr)
        build_times = build(db, args.cases, args.items)
        print(f"built: {build_times}", file=sys.stderr)
        (db.parent / (db.name + ".build.json")).write_text(json.dumps(build_times))
    elif (db.parent / (db.name + ".build.json")).exists():
        build_times = json.loads((db.parent / (db.name + ".build.json")).read_text())

    from argon2 import PasswordHasher
    from fastapi.testclient import TestClient

    from factwatch.web.app import WebSettings, create_app

    store = Store.open(str(db))
    rv._hasher = PasswordHasher(
        time_cost=1, memory_cost=1024, parallelism=1
    )  # sign-in speed is not measured
    rv.add_user(store, "bench", "editor", "bench-password")
    app = create_app(store=store, settings=WebSettings())
    timings: list[float] = []
    cpu: list[float] = []

    @app.middleware("http")
    async def timer(request, call_next):  # type: ignore[no-untyped-def]
        t, c = time.perf_counter(), time.process_time()
        resp = await call_next(request)
        timings.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        return resp

    client = TestClient(app)
    import re

    page = client.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    r = client.post(
        "/login",
        data={"name": "bench", "password": "bench-password", "login_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    rnd = random.Random(1)
    n = args.requests
    big_case = 1  # the first cases are the 2,000-item stories
    scenarios = {
        "queue, default (sort by spread)": lambda i: "/",
        "queue, status=new & lang=vi": lambda i: "/?status=new&lang=vi",
        "queue, source=telegram & signal=clickbait, by accounts": lambda i: (
            "/?source=telegram&signal=clickbait&sort=accounts"
        ),
        "queue, first seen 2026-10-01..10-07, recent": lambda i: (
            "/?date_from=2026-10-01&date_to=2026-10-07&sort=recent"
        ),
        "queue, page 500": lambda i: "/?page=500",
        "case page, random case": lambda i: f"/cases/{rnd.randrange(1, args.cases + 1)}",
        "case page, 2,000-item case": lambda i: f"/cases/{big_case + i % 100}",
    }
    rows = []
    for name, make in scenarios.items():
        client.get(make(0))  # warm
        timings.clear()
        cpu.clear()
        for i in range(n):
            resp = client.get(make(i))
            assert resp.status_code == 200, (name, resp.status_code)
        xs = [x * 1000 for x in timings]
        cs = [x * 1000 for x in cpu]
        rows.append((name, len(xs), statistics.median(xs), pct(xs, 0.95), max(xs), pct(cs, 0.95)))
        print(f"{name}: p50 {rows[-1][2]:.1f} ms p95 {rows[-1][3]:.1f} ms", file=sys.stderr)
    # refresh cost of the queue statistics after new items arrive (1,000 items into 1,000 cases)
    with store.engine.connect() as conn:
        max_item = conn.exec_driver_sql("SELECT max(id) FROM items").scalar_one()
    from factwatch.models import Item

    run = int(time.time())
    t = time.perf_counter()
    new_items = [
        Item(
            source="rss",
            native_id=f"late-{run}-{i}",
            text=f"late post {run} {i}",
            lang="en",
            author=f"late{i}",
        )
        for i in range(1000)
    ]
    store.add_items(new_items)
    with store.engine.begin() as conn:
        for i, it in enumerate(new_items):
            store.open_case(
                "claim",
                "factcheck",
                f"fc-{i * 97 % args.cases}",
                "x",
                int(it.id or max_item),
                None,
                conn,
            )
    t_ingest = time.perf_counter() - t
    t = time.perf_counter()
    refreshed = rv.refresh_case_stats(store)
    t_refresh = time.perf_counter() - t
    store.close()

    load = os.getloadavg()
    lines = [
        "# Web app benchmark",
        "",
        f"{args.cases:,} cases, {args.items:,} items (SQLite, WAL), {n} requests a scenario, server-side time "
        f"per request (ASGI app in process, signed-in editor). {os.cpu_count()} CPU cores; load average "
        f"during the run {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (the machine is shared).",
        "",
        "| page | requests | p50 ms | p95 ms | max ms | p95 CPU ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [f"| {a} | {b} | {c:.1f} | {d:.1f} | {e:.1f} | {f:.1f} |" for a, b, c, d, e, f in rows]
    lines += [
        "",
        "p50/p95/max: wall-clock time inside the server; p95 CPU: CPU time the process spent on the "
        "request (what the request costs when the cores are not shared with other jobs).",
    ]
    lines += [
        "",
        f"Queue statistics refresh after 1,000 new items attached to {refreshed:,} cases: {t_refresh * 1000:.0f} ms "
        f"(attaching them: {t_ingest:.1f} s).",
    ]
    if build_times:
        lines.append(
            f"Build: cases+fact-checks {build_times['cases_s']:.0f} s, items+signals+links "
            f"{build_times['items_s']:.0f} s, full case statistics {build_times['stats_s']:.0f} s."
        )
    lines += [
        "",
        f"Reproduce: `.venv/bin/python benchmarks/web.py` (database at {db}, reused when present).",
    ]
    text = "\n".join(lines) + "\n"
    out = ROOT / "benchmarks" / "results" / "web.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
