"""Crash safety: SIGKILL ``factwatch ingest`` at random moments, restart it, count what was stored.

``python benchmarks/crash_ingest.py [--items 100000] [--kills 20] [--seed 1]`` writes a JSON Lines
file of unique posts, then repeatedly starts ``factwatch --db DB ingest FILE`` as a separate
process and kills it with SIGKILL at a random moment (``--mode progress``, the default: after the
run has added a random number of new items, so each kill lands mid-ingest; ``--mode time``: after
a random delay), until ``--kills`` kills have landed; each restart reads the file from the start.
A last run goes to the end.  Then every item must be stored exactly once: no id missing, no
(source, id) twice, no content twice.  Prints a markdown table and writes
benchmarks/results/crash_ingest.md.  Takes minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def write_posts(path: Path, n: int) -> None:
    langs = [
        "Tin đồn số {i}: giá điện sẽ tăng gấp đôi từ tháng {m}.",
        "Rumeur n°{i} : la baguette passera à {m} euros.",
        "Rumour #{i}: the council will ban cars on day {m}.",
    ]
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            rec = {
                "id": f"crash-{i}",
                "text": langs[i % 3].format(i=i, m=i % 12 + 1),
                "published_at": 1709280000 + i,
            }
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def ingest_cmd(db: Path, data: Path) -> list[str]:
    # Not "python -m factwatch.cli.main": run as __main__, the module would not see --db.
    return [
        sys.executable,
        "-c",
        "from factwatch.cli.main import main; main()",
        "--db",
        str(db),
        "ingest",
        str(data),
    ]


def stored(db: Path) -> tuple[int, int, int, set[str]]:
    """(rows, duplicate (source, id) pairs, duplicate contents, distinct ids)."""
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT count(*) FROM items").fetchone()[0]
        dup_ids = con.execute(
            "SELECT count(*) FROM (SELECT 1 FROM items GROUP BY source, native_id HAVING count(*) > 1)"
        ).fetchone()[0]
        dup_hash = con.execute(
            "SELECT count(*) FROM (SELECT 1 FROM items GROUP BY content_hash HAVING count(*) > 1)"
        ).fetchone()[0]
        ids = {r[0] for r in con.execute("SELECT native_id FROM items")}
    finally:
        con.close()
    return rows, dup_ids, dup_hash, ids


def _count(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(con.execute("SELECT count(*) FROM items").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def run(
    items: int, kills: int, seed: int, workdir: Path, log=print, mode: str = "progress"
) -> dict[str, float | int]:  # type: ignore[no-untyped-def]
    """Kill ``kills`` times, then finish; ``mode`` decides when each kill lands.

    - ``progress``: once the run has stored past the next of ``kills`` random points of the file
      (and at least one new item), plus a random 0-0.5 s, so that every kill lands while items
      are being added, spread over the whole file;
    - ``time``: after a random delay (uniform between 0.2 s and a quarter of one whole run), so
      later kills often land while a restart re-reads the items already stored.
    """
    rng = random.Random(seed)
    data = workdir / "posts.jsonl"
    db = workdir / "crash.db"
    write_posts(data, items)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    full = 0.0
    if mode == "time":  # measure one whole run on a scratch database to size the kill window
        t0 = time.perf_counter()
        subprocess.run(
            ingest_cmd(workdir / "scratch.db", data), env=env, check=False, capture_output=True
        )
        full = time.perf_counter() - t0
        log(f"one uninterrupted run: {full:.1f} s for {items} items")
    points = sorted(rng.sample(range(1, items), kills)) if mode == "progress" else []
    landed = attempts = 0
    during_insert = 0
    t_start = time.perf_counter()
    while landed < kills:
        attempts += 1
        start_count = _count(db) if db.exists() else 0
        errlog = workdir / f"run{attempts}.err"
        with open(errlog, "wb") as errfh:
            proc = subprocess.Popen(
                ingest_cmd(db, data), env=env, stdout=subprocess.DEVNULL, stderr=errfh
            )
        if mode == "time":
            delay = rng.uniform(0.2, max(0.5, full / 4))
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=delay)
        else:
            # the next of ``kills`` random points spread over the file, and at least one new item
            target = max(points[landed], start_count + 1)
            delay = rng.uniform(0.0, 0.5)
            while proc.poll() is None and _count(db) < min(target, items - 1):
                time.sleep(0.05)
            time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            landed += 1
            rows = _count(db)
            during_insert += rows > start_count and rows < items
            log(f"kill {landed}/{kills} (run {attempts}): {start_count} -> {rows} items stored")
        else:
            tail = errlog.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:]
            log(f"run {attempts}: finished before its kill (exit {proc.returncode}: {tail})")
        if attempts > kills * 5:
            break
    final = subprocess.run(
        ingest_cmd(db, data), env=env, check=False, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - t_start
    rows, dup_ids, dup_hash, ids = stored(db)
    expected = {f"crash-{i}" for i in range(items)}
    return {
        "items": items,
        "kills": landed,
        "kills_while_adding": during_insert,
        "runs": attempts + 1,
        "final_exit": final.returncode,
        "stored": rows,
        "lost": len(expected - ids),
        "duplicated": dup_ids + dup_hash,
        "unexpected": len(ids - expected),
        "total_s": round(elapsed, 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mode", choices=["progress", "time"], default="progress")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        r = run(args.items, args.kills, args.seed, Path(tmp), mode=args.mode)
    table = (
        "| items | SIGKILLs | of which while adding items | runs | stored | lost | duplicated | whole test |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        f"| {r['items']} | {r['kills']} | {r['kills_while_adding']} | {r['runs']} | {r['stored']} | {r['lost']} | {r['duplicated']} | {r['total_s']} s |\n"
    )
    text = f"# Crash safety of ingest\n\n`python benchmarks/crash_ingest.py --items {args.items} --kills {args.kills} --seed {args.seed} --mode {args.mode}` (2 shared cores)\n\n{table}"
    print(text)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "crash_ingest.md").write_text(text, encoding="utf-8")
    ok = (
        r["lost"] == 0
        and r["duplicated"] == 0
        and r["stored"] == r["items"]
        and r["kills"] >= args.kills
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
