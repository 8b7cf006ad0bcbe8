"""Short texts: the claim matcher's stricter threshold for them, fitted and measured.

The ranker's calibration was fitted on long CheckThat! tweets.  A short headline whose one rare
word is in a fact-check ("Can We Pickle That") looks like a perfect match to it: on the stream of
``factwatch bench stream`` 3.5 % of organic texts got a claim-match signal, nearly all of them
short.  Short texts therefore get their own threshold (``Ranker.short_words``,
``Ranker.short_threshold``), fitted here on train-side data only:

- positives: the project's short repeats of checked claims
  (``benchmarks/data/short-repeats``: 78 fact-checks of the train qrels, each in English, French,
  Vietnamese and Vietnamese without diacritics), a hit when the text's best match is its
  fact-check;
- negatives: a seeded sample of the organic texts of the stream's **train** half.

The threshold maximises the F1 of short texts' signals at the issue's realistic prevalence (5 %
of posts repeat a checked claim): ``TP = p * TPR``, ``FP = (1 - p) * FPR``."""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from factwatch.analysers.claim_match import (
    ClaimIndex,
    ClaimMatcher,
    Query,
    Ranker,
    clean_post,
    word_count,
)
from factwatch.bench.adapter import REPO
from factwatch.text.normalize import fold_diacritics

SHORT_REPEATS = REPO / "benchmarks" / "data" / "short-repeats" / "short-repeats.jsonl"
SHORT_WORDS = 12  # a headline or a one-line post; longer texts keep the main threshold
PREVALENCE = 0.05  # share of posts that repeat a checked claim in the stream
ORGANIC_SAMPLE = 4000  # organic texts of the train half used as negatives
SEED = 1
FORMS = ("en", "fr", "vi", "vi-folded")


def load_short_repeats(path: Path = SHORT_REPEATS) -> list[dict[str, Any]]:
    """``{"id", "factcheck", "form", "text"}`` in four forms (the Vietnamese ones also accent-free)."""
    out: list[dict[str, Any]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        out.append(
            {"id": r["id"], "factcheck": r["factcheck"], "form": r["lang"], "text": r["text"]}
        )
        if r["lang"] == "vi":
            out.append(
                {
                    "id": f"{r['id']}-folded",
                    "factcheck": r["factcheck"],
                    "form": "vi-folded",
                    "text": fold_diacritics(r["text"]),
                }
            )
    return out


def organic_sample(n: int = ORGANIC_SAMPLE, seed: int = SEED) -> list[dict[str, Any]]:
    from factwatch.bench.stream import organic_texts

    rows = organic_texts("train")
    return random.Random(seed).sample(rows, min(n, len(rows)))


@dataclasses.dataclass
class Best:
    """A text's best match as the ranker scores it without the short-text rule; ``ruled``: the
    rule applies to it (a short text that is no near copy of that fact-check's claim)."""

    words: int
    score: float
    factcheck: str | None
    ruled: bool = False


def best_matches(
    index: ClaimIndex, cache: Any, texts: Sequence[str], short_words: int = SHORT_WORDS
) -> list[Best]:
    """The matcher itself decides where the rule applies (``Match.short``): it runs with a short
    threshold equal to the main one, which leaves every score as it is."""
    from factwatch.bench.retrieval import _with_ranker

    r = dataclasses.replace(
        index.ranker, short_words=short_words, short_threshold=index.ranker.threshold
    )
    # the first stage's threshold: fitted without the second stage, which never changes a flag
    matcher = ClaimMatcher(_with_ranker(index, r), cache=cache, checkworthy=None, rerank=None)
    res = matcher.match([Query(str(i), t) for i, t in enumerate(texts)], top=1)
    return [
        Best(word_count(clean_post(t)), m[0].score, m[0].factcheck.id, m[0].short)
        if m
        else Best(word_count(clean_post(t)), 0.0, None)
        for t, m in zip(texts, res, strict=True)
    ]


def _rates(
    pos: Sequence[tuple[Best, str]], neg: Sequence[Best], threshold: float
) -> tuple[float, float]:
    tpr = (
        float(np.mean([b.factcheck == fc and b.score >= threshold for b, fc in pos]))
        if pos
        else 0.0
    )
    fpr = float(np.mean([b.score >= threshold for b in neg])) if neg else 0.0
    return tpr, fpr


def choose_threshold(
    pos: Sequence[tuple[Best, str]],
    neg: Sequence[Best],
    base: float,
    prevalence: float = PREVALENCE,
) -> tuple[float, dict[str, float]]:
    """The threshold (grid of 0.01 from ``base``) that maximises F1 of the signals of the texts
    the rule applies to, at ``prevalence``; with its true and false positive rates."""
    sp = [(b, fc) for b, fc in pos if b.ruled]
    sn = [b for b in neg if b.ruled]
    best = (base, -1.0, 0.0, 0.0)
    for t in np.round(np.arange(np.ceil(base * 100) / 100, 1.0, 0.01), 2):
        tpr, fpr = _rates(sp, sn, float(t))
        tp, fp, fn = prevalence * tpr, (1 - prevalence) * fpr, prevalence * (1 - tpr)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best[1] + 1e-12:
            best = (float(t), f1, tpr, fpr)
    return best[0], {
        "f1_at_prevalence": round(best[1], 4),
        "short_repeats_flagged": round(best[2], 4),
        "short_organic_flagged": round(best[3], 4),
        "short_repeats": len(sp),
        "short_organic": len(sn),
    }


def fit_short_threshold(
    index: ClaimIndex,
    cache: Any,
    repeats: Sequence[dict[str, Any]] | None = None,
    organic: Sequence[dict[str, Any]] | None = None,
    short_words: int = SHORT_WORDS,
    prevalence: float = PREVALENCE,
) -> Ranker:
    """``index.ranker`` with ``short_words`` and the fitted ``short_threshold`` (``short_words``
    0: the rule switched off)."""
    if short_words <= 0:
        return dataclasses.replace(index.ranker, short_words=0, short_threshold=None)
    repeats = list(repeats) if repeats is not None else load_short_repeats()
    organic = list(organic) if organic is not None else organic_sample()
    pb = best_matches(index, cache, [r["text"] for r in repeats], short_words)
    nb = best_matches(index, cache, [r["text"] for r in organic], short_words)
    pos = [(b, r["factcheck"]) for b, r in zip(pb, repeats, strict=True)]
    t, info = choose_threshold(pos, nb, index.ranker.threshold, prevalence)
    ranker = dataclasses.replace(index.ranker, short_words=short_words, short_threshold=t)
    ranker.info = {
        **index.ranker.info,
        "short_texts": {
            "fitted_on": "benchmarks/data/short-repeats (train fact-checks) + "
            f"{len(organic)} organic texts of the stream's train half",
            "prevalence": prevalence,
            **info,
        },
    }
    return ranker


def evaluate(
    index: ClaimIndex,
    cache: Any,
    stream_organic: Sequence[dict[str, Any]],
    progress: Callable[[str], None] = print,
) -> dict[str, Any]:
    """What the rule does: short repeats flagged with their fact-check by form (2-fold by
    fact-check: each half scored with the threshold fitted on the other half, and with the
    shipped threshold), and organic texts of the stream half flagged, without and with it."""
    repeats = load_short_repeats()
    organic = organic_sample()
    r = index.ranker
    sw = r.short_words or SHORT_WORDS
    pb = best_matches(index, cache, [x["text"] for x in repeats], sw)
    nb = best_matches(index, cache, [x["text"] for x in organic], sw)
    progress("short repeats and train organic texts matched")
    sb = best_matches(index, cache, [x["text"] for x in stream_organic], sw)
    progress("stream organic texts matched")
    fcs = sorted({x["factcheck"] for x in repeats})
    half = {fc: i % 2 for i, fc in enumerate(fcs)}

    def flagged(b: Best, fc: str | None, t_short: float | None) -> bool:
        t = t_short if (t_short is not None and b.ruled) else r.threshold
        return b.score >= t and (fc is None or b.factcheck == fc)

    held: dict[int, float] = {}
    for h in (0, 1):
        pos = [
            (b, x["factcheck"])
            for b, x in zip(pb, repeats, strict=True)
            if half[x["factcheck"]] != h
        ]
        held[h], _ = choose_threshold(pos, nb, r.threshold)
    out: dict[str, Any] = {
        "short_words": r.short_words,
        "short_threshold": r.short_threshold,
        "threshold": r.threshold,
        "held_out_thresholds": held,
        "forms": {},
    }
    for form in FORMS:
        sel = [(b, x) for b, x in zip(pb, repeats, strict=True) if x["form"] == form]
        out["forms"][form] = {
            "n": len(sel),
            "top1": round(float(np.mean([b.factcheck == x["factcheck"] for b, x in sel])), 3),
            "flagged_without": round(
                float(np.mean([flagged(b, x["factcheck"], None) for b, x in sel])), 3
            ),
            "flagged_held_out": round(
                float(
                    np.mean(
                        [flagged(b, x["factcheck"], held[half[x["factcheck"]]]) for b, x in sel]
                    )
                ),
                3,
            ),
            "flagged_shipped": round(
                float(np.mean([flagged(b, x["factcheck"], r.short_threshold) for b, x in sel])), 3
            ),
        }
    for name, bs in (("train_organic", nb), ("stream_organic", sb)):
        out[name] = {
            "n": len(bs),
            "short_share": round(float(np.mean([b.words < sw for b in bs])), 3),
            "flagged_without": round(float(np.mean([flagged(b, None, None) for b in bs])), 4),
            "flagged_shipped": round(
                float(np.mean([flagged(b, None, r.short_threshold) for b in bs])), 4
            ),
        }
    return out
