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
from factwatch.bench.retrieval import clef_dir, fc_vectors, load_factchecks, load_jsonl, load_qrels
from factwatch.bench.stream import synthetic_base
from factwatch.embed import EmbeddingCache


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
    ap.add_argument("--ef", type=int, nargs="+", default=[128, 512, 2048])
    args = ap.parse_args()
    cache = EmbeddingCache()
    real = load_factchecks()
    real_vecs = fc_vectors(cache, real)
    posts = load_jsonl(clef_dir() / "dev-posts.jsonl")[: args.queries]
    qvecs = cache.embed([clean_post(p["text"]) for p in posts], "claim")
    base_rss = rss_mb()

    # Synthetic base
    t0 = time.perf_counter()
    fcs, vecs = synthetic_base(real, real_vecs, args.n)
    gen_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    index = ClaimIndex(fcs, vecs)
    build_s = time.perf_counter() - t0
    exact_vecs = vecs  # kept for the recall measurement only
    gc.collect()
    # Resident memory of the index alone: drop the synthetic text list copies we do not need.
    rss_index = rss_mb() - base_rss - exact_vecs.nbytes / 2**20

    # Per search breadth (usearch's expansion_search, set at query time on the same graph):
    # latency of a whole query, recall of the dense index vs exact search (top-10), and what
    # matters to a user: is the post's correct fact-check (a real one inside the 1M) found?
    exact = DenseIndex(exact_vecs, exact_limit=10**12)
    qrels = load_qrels(clef_dir() / "dev-qrels.tsv")
    pos = {fc.id: i for i, fc in enumerate(real)}
    exact_top = [exact.search(q, 10)[0] for q in qvecs]
    results = []
    for ef in args.ef:
        if index.dense.approximate:
            index.dense._hnsw.expansion_search = ef
        lat = []
        for p, q in zip(posts, qvecs, strict=True):
            t = time.perf_counter()
            index.search_many([clean_post(p["text"])], ["en"], q[None, :], top=5)
            lat.append((time.perf_counter() - t) * 1000)
        rec, hit_exact, hit_ann, hit_full = [], [], [], []
        for p, q, e in zip(posts, qvecs, exact_top, strict=True):
            a, _ = index.dense.search(q, 10)
            rec.append(len(set(e) & set(a)) / 10)
            want = {pos[f] for f in qrels.get(p["id"], ()) if f in pos}
            if want:
                hit_exact.append(bool(want & set(e.tolist())))
                hit_ann.append(bool(want & set(a.tolist())))
                found = index.search_many([clean_post(p["text"])], ["en"], q[None, :], top=10)[0]
                hit_full.append(bool({fcs[i].id for i in want} & {m.factcheck.id for m in found}))
        results.append((ef, np.array(lat), rec, hit_ann, hit_exact, hit_full))

    # Incremental add
    t0 = time.perf_counter()
    extra = vecs[:1000] + 0.01
    extra /= np.linalg.norm(extra, axis=1, keepdims=True)
    index.dense.add(extra)
    add_ms = (time.perf_counter() - t0) * 1000 / 1000

    kind = "HNSW float16 (usearch)" if index.dense.approximate else "exact fp32"
    mem = f"{rss_index:.0f} (dense {index.dense.memory_bytes() / 2**20:.0f}, BM25 {index.lexical.matrix.data.nbytes / 2**20 + index.lexical.matrix.indices.nbytes / 2**20:.0f})"
    rows = [
        "| fact-checks | dense index | search breadth (ef) | index memory (MB, RSS) | build (s) | query p50 / p95 (ms) | dense recall@10 vs exact | correct fact-check in dense top-10: index / exact | correct fact-check in factwatch top-10 | add (ms/fact-check) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for ef, lat_a, rec, hit_ann, hit_exact, hit_full in results:
        rows.append(
            f"| {args.n:,} | {kind} | {ef} | {mem} | {build_s:.0f} | {np.percentile(lat_a, 50):.1f} / {np.percentile(lat_a, 95):.1f} | {np.mean(rec):.3f} | {np.mean(hit_ann):.3f} / {np.mean(hit_exact):.3f} (n={len(hit_ann)}) | {np.mean(hit_full):.3f} | {add_ms:.2f} |"
        )
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
