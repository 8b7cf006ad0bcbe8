"""Accuracy of claim-match signals on the bundled sample (posts vs its 40 fact-checks)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from factwatch.analysers.claim_match import ClaimIndex, ClaimMatcher, Query, passage_text
from factwatch.embed import EmbeddingCache

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"


def run(threshold: float | None = None) -> dict[str, Any]:
    from factwatch.cli._io import Rejections
    from factwatch.sources import read_source
    from factwatch.sources.factchecks import read_factchecks

    rej = Rejections(quiet=True)
    fcs = list(read_factchecks(str(SAMPLE / "factchecks.jsonl"), rej))
    posts = list(read_source(str(SAMPLE / "posts.jsonl"), rej))
    expected: dict[str, set[str]] = {}
    for line in (SAMPLE / "expected.jsonl").read_text().splitlines():
        if line.strip():
            d = json.loads(line)
            expected.setdefault(d["post_id"], set()).add(d["factcheck_id"])
    cache = EmbeddingCache()
    index = ClaimIndex(fcs, cache.embed([passage_text(fc) for fc in fcs], "passage"))
    matcher = ClaimMatcher(index, cache=cache, threshold=threshold, rerank=None)  # as the pipeline
    res = matcher.match([Query(p.native_id, p.full_text, p.lang) for p in posts], top=3)
    tp = fp = fn = 0
    wrong: list[dict[str, Any]] = []
    for p, ms in zip(posts, res, strict=True):
        flagged = {m.factcheck.id for m in ms if m.score >= matcher.threshold}
        exp = expected.get(p.native_id, set())
        tp += len(flagged & exp)
        fp += len(flagged - exp)
        fn += len(exp - flagged)
        if flagged != exp and len(wrong) < 15:
            wrong.append(
                {
                    "post": p.native_id,
                    "text": p.full_text[:90],
                    "flagged": sorted(flagged),
                    "expected": sorted(exp),
                }
            )
    return {
        "threshold": matcher.threshold,
        "precision": tp / max(tp + fp, 1),
        "recall": tp / max(tp + fn, 1),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "examples": wrong,
    }
