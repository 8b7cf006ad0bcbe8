"""Claim-retrieval evaluation on CLEF-2020 CheckThat! Task 2 (posts -> verified claims)."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from factwatch.analysers.claim_match import (
    FEATURES,
    ClaimIndex,
    ClaimMatcher,
    Query,
    Ranker,
    clean_post,
)
from factwatch.bench import shared_data
from factwatch.embed import EmbeddingCache
from factwatch.models import FactCheck
from factwatch.text.lang import detect_language

LANG_FILES = {"en": "dev-posts.jsonl", "fr": "dev-posts-fr.jsonl", "vi": "dev-posts-vi.jsonl"}


def clef_dir() -> Path:
    return shared_data() / "claim-retrieval" / "clef2020-en"


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_qrels(path: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.strip().split("\t")
            if len(parts) == 2 and parts[0] != "post_id":
                out[parts[0]].add(parts[1])
    return out


def load_factchecks() -> list[FactCheck]:
    return [FactCheck(id=r["id"], claim=r["claim"], title=r.get("title"), lang=r.get("lang", "en")) for r in load_jsonl(clef_dir() / "factchecks.jsonl")]


def average_precision(ranked: Sequence[str], relevant: set[str], k: int = 5) -> float:
    hits, total = 0, 0.0
    for i, fid in enumerate(ranked[:k], start=1):
        if fid in relevant:
            hits += 1
            total += hits / i
    return total / min(len(relevant), k) if relevant else 0.0


def metrics(rankings: dict[str, list[str]], qrels: dict[str, set[str]]) -> dict[str, float]:
    ids = [q for q in rankings if q in qrels]
    ap = [average_precision(rankings[q], qrels[q]) for q in ids]
    rr = []
    s10 = []
    for q in ids:
        r = next((i for i, f in enumerate(rankings[q], start=1) if f in qrels[q]), None)
        rr.append(1.0 / r if r else 0.0)
        s10.append(1.0 if r and r <= 10 else 0.0)
    n = max(len(ids), 1)
    return {"MAP@5": sum(ap) / n, "MRR": sum(rr) / n, "S@10": sum(s10) / n, "n": float(len(ids))}


def fc_vectors(cache: EmbeddingCache, fcs: Sequence[FactCheck], progress: Callable[[int], None] | None = None) -> np.ndarray:
    return cache.embed([fc.search_text for fc in fcs], "passage", progress=progress)


def train_ranker(index: ClaimIndex, cache: EmbeddingCache, target_precision: float = 0.9, seed: int = 0) -> Ranker:
    """Fit the logistic re-ranker on the train split; threshold for ``target_precision`` on train."""
    from sklearn.linear_model import LogisticRegression

    posts = load_jsonl(clef_dir() / "train-posts.jsonl")
    qrels = load_qrels(clef_dir() / "train-qrels.tsv")
    texts = [clean_post(p["text"]) for p in posts]
    vecs = cache.embed(texts, "query")
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    for p, text, v in zip(posts, texts, vecs, strict=True):
        cand, rows, _d, _l, _s = index.features(text, p.get("lang", "en"), v)
        rel = qrels.get(p["id"], set())
        xs.append(rows)
        ys.append(np.array([index.factchecks[c].id in rel for c in cand], dtype=np.int32))
    x, y = np.vstack(xs), np.concatenate(ys)
    lr = LogisticRegression(C=1.0, max_iter=2000, random_state=seed, class_weight=None)
    lr.fit(x, y)
    prob = lr.predict_proba(x)[:, 1]
    # The threshold: the lowest score whose matches above it are >= target precision on train.
    order = np.argsort(-prob)
    tp = np.cumsum(y[order])
    prec = tp / np.arange(1, len(order) + 1)
    ok = np.where(prec >= target_precision)[0]
    threshold = float(prob[order][ok[-1]]) if len(ok) else 0.5
    recall = float(tp[ok[-1]] / max(y.sum(), 1)) if len(ok) else 0.0
    return Ranker(
        coef=[float(c) for c in lr.coef_[0]],
        intercept=float(lr.intercept_[0]),
        threshold=threshold,
        info={
            "features": list(FEATURES),
            "trained_on": "CLEF-2020 CheckThat! Task 2 train split (800 posts)",
            "target_precision": target_precision,
            "train_recall_at_threshold": round(recall, 4),
            "pairs": int(len(y)),
            "positives": int(y.sum()),
        },
    )


def evaluate(index: ClaimIndex, cache: EmbeddingCache, langs: Sequence[str] = ("en", "fr", "vi"), split: str = "dev") -> dict[str, dict[str, float]]:
    qrels = load_qrels(clef_dir() / f"{split}-qrels.tsv")
    matcher = ClaimMatcher(index, cache=cache)
    out: dict[str, dict[str, float]] = {}
    for lang in langs:
        fname = LANG_FILES[lang] if split == "dev" else f"{split}-posts.jsonl"
        posts = load_jsonl(clef_dir() / fname)
        t0 = time.perf_counter()
        res = matcher.match([Query(p["id"], p["text"], p.get("lang") or detect_language(p["text"])) for p in posts], top=10)
        dt = time.perf_counter() - t0
        rankings = {p["id"]: [m.factcheck.id for m in ms] for p, ms in zip(posts, res, strict=True)}
        m = metrics(rankings, qrels)
        m["posts_per_s_cached"] = len(posts) / dt
        out[lang] = m
    return out
