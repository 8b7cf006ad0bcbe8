"""Speed of the claim matcher's second stage (the cross-encoder) by FastE5 backend.

Re-ranks the first stage's top 10 candidates of the first N English CheckThat! dev posts (the
first stage's candidates computed once, untimed) with each backend; prints posts/s and pairs/s,
and how often the int8 backend puts the same fact-check first as fp32.

    .venv/bin/python benchmarks/claim_rerank_speed.py [N]
"""

from __future__ import annotations

import sys
import time

from factwatch.analysers.claim_match import ClaimIndex, ClaimMatcher, Query
from factwatch.analysers.claim_rerank import RERANKER_PATH, Reranker
from factwatch.bench.retrieval import clef_dir, fc_vectors, load_factchecks, load_jsonl
from factwatch.embed import EmbeddingCache


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    cache = EmbeddingCache()
    fcs = load_factchecks()
    index = ClaimIndex(fcs, fc_vectors(cache, fcs))
    posts = load_jsonl(clef_dir() / "dev-posts.jsonl")[:n]
    queries = [Query(p["id"], p["text"], "en") for p in posts]
    first = ClaimMatcher(index, cache=cache, checkworthy=None, rerank=None)
    lists = first.match(queries, top=10)
    texts = [q.text for q in queries]
    tops: dict[str, list[str]] = {}
    for backend in ("onnx", "onnx-int8"):
        rr = Reranker(RERANKER_PATH, backend=backend)
        rr.cross.logits([("warm-up", "warm-up")])  # load once, untimed
        fresh = [[*ms] for ms in first.match(queries, top=10)]
        t0 = time.perf_counter()
        out = rr.rerank_many(texts, fresh)
        dt = time.perf_counter() - t0
        pairs = sum(min(len(ms), rr.k) for ms in lists)
        tops[backend] = [ms[0].factcheck.id if ms else "" for ms in out]
        print(f"{backend}: {len(posts) / dt:.1f} posts/s, {pairs / dt:.0f} pairs/s ({n} posts)")
    same = sum(a == b for a, b in zip(tops["onnx"], tops["onnx-int8"], strict=True))
    print(f"same first fact-check with int8 as with fp32: {same}/{n}")


if __name__ == "__main__":
    main()
