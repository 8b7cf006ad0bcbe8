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
    return [
        FactCheck(id=r["id"], claim=r["claim"], title=r.get("title"), lang=r.get("lang", "en"))
        for r in load_jsonl(clef_dir() / "factchecks.jsonl")
    ]


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


def fc_vectors(
    cache: EmbeddingCache, fcs: Sequence[FactCheck], progress: Callable[[int], None] | None = None
) -> np.ndarray:
    return cache.embed([fc.search_text for fc in fcs], "passage", progress=progress)


def train_ranker(
    index: ClaimIndex, cache: EmbeddingCache, target_precision: float = 0.9, seed: int = 0
) -> Ranker:
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
            "trained_on": "CLEF-2020 CheckThat! Task 2 train split (800 posts) + 1,200 news headlines that match nothing (600 en Stop Clickbait, 600 vi ViClickbait-2025 train)",
            "target_precision": target_precision,
            "train_recall_at_threshold": round(recall, 4),
            "pairs": int(len(y)),
            "positives": int(y.sum()),
        },
    )


def evaluate(
    index: ClaimIndex,
    cache: EmbeddingCache,
    langs: Sequence[str] = ("en", "fr", "vi"),
    split: str = "dev",
) -> dict[str, dict[str, float]]:
    qrels = load_qrels(clef_dir() / f"{split}-qrels.tsv")
    matcher = ClaimMatcher(index, cache=cache)
    out: dict[str, dict[str, float]] = {}
    for lang in langs:
        fname = LANG_FILES[lang] if split == "dev" else f"{split}-posts.jsonl"
        posts = load_jsonl(clef_dir() / fname)
        t0 = time.perf_counter()
        res = matcher.match(
            [Query(p["id"], p["text"], p.get("lang") or detect_language(p["text"])) for p in posts],
            top=10,
        )
        dt = time.perf_counter() - t0
        rankings = {p["id"]: [m.factcheck.id for m in ms] for p, ms in zip(posts, res, strict=True)}
        m = metrics(rankings, qrels)
        m["posts_per_s_cached"] = len(posts) / dt
        out[lang] = m
    return out


# ---------------------------------------------------------------- side by side and ablations


def rank_bm25s(
    fcs: Sequence[FactCheck], posts: Sequence[dict[str, Any]], k: int = 10
) -> dict[str, list[str]]:
    """The plain baseline: bm25s with its own English tokeniser and stop words, raw post text."""
    import bm25s

    corpus = [fc.search_text for fc in fcs]
    retriever = bm25s.BM25()
    retriever.index(
        bm25s.tokenize(corpus, stopwords="en", show_progress=False), show_progress=False
    )
    q = bm25s.tokenize([p["text"] for p in posts], stopwords="en", show_progress=False)
    docs, _scores = retriever.retrieve(q, k=k, show_progress=False, n_threads=1)
    return {p["id"]: [fcs[int(i)].id for i in row] for p, row in zip(posts, docs, strict=True)}


def rank_dense(
    fcs: Sequence[FactCheck],
    fc_vecs: np.ndarray,
    qvecs: np.ndarray,
    posts: Sequence[dict[str, Any]],
    k: int = 10,
) -> dict[str, list[str]]:
    """multilingual-e5-small alone, brute force cosine."""
    sims = qvecs @ fc_vecs.T
    top = np.argsort(-sims, axis=1)[:, :k]
    return {p["id"]: [fcs[int(i)].id for i in row] for p, row in zip(posts, top, strict=True)}


def rank_lexical(
    index: ClaimIndex, posts: Sequence[dict[str, Any]], clean: bool = True, k: int = 10
) -> dict[str, list[str]]:
    from factwatch.text.tokens import tokenize

    out = {}
    for p in posts:
        text = clean_post(p["text"]) if clean else p["text"]
        s = index.lexical.scores(tokenize(text, p.get("lang")))
        out[p["id"]] = [index.factchecks[int(i)].id for i in np.argsort(-s)[:k]]
    return out


def rank_with(
    index: ClaimIndex, cache: EmbeddingCache, posts: Sequence[dict[str, Any]], k: int = 10
) -> dict[str, list[str]]:
    matcher = ClaimMatcher(index, cache=cache)
    res = matcher.match([Query(p["id"], p["text"], p.get("lang")) for p in posts], top=k)
    return {p["id"]: [m.factcheck.id for m in ms] for p, ms in zip(posts, res, strict=True)}


def masked_ranker(index: ClaimIndex, cache: EmbeddingCache, keep: Sequence[str]) -> Ranker:
    """A ranker retrained on train with only the ``keep`` features (the others zeroed)."""
    full = FEATURES
    mask = np.array([f in keep for f in full], dtype=np.float32)
    orig = index.features

    def masked(text, lang, qvec):  # type: ignore[no-untyped-def]
        cand, rows, d, lx, sh = orig(text, lang, qvec)
        return cand, rows * mask, d, lx, sh

    index.features = masked  # type: ignore[method-assign]
    try:
        return train_ranker(index, cache)
    finally:
        index.features = orig  # type: ignore[method-assign]


def side_by_side(
    langs: Sequence[str] = ("en", "fr", "vi"),
    ablations: bool = True,
    progress: Callable[[int], None] | None = None,
) -> tuple[str, dict[str, Any]]:
    """One run: bm25s, e5 brute force, factwatch (and ablations): MAP@5 / MRR / S@10 per language,
    posts/s (embedding cached, so ranking cost only) and ratios.  Returns (markdown, raw)."""
    cache = EmbeddingCache()
    fcs = load_factchecks()
    fc_vecs = fc_vectors(cache, fcs, progress)
    qrels = load_qrels(clef_dir() / "dev-qrels.tsv")
    index = ClaimIndex(fcs, fc_vecs)
    posts_by_lang = {lang: load_jsonl(clef_dir() / LANG_FILES[lang]) for lang in langs}
    systems: dict[str, Callable[[list[dict[str, Any]]], dict[str, list[str]]]] = {
        "BM25 (bm25s, raw text)": lambda ps: rank_bm25s(fcs, ps),
        "multilingual-e5-small brute force (raw text)": lambda ps: rank_dense(
            fcs, fc_vecs, cache.embed([p["text"] for p in ps], "query"), ps
        ),
    }
    if ablations:
        systems["BM25 folded + vi bigrams, cleaned query (factwatch lexical)"] = lambda ps: (
            rank_lexical(index, ps)
        )
        systems["e5 brute force, cleaned query"] = lambda ps: rank_dense(
            fcs, fc_vecs, cache.embed([clean_post(p["text"]) for p in ps], "query"), ps
        )
        for label, keep in [
            ("factwatch re-ranker: dense features only", ("dense", "dense_gap", "dense_rrank")),
            (
                "factwatch re-ranker: dense + lexical",
                ("dense", "dense_gap", "dense_rrank", "lex", "lex_gap", "lex_rrank", "lex_claim"),
            ),
        ]:
            r = masked_ranker(index, cache, keep)
            idx = ClaimIndex.__new__(ClaimIndex)
            idx.__dict__.update(index.__dict__)
            idx.ranker = r
            mask = np.array([f in keep for f in FEATURES], dtype=np.float32)
            orig = index.features

            def feats(text, lang, qvec, _orig=orig, _mask=mask):  # type: ignore[no-untyped-def]
                cand, rows, d, lx, sh = _orig(text, lang, qvec)
                return cand, rows * _mask, d, lx, sh

            idx.features = feats  # type: ignore[method-assign]
            systems[label] = lambda ps, _idx=idx: rank_with(_idx, cache, ps)
    systems["factwatch (all features)"] = lambda ps: rank_with(index, cache, ps)
    raw: dict[str, Any] = {}
    for name, fn in systems.items():
        raw[name] = {}
        for lang, ps in posts_by_lang.items():
            cache.embed([p["text"] for p in ps], "query")  # warm: timing is ranking, not embedding
            t0 = time.perf_counter()
            ranking = fn(ps)
            dt = time.perf_counter() - t0
            m = metrics(ranking, qrels)
            m["posts_per_s"] = len(ps) / dt
            raw[name][lang] = m
    lines = [
        "| system | "
        + " | ".join(f"{lang} MAP@5 / MRR / S@10" for lang in langs)
        + " | posts/s (en, vectors cached) |",
        "|---|" + "---|" * (len(langs) + 1),
    ]
    for name, per in raw.items():
        cells = [
            f"{per[lang]['MAP@5']:.3f} / {per[lang]['MRR']:.3f} / {per[lang]['S@10']:.3f}"
            for lang in langs
        ]
        lines.append(
            f"| {name} | " + " | ".join(cells) + f" | {per[langs[0]]['posts_per_s']:.0f} |"
        )
    base = raw["BM25 (bm25s, raw text)"]
    fw = raw["factwatch (all features)"]
    dense = raw["multilingual-e5-small brute force (raw text)"]
    lines.append("")
    lines.append(
        "Ratios (factwatch / BM25, factwatch / e5) of MAP@5: "
        + ", ".join(
            f"{lang} {fw[lang]['MAP@5'] / max(base[lang]['MAP@5'], 1e-9):.2f} / {fw[lang]['MAP@5'] / max(dense[lang]['MAP@5'], 1e-9):.2f}"
            for lang in langs
        )
    )
    return "\n".join(lines), raw
