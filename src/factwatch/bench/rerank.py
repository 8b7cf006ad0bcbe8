"""Training data and training of the claim matcher's cross-encoder re-ranker
(``factwatch train claim-cross-encoder``; the model is ``encoder/cross.py``).

Reads the CheckThat! **train** split only (posts, their French and Vietnamese translations and
the accent-free form of the Vietnamese ones): each post's candidates are the matcher's own top
candidates (claim-query adapter + BM25, the shipped ranker's fusion), from which the hard
negatives are drawn.  The set-up (epochs, how many candidates to re-rank, the weight of the
re-ranker's logit) was chosen on a train hold-out (``benchmarks/claim_rerank_select.py``)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from factwatch.analysers.claim_match import ClaimIndex, clean_post
from factwatch.bench.adapter import TRAIN_LANGS, TrainData

CANDIDATE_POOL = 20  # ranked candidates kept per training post (negatives come from the top 15)


def ranked_candidates(
    index: ClaimIndex, texts: Sequence[str], langs: Sequence[str], qvecs: np.ndarray
) -> list[tuple[list[int], list[float]]]:
    """Each query's candidates (fact-check indices), best first in the matcher's fused order, and
    their calibrated logits (what the re-ranker's logit is added to)."""
    out = []
    for lang, (cand, rows, *_rest) in zip(
        langs, index.features_many(texts, langs, qvecs), strict=True
    ):
        r = index.ranker.for_lang(lang)
        order = np.argsort(-r.fused(rows), kind="stable")[:CANDIDATE_POOL]
        p = np.clip(r.probability(rows)[order], 1e-9, 1 - 1e-9)
        out.append(([int(cand[o]) for o in order], np.log(p / (1 - p)).tolist()))
    return out


def training_rows(
    data: TrainData, ids: Sequence[str], langs: Sequence[str] = TRAIN_LANGS
) -> list[tuple[str, str, str]]:
    """``(post id, language code, cleaned text)`` of the train posts with a correct fact-check;
    the accent-free Vietnamese form has the code ``vi`` (what language identification says)."""
    out = []
    for lang in langs:
        for pid in ids:
            t = data.texts.get(lang, {}).get(pid)
            if t and data.qrels.get(pid):
                out.append((pid, lang.split("-")[0], clean_post(t)))
    return out


def train_claim_reranker(
    output: Path,
    epochs: int = 2,
    stop_after: int | None = 1,
    threads: int = 2,
    log: Callable[[str], None] = print,
    progress_factory: Callable[[str, int], Any] | None = None,
    on_epoch: Callable[[int, Any], None] | None = None,
) -> dict[str, Any]:
    """Train the cross-encoder on every train post (four forms) and write it to ``output``."""
    from factwatch.embed import EmbeddingCache
    from factwatch.encoder import FastE5
    from factwatch.encoder.cross import CrossConfig, train_cross

    data = TrainData()
    rows = training_rows(data, data.ids)
    qvecs = EmbeddingCache().embed([r[2] for r in rows], "claim")
    index = ClaimIndex(data.fcs, data.fc_vecs)
    cands = ranked_candidates(index, [r[2] for r in rows], [r[1] for r in rows], qvecs)
    enc = FastE5(backend="numpy")  # tokeniser and embedding rows only
    cfg = CrossConfig(epochs=epochs, stop_after=stop_after, threads=threads)
    args = (
        enc,
        [r[2] for r in rows],
        [[data.fc_index[f] for f in data.qrels[r[0]] if f in data.fc_index] for r in rows],
        [c[0] for c in cands],
        [f.search_text for f in data.fcs],
        cfg,
    )
    t0 = time.perf_counter()
    if progress_factory is not None:
        with progress_factory("cross-encoder", len(rows) * cfg.epochs_run) as advance:
            model = train_cross(*args, on_epoch=on_epoch, progress=advance)
    else:
        model = train_cross(*args, on_epoch=on_epoch)
    info = {
        "trained_on": (
            "CLEF-2020 CheckThat! Task 2 train split (800 posts) in English, the project's "
            "French and Vietnamese translations and the accent-free Vietnamese form; negatives "
            "from the matcher's own top candidates (claim adapter + BM25)"
        ),
        "groups": len(rows),
        "langs": list(TRAIN_LANGS),
    }
    model.save(output, info)
    log(
        f"cross-encoder written to {output}: {len(rows)} groups, loss by epoch "
        f"{[round(x, 3) for x in model.losses]}, {time.perf_counter() - t0:.0f} s"
    )
    return {**info, "epoch_losses": model.losses, "seconds": model.seconds}
