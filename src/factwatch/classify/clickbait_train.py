"""Training of the shipped clickbait models from the shared data, with a fixed seed.

Data (``../shared/data/clickbait``): ``viclickbait-2025-train.jsonl`` and ``-validate.jsonl``
(ViClickbait-2025, CC BY 4.0) and ``stop-clickbait-en.jsonl`` (Stop Clickbait 2016, MIT).

Rules kept here: nothing is tuned on a split used for reporting.  Hyper-parameters (the
regularisation C, the decision threshold and, for ``vi`` and ``vil``, the scale of the
standardised e5 layer blocks) are chosen by stratified 3-fold cross-validation on the training data only; ViClickbait validate is only reported; 10% of the English set
(``english_split``) is held out and never used for training or tuning.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from factwatch.classify.clickbait import (
    BLOCKS,
    MID_LAYERS,
    MODEL_VERSION,
    OPTIONAL_MODELS,
    SEED,
    ClickbaitModel,
    Embedder,
    EmbeddingCache,
    LinearModel,
    dense_blocks,
    featurize,
)

VI_TRAIN = "viclickbait-2025-train.jsonl"
VI_VALIDATE = "viclickbait-2025-validate.jsonl"
EN_ALL = "stop-clickbait-en.jsonl"
EN_TEST_FRACTION = 0.10
XX_EN_SAMPLE = 4000  # English titles (from the training part) embedded for the cross-lingual model
GRID: dict[str, tuple[float, ...]] = {
    "vi": (1.0, 3.0, 10.0),
    "vil": (1.0, 3.0, 10.0),
    "en": (3.0, 10.0, 30.0),
    "xx": (0.1, 0.3, 1.0, 3.0),
}
THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.2, 0.81, 0.05))
# weight of the standardised ``mid`` block (e5 layer states) against the n-gram and cue blocks
MID_SCALES = (0.02, 0.04)
MID_SD_FLOOR = 1e-3


@dataclass
class Example:
    id: str
    title: str
    lang: str
    clickbait: bool
    lead: str = ""


def read_examples(path: Path, limit: int | None = None) -> list[Example]:
    out: list[Example] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            out.append(
                Example(
                    str(r["id"]),
                    str(r["title"]),
                    str(r.get("lang") or ""),
                    bool(r["clickbait"]),
                    r["lead"] if isinstance(r.get("lead"), str) else "",
                )
            )
            if limit is not None and len(out) >= limit:
                break
    return out


def english_split(rows: list[Example], seed: int = SEED) -> tuple[list[Example], list[Example]]:
    """(train, test): a fixed 10% of the English set is the test split."""
    idx = np.random.default_rng(seed).permutation(len(rows))
    n_test = int(len(rows) * EN_TEST_FRACTION)
    return [rows[i] for i in idx[n_test:]], [rows[i] for i in idx[:n_test]]


def f1(y: np.ndarray, pred: np.ndarray) -> float:
    tp = float(np.sum(y & pred))
    fp = float(np.sum(~y & pred))
    fn = float(np.sum(y & ~pred))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def metrics(y: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    tp = float(np.sum(y & pred))
    return {
        "n": int(len(y)),
        "accuracy": round(float(np.mean(y == pred)), 4),
        "precision": round(tp / max(1.0, float(np.sum(pred))), 4),
        "recall": round(tp / max(1.0, float(np.sum(y))), 4),
        "f1": round(f1(y, pred), 4),
    }


@dataclass
class _Fitted:
    coef: np.ndarray  # over every column of the design matrix
    intercept: float

    def proba(self, X: Any) -> np.ndarray:
        z = np.asarray(X @ self.coef).ravel() + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))))


def _fit(
    X: Any, y: np.ndarray, C: float, balanced: bool, sample_weight: np.ndarray | None = None
) -> _Fitted:
    """L2 logistic regression (liblinear) on the columns that occur in ``X`` only: hashed
    n-gram blocks are mostly empty, and empty columns would get weight 0 anyway."""
    from sklearn.linear_model import LogisticRegression

    cols = np.unique(X.indices) if hasattr(X, "indices") else np.arange(X.shape[1])
    m = LogisticRegression(
        C=C,
        solver="liblinear",
        max_iter=1000,
        class_weight="balanced" if balanced else None,
        random_state=SEED,
    )
    m.fit(X[:, cols], y, sample_weight=sample_weight)
    coef = np.zeros(X.shape[1], dtype=np.float64)
    coef[cols] = m.coef_[0]
    return _Fitted(coef, float(m.intercept_[0]))


def _tune(
    name: str,
    X: Any,
    y: np.ndarray,
    objective: Callable[[np.ndarray, np.ndarray], float],
    balanced: bool,
    tune_threshold: bool,
    folds: int,
    sample_weight: np.ndarray | None,
    log: Callable[[str], None],
) -> tuple[float, float, float]:
    """(C, threshold, cross-validated objective) chosen on out-of-fold predictions."""
    from sklearn.model_selection import StratifiedKFold

    best = (GRID[name][0], 0.5, -1.0)
    skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    for C in GRID[name]:
        oof = np.zeros(len(y))
        for tr, te in skf.split(np.zeros(len(y)), y):
            sw = sample_weight[tr] if sample_weight is not None else None
            oof[te] = _fit(X[tr], y[tr], C, balanced, sw).proba(X[te])
        for t in THRESHOLDS if tune_threshold else (0.5,):
            score = objective(y, oof >= t)
            if score > best[2] + 1e-9:
                best = (C, float(t), float(score))
        log(f"  {name}: C={C} cv best so far C={best[0]} threshold={best[1]} score={best[2]:.4f}")
    return best


def train(
    data_dir: Path,
    output: Path,
    cache: EmbeddingCache | None = None,
    limit: int | None = None,
    folds: int = 3,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Train the three models, write ``output``, return the metadata (also stored in the file)."""
    t0 = time.time()
    vi_train = read_examples(data_dir / VI_TRAIN, limit)
    en_rows = read_examples(data_dir / EN_ALL)
    en_train, _en_test = english_split(en_rows)  # the test part is never looked at here
    if limit is not None:
        en_train = en_train[:limit]
    en_sample = en_train[: min(XX_EN_SAMPLE, limit or XX_EN_SAMPLE)]
    embedder = Embedder(cache)
    models: dict[str, LinearModel] = {}
    chosen: dict[str, Any] = {}

    def build(
        name: str, rows: list[Example]
    ) -> tuple[Any, np.ndarray | None, np.ndarray, np.ndarray]:
        """(sparse design without the dense blocks, the raw dense blocks side by side or None,
        y, langs)."""
        from scipy.sparse import hstack, vstack

        parts = []
        mids = []
        dense = dense_blocks(name)
        for lang in sorted({r.lang for r in rows}):
            sub = [r for r in rows if r.lang == lang]
            f = featurize([r.title for r in sub], lang, name, embedder, [r.lead for r in sub])
            if dense:
                # the dense blocks come last: they are standardised and scaled separately
                mids.append(np.hstack([f.blocks[b] for b in dense]))
                sparse = BLOCKS[name][: len(BLOCKS[name]) - len(dense)]
                parts.append((sub, hstack([f.matrix_of(b) for b in sparse])))
            else:
                parts.append((sub, f.matrix(name)))
        X = vstack([p[1] for p in parts], format="csr")
        y = np.array([r.clickbait for p in parts for r in p[0]], dtype=bool)
        langs = np.array([r.lang for p in parts for r in p[0]])
        return X, (np.vstack(mids) if mids else None), y, langs

    plan: list[tuple[str, list[Example], Callable[[np.ndarray, np.ndarray], float], bool]] = [
        ("vi", vi_train, f1, True),
        ("en", en_train, lambda y, p: float(np.mean(y == p)), False),
        ("xx", vi_train + en_sample, f1, True),
        # Vietnamese titles given with their lead (the ViClickbait rows that have one)
        ("vil", [r for r in vi_train if r.lead.strip()], f1, True),
    ]
    for name, rows, objective, balanced in plan:
        if name in OPTIONAL_MODELS and len({r.clickbait for r in rows}) < 2:
            log(f"{name}: not enough training titles with a lead; not trained")
            continue
        log(f"{name}: {len(rows)} training titles, blocks {'+'.join(BLOCKS[name])}")
        X0, mid, y, langs = build(name, rows)
        sw = None
        if name == "xx":
            # each language weighs as much as the other in the cross-lingual model
            n_vi, n_en = max(1, int(np.sum(langs == "vi"))), max(1, int(np.sum(langs == "en")))
            sw = np.where(langs == "vi", 0.5 / n_vi, 0.5 / n_en) * len(y)
        best: tuple[float, float, float, float | None, Any] = (0.0, 0.5, -1.0, None, X0)
        for scale in MID_SCALES if mid is not None else (None,):
            X = X0 if scale is None or mid is None else _with_mid(X0, mid, scale)
            if scale is not None:
                log(f"  {name}: mid block scale {scale}")
            C, thr, cv = _tune(name, X, y, objective, balanced, name != "en", folds, sw, log)
            if cv > best[2] + 1e-9:
                best = (C, thr, cv, scale, X)
        C, thr, cv, scale, X = best
        m = _fit(X, y, C, balanced, sw)
        # fold the threshold into the bias so that score >= 0.5 means clickbait
        b = m.intercept - math.log(thr / (1.0 - thr))
        center = 0.0
        if mid is not None and scale is not None:
            w, b, center = _fold_mid(m.coef, b, mid, scale)
        else:
            w = m.coef.astype(np.float32)
        models[name] = LinearModel(w, b, name, center)
        chosen[name] = {
            "C": C,
            "threshold": thr,
            "cv_objective": round(cv, 4),
            "n_train": int(len(y)),
        }
        if scale is not None:
            chosen[name]["mid_scale"] = scale
            chosen[name]["mid_layers"] = list(MID_LAYERS)
            chosen[name]["dense_blocks"] = dense_blocks(name)
        log(f"{name}: chosen C={C} threshold={thr} mid scale={scale} cv={cv:.4f}")
    meta = {
        "version": MODEL_VERSION,
        "seed": SEED,
        "folds": folds,
        "limit": limit,
        "models": chosen,
        "data": {
            "vi_train": VI_TRAIN,
            "en": EN_ALL,
            "en_test_fraction": EN_TEST_FRACTION,
            "xx_en_sample": len(en_sample),
        },
        "embeddings_computed": embedder.computed,
        "layer_states_computed": embedder.computed_mid,
        "train_seconds": round(time.time() - t0, 1),
    }
    cm = ClickbaitModel(models, meta, embedder)
    cm.save(output)
    return meta


def _mid_stats(mid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mu = mid.mean(axis=0)
    sd = np.maximum(mid.std(axis=0), MID_SD_FLOOR)
    return mu, sd


def _with_mid(X0: Any, mid: np.ndarray, scale: float) -> Any:
    """The design matrix with the ``mid`` block standardised (over the training titles: no
    labels are used) and scaled by ``scale``."""
    from scipy.sparse import csr_matrix, hstack

    mu, sd = _mid_stats(mid)
    return hstack([X0, csr_matrix(((mid - mu) / sd * scale).astype(np.float32))], format="csr")


def _fold_mid(
    coef: np.ndarray, bias: float, mid: np.ndarray, scale: float
) -> tuple[np.ndarray, float, float]:
    """Weights over the *raw* dense blocks (``mid``: their columns side by side, last in the
    design), the bias, and the centre of the blocks' share.

    ``w . (x - mu) / sd * scale == w' . x - w' . mu`` with ``w' = w * scale / sd``; ``w'`` is
    rounded to float16 first (as the model file stores it) so that the bias matches the stored
    weights."""
    mu, sd = _mid_stats(mid)
    width = mid.shape[1]
    w = coef.astype(np.float64).copy()
    w_mid = (w[-width:] * scale / sd).astype(np.float16).astype(np.float64)
    w[-width:] = w_mid
    center = float(np.dot(mu.astype(np.float64), w_mid))
    return w.astype(np.float32), bias - center, center
