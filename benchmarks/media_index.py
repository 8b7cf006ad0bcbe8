"""Look-up time of the Hamming index at 1M hashes (PDQ 256-bit and pHash 64-bit).

1,000,000 random hashes (uniform bits) are indexed; queries are stored hashes with a few bits
flipped (so each has at least one answer) and fresh random hashes (no answer).  Each query runs
through multi-index hashing (``HammingIndex.query``) and, for comparison, a numpy linear scan
(``linear_query``); both give the same answers (checked).  Run:

    .venv/bin/python benchmarks/media_index.py            # N=1000000 QUERIES=300
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from media_common import write_result  # noqa: E402

from factwatch.media.hashing import PDQ_THRESHOLD, PHASH_THRESHOLD  # noqa: E402
from factwatch.media.index import HammingIndex  # noqa: E402

N = int(os.environ.get("N", 1_000_000))
QUERIES = int(os.environ.get("QUERIES", 300))


def _queries(rng: np.random.Generator, hashes: np.ndarray, nbits: int, flips: int) -> np.ndarray:
    words = hashes.shape[1]
    q = hashes[rng.choice(len(hashes), QUERIES // 2, replace=False)].copy()
    for row in q:
        for b in rng.choice(nbits, flips, replace=False):
            w, bit = divmod(int(b), 64)
            row[w] ^= np.uint64(1) << np.uint64(63 - bit)
    fresh = rng.integers(
        0, 2**64 - 1, size=(QUERIES - len(q), words), dtype=np.uint64, endpoint=True
    )
    return np.vstack([q, fresh])


def main() -> None:
    rng = np.random.default_rng(7)
    lines = [
        f"# Hamming index: look-up time at {N:,} hashes",
        "",
        f"{QUERIES} queries per row (half near a stored hash, half random). Times per query are CPU "
        "time of the process (single thread): the machine is shared by other jobs (load average ~20 "
        "on 2 cores), so wall-clock times (one column) are inflated many times over.",
        "",
        "| hashes | max distance | probe radius per 16-bit chunk | build s (wall) | MIH median ms CPU | "
        "MIH p95 ms CPU | MIH median ms wall | mean candidates checked | linear scan median ms CPU | "
        "speed-up |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for nbits, radii in (
        (256, sorted({31, 47, PDQ_THRESHOLD})),
        (64, sorted({PHASH_THRESHOLD, 8, 10})),
    ):
        words = nbits // 64
        hashes = rng.integers(0, 2**64 - 1, size=(N, words), dtype=np.uint64, endpoint=True)
        idx = HammingIndex(nbits)
        t = time.perf_counter()
        idx.add(hashes, np.arange(N))
        idx.build()
        build = time.perf_counter() - t
        for r in radii:
            qs = _queries(rng, hashes, nbits, max(1, r // 3))
            mih, mih_wall, lin, cands = [], [], [], []
            for q in qs:
                t, tw = time.process_time(), time.perf_counter()
                got = idx.query(q, r)
                mih.append(time.process_time() - t)
                mih_wall.append(time.perf_counter() - tw)
                cands.append(
                    len(idx._candidates(q, r // idx.m)) if r // idx.m <= idx.max_probe_radius else N
                )
            for q in qs[:50]:
                t = time.process_time()
                ref = idx.linear_query(q, r)
                lin.append(time.process_time() - t)
                assert ref == idx.query(q, r)
            _ = got
            m_med, m_p95 = np.median(mih) * 1e3, np.percentile(mih, 95) * 1e3
            l_med = np.median(lin) * 1e3
            lines.append(
                f"| {N:,} x {nbits}-bit | {r} | {r // idx.m} | {build:.1f} | {m_med:.2f} | {m_p95:.2f} | "
                f"{np.median(mih_wall) * 1e3:.1f} | {np.mean(cands):,.0f} | {l_med:.1f} | {l_med / m_med:.0f}x |"
            )
        del idx, hashes
    write_result("media_index", "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
