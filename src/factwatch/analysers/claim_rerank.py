"""The claim matcher's second stage: a cross-encoder re-ranks each post's best candidates.

The first stage (claim-query vectors + BM25, fused and calibrated by the ranker) has the correct
fact-check of 97.5 % of held-out English train posts (92 % of French and Vietnamese ones) in its
top 10, but not always first; the cross-encoder (``encoder/cross.py``) reads the post and each of
its top ``k`` candidates together.  A
candidate's new order key is its calibrated logit plus ``weight`` times the cross-encoder's
logit; the scores shown are re-anchored so that the new first candidate gets the first stage's
best score: **the decision whether a post is flagged is the first stage's** (and its calibrated
threshold keeps its meaning), the re-ranker only decides *which* fact-check comes first and the
order of the others.  ``k`` and ``weight`` were chosen on a train hold-out
(``benchmarks/claim_rerank_select.py``, ``benchmarks/results/claim_rerank_select.txt``).

``FACTWATCH_RERANK``: ``none`` turns the second stage off; a path uses another model file.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from factwatch.encoder.adapter import model_path_from_env

if TYPE_CHECKING:
    from factwatch.analysers.claim_match import Match
    from factwatch.encoder.cross import CrossEncoder

RERANKER_PATH = Path(__file__).resolve().parent.parent / "data" / "models" / "claim_cross.npz"
RERANK_K = 10  # candidates re-ranked per post
RERANK_WEIGHT = 0.25  # weight of the cross-encoder's logit beside the calibrated logit


def _logit(p: float) -> float:
    """log(p / (1 - p)), with p kept inside (1e-9, 1 - 1e-9)."""
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def reranker_path() -> Path | None:
    """The model in use: ``$FACTWATCH_RERANK`` (``none`` for none), else the shipped one."""
    return model_path_from_env("FACTWATCH_RERANK", RERANKER_PATH)


class Reranker:
    """Re-ranks match lists with a cross-encoder (loaded at the first use)."""

    def __init__(
        self,
        path: Path,
        k: int = RERANK_K,
        weight: float = RERANK_WEIGHT,
        backend: str | None = None,
    ) -> None:
        self.path = path
        self.k = k
        self.weight = weight
        self.backend = backend
        self._cross: CrossEncoder | None = None

    @classmethod
    def default(cls) -> Reranker | None:
        path = reranker_path()
        return cls(path) if path is not None else None

    @property
    def cross(self) -> CrossEncoder:
        if self._cross is None:
            from factwatch.classify.checkworthy_tune import backend
            from factwatch.encoder.cross import CrossEncoder

            self._cross = CrossEncoder(self.path, self.backend or backend())
        return self._cross

    def rerank_many(self, texts: Sequence[str], lists: Sequence[list[Match]]) -> list[list[Match]]:
        """Each list's first ``k`` matches re-ordered (one batch of pairs for all the texts);
        the matches after them keep their order, with scores capped by the re-ranked ones."""
        pairs = [
            (text, m.factcheck.search_text)
            for text, ms in zip(texts, lists, strict=True)
            for m in ms[: self.k]
        ]
        if not pairs:
            return [list(ms) for ms in lists]
        x = self.cross.logits(pairs)
        out: list[list[Match]] = []
        at = 0
        for ms in lists:
            head, tail = ms[: self.k], ms[self.k :]
            if len(head) < 2:
                for m in head:
                    m.rerank = float(x[at])
                at += len(head)
                out.append(list(ms))
                continue
            xs = x[at : at + len(head)]
            at += len(head)
            key = np.array([_logit(m.score) for m in head]) + self.weight * xs
            top = _logit(max(m.score for m in head))
            for m, xi, ki in zip(head, xs, key, strict=True):
                m.rerank = float(xi)
                m.score = float(1.0 / (1.0 + math.exp(-(ki - key.max() + top))))
            head = [head[o] for o in np.argsort(-key, kind="stable")]
            floor = head[-1].score
            for m in tail:
                m.score = min(m.score, floor)
            out.append(head + tail)
        return out
