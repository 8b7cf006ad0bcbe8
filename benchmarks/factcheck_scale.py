"""Scale of the fact-check base: 1,000,000 fact-checks, resident memory, query p95, index recall.

The 10,375 real CLEF fact-checks (vectors from the embedding cache) are expanded to N synthetic
ones: each synthetic vector is a real one plus Gaussian noise (renormalised), each synthetic text
a shuffled recombination of real claim words, so the lexical and dense sides have realistic
vocabularies and neighbourhoods.  Queries are the 197 English dev posts.  Recall is the top-10
overlap of the HNSW index with exact fp32 search over the same vectors.

    .venv/bin/python benchmarks/factcheck_scale.py [--n 1000000]
"""

from __future__ import annotations

import argparse
import gc
import resource
import time
from pathlib import Path

import numpy as np

from factwatch.analysers.claim_match import ClaimIndex, clean_post
from factwatch.analysers.dense import DenseIndex
from factwatch.bench.retrieval import clef_dir, fc_vectors, load_factchecks, load_jsonl
from factwatch.embed import EmbeddingCache
from factwatch.models import FactCheck


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=197)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    cache = EmbeddingCache()
    real = load_factchecks()
    real_vecs = fc_vectors(cache, real)
    posts = load_jsonl(clef_dir() / "dev-posts.jsonl")[: args.queries]
    qvecs = cache.embed([clean_post(p["text"]) for p in posts], "query")
    base_rss = rss_mb()

    # Synthetic base
    t0 = time.perf_counter()
    n_syn = args.n - len(real)
    src = rng.integers(0, len(real), n_syn)
    words = [fc.claim.split() for fc in real]
    fcs = list(real)
    for i, s in enumerate(src):
        w = list(words[s])
        rng.shuffle(w)
        k = max(4, len(w) - 3)
        fcs.append(FactCheck(id=f"syn-{i}", claim=" ".join(w[:k]), lang="en"))
    vecs = np.empty((args.n, real_vecs.shape[1]), dtype=np.float32)
    vecs[: len(real)] = real_vecs
    for a in range(0, n_syn, 100_000):
        b = min(a + 100_000, n_syn)
        chunk = real_vecs[src[a:b]] + 0.35 * rng.standard_normal(
            (b - a, real_vecs.shape[1])
        ).astype(np.float32) / np.sqrt(real_vecs.shape[1])
        chunk /= np.linalg.norm(chunk, axis=1, keepdims=True)
        vecs[len(real) + a : len(real) + b] = chunk
    gen_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    index = ClaimIndex(fcs, vecs)
    build_s = time.perf_counter() - t0
    exact_vecs = vecs  # kept for the recall measurement only
    del src
    gc.collect()
    # Resident memory of the index alone: drop the synthetic text list copies we do not need.
    rss_index = rss_mb() - base_rss - exact_vecs.nbytes / 2**20

    lat = []
    for p, q in zip(posts, qvecs, strict=True):
        t = time.perf_counter()
        index.search(clean_post(p["text"]), "en", q, top=5)
        lat.append((time.perf_counter() - t) * 1000)
    lat_a = np.array(lat)

    # Recall of the approximate dense index vs exact search (top-10)
    exact = DenseIndex(exact_vecs, exact_limit=10**12)
    rec = []
    for q in qvecs:
        e, _ = exact.search(q, 10)
        a, _ = index.dense.search(q, 10)
        rec.append(len(set(e) & set(a)) / 10)

    # Incremental add
    t0 = time.perf_counter()
    extra = vecs[:1000] + 0.01
    extra /= np.linalg.norm(extra, axis=1, keepdims=True)
    index.dense.add(extra)
    add_ms = (time.perf_counter() - t0) * 1000 / 1000

    rows = [
        "| fact-checks | dense index | index memory (MB, RSS) | build (s) | query p50 / p95 (ms) | dense recall@10 vs exact | add (ms/fact-check) |",
        "|---|---|---|---|---|---|---|",
        f"| {args.n:,} | {'HNSW float16 (usearch) + int8 re-scoring' if index.dense.approximate else 'exact fp32'} | {rss_index:.0f} (dense {index.dense.memory_bytes() / 2**20:.0f}, BM25 {index.lexical.matrix.data.nbytes / 2**20 + index.lexical.matrix.indices.nbytes / 2**20:.0f}) | {build_s:.0f} | {np.percentile(lat_a, 50):.1f} / {np.percentile(lat_a, 95):.1f} | {np.mean(rec):.3f} | {add_ms:.2f} |",
    ]
    table = (
        "\n".join(rows)
        + f"\n\nSynthetic base generated in {gen_s:.0f} s; query = lexical scoring + dense search + re-ranking of one post (vector given)."
    )
    print(table)
    out = Path(__file__).parent / "results" / "factcheck_scale.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(table + "\n")


if __name__ == "__main__":
    main()
