"""Check-worthiness: does a sentence make a checkable factual claim?

The shipped model averages the logits of two models trained on ClaimBuster (US presidential
debate sentences, CC BY 4.0) plus the CLEF-2020 CheckThat! Task 1 training tweets: a LoRA-fine-tuned
multilingual-e5-small (``checkworthy_tune.py``; ``factwatch train checkworthy --fine-tune``) and a
logistic regression over these feature blocks:

- ``word``: hashed word 1-2-grams, sublinear tf x idf, L2-normalised (English-trained);
- ``char``: hashed character 2-5-grams inside word boundaries, same weighting (English-trained);
- ``cue``: hand cues that carry across languages (numbers, percentages and money, capitalised
  names inside the sentence, comparatives/changes in en/fr/vi, first-person opinion, questions,
  length);
- ``emb``: the multilingual-e5-small ``query:`` embedding (``factwatch.encoder.get_encoder()``),
  the only block that carries meaning across languages.  A model trained without
  ``--fine-tune`` has it (``--no-embeddings``: not, and needs no encoder); the shipped model,
  whose fine-tuned e5 carries the meaning, has only ``word``, ``char`` and ``cue``.

The model ships as ``data/models/checkworthy.npz`` (numbers only, ``allow_pickle=False``) and
``checkworthy.json`` (settings, training data, measured figures).  ``score`` is the model's
probability of "check-worthy"; ``is_checkworthy`` is ``score >= threshold`` (0.5: classes are
weighted to balance during training).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import HashingVectorizer

import factwatch

MODEL_DIR = Path(factwatch.__file__).parent / "data" / "models"
MODEL_PATH = MODEL_DIR / "checkworthy.npz"
MODEL_VERSION = 1
HASH_BITS = 18
SEED = 13
BLOCK_SCALE = {"word": 1.0, "char": 1.0, "cue": 0.5, "emb": 1.0}

_NUM = re.compile(r"\d")
_NUMBER_TOKEN = re.compile(r"\d[\d.,]*")
_PERCENT = re.compile(r"%|\bper ?cent\b|\bpour ?cent\b|\bphần trăm\b", re.I)
_MONEY = re.compile(r"[$€£¥₫]|\b(dollars?|euros?|đồng|usd|vnd)\b", re.I)
_MAGNITUDE = re.compile(
    r"\b(thousand|million|billion|trillion|milliers?|millions?|milliards?|nghìn|ngàn|triệu|tỷ|tỉ)\b",
    re.I,
)
_COMPARATIVE = re.compile(
    r"\b(more|less|fewer|most|least|higher|lower|larger|smaller|bigger|increase[sd]?|decrease[sd]?|"
    r"rise|rose|fell|fall|doubled?|tripled?|cut|times|than|record|"
    r"plus|moins|hausse|baisse|augment\w*|diminu\w*|record|"
    r"hơn|nhất|tăng|giảm|gấp)\b",
    re.I,
)
_TIME = re.compile(r"\b(1[89]\d\d|20\d\d|year|years|ans?|année|năm|since|depuis|từ)\b", re.I)
_OPINION = re.compile(
    r"\b(i think|i believe|i feel|i want|i will|we will|we're going to|we must|we need|"
    r"je pense|je crois|nous allons|tôi nghĩ|chúng ta sẽ|chúng tôi sẽ)\b",
    re.I,
)
_QUESTION = re.compile(r"\?")
_WORD = re.compile(r"\w+", re.UNICODE)

CUE_NAMES = (
    "has_number",
    "n_numbers",
    "percent",
    "money",
    "magnitude",
    "comparative",
    "time_ref",
    "capitalised_inside",
    "opinion",
    "question",
    "log_words",
    "short",
)


def cue_vector(text: str) -> np.ndarray:
    words = _WORD.findall(text)
    caps_inside = sum(
        1 for w in words[1:] if w[:1].isupper() and not w.isupper() or (len(w) > 1 and w.isupper())
    )
    nwords = len(words)
    return np.array(
        [
            1.0 if _NUM.search(text) else 0.0,
            min(len(_NUMBER_TOKEN.findall(text)), 5) / 5.0,
            1.0 if _PERCENT.search(text) else 0.0,
            1.0 if _MONEY.search(text) else 0.0,
            1.0 if _MAGNITUDE.search(text) else 0.0,
            min(len(_COMPARATIVE.findall(text)), 3) / 3.0,
            1.0 if _TIME.search(text) else 0.0,
            min(caps_inside, 5) / 5.0,
            1.0 if _OPINION.search(text) else 0.0,
            1.0 if _QUESTION.search(text) else 0.0,
            math.log1p(nwords) / 5.0,
            1.0 if nwords < 6 else 0.0,
        ],
        dtype=np.float32,
    )


def _hashers() -> dict[str, HashingVectorizer]:
    common: dict[str, Any] = {
        "n_features": 2**HASH_BITS,
        "alternate_sign": False,
        "norm": None,
        "lowercase": True,
        "dtype": np.float32,
    }
    return {
        "word": HashingVectorizer(analyzer="word", ngram_range=(1, 2), **common),
        "char": HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), **common),
    }


def _tfidf(counts: csr_matrix, idf: np.ndarray) -> csr_matrix:
    x = counts.tocsr(copy=True).astype(np.float32)
    x.data = np.log1p(x.data)
    x = x.multiply(idf[None, :]).tocsr()
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return csr_matrix(x.multiply(1.0 / norms[:, None]))


def fit_idf(counts: csr_matrix) -> np.ndarray:
    df = np.bincount(counts.tocsr().indices, minlength=counts.shape[1]).astype(np.float64)
    n = counts.shape[0]
    return (np.log((1 + n) / (1 + df)) + 1.0).astype(np.float32)


@dataclass
class Featurizer:
    """Builds the design matrix; ``idf`` per hashed block is part of the model."""

    blocks: tuple[str, ...]
    idf: dict[str, np.ndarray]

    def counts(self, texts: Sequence[str]) -> dict[str, csr_matrix]:
        hashers = _hashers()
        return {b: hashers[b].transform(texts) for b in ("word", "char") if b in self.blocks}

    def matrix(
        self,
        texts: Sequence[str],
        embeddings: np.ndarray | None = None,
        counts: dict[str, csr_matrix] | None = None,
    ) -> csr_matrix:
        counts = counts if counts is not None else self.counts(texts)
        parts = []
        for b in self.blocks:
            if b in ("word", "char"):
                parts.append(_tfidf(counts[b], self.idf[b]) * BLOCK_SCALE[b])
            elif b == "cue":
                cues = (
                    np.stack([cue_vector(t) for t in texts])
                    if len(texts)
                    else np.zeros((0, len(CUE_NAMES)))
                )
                parts.append(csr_matrix(cues * BLOCK_SCALE[b], dtype=np.float32))
            elif b == "emb":
                if embeddings is None:
                    raise ValueError("this model needs embeddings")
                parts.append(csr_matrix(embeddings.astype(np.float32) * BLOCK_SCALE[b]))
        return hstack(parts, format="csr", dtype=np.float32)


class CheckWorthiness:
    """Scores sentences for check-worthiness with the shipped (or a given) model.

    >>> cw = CheckWorthiness()
    >>> cw.score(["Unemployment fell to 3.4% last year.", "Thank you all for coming."])
    """

    def __init__(self, model_path: str | Path | None = None, encoder: Any = None) -> None:
        path = Path(model_path) if model_path else MODEL_PATH
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(bytes(z["meta"]).decode("utf-8"))
            if meta.get("version") != MODEL_VERSION:
                raise ValueError(
                    f"{path}: model version {meta.get('version')} (expected {MODEL_VERSION})"
                )
            self.blocks: tuple[str, ...] = tuple(meta["blocks"])
            idf = {b: z[f"idf_{b}"] for b in ("word", "char") if b in self.blocks}
            self.coef = z["coef"].astype(np.float32)
            self.intercept = float(z["intercept"][0])
            self.tuned: dict[str, Any] | None = meta.get("tuned")
            if self.tuned is not None:
                self.tuned_w = z["tuned_w"].astype(np.float32)
                self.tuned_b = float(z["tuned_b"][0])
                self.tuned_path = path.parent / str(self.tuned["adapter"])
                if not self.tuned_path.exists():
                    raise ValueError(f"{path}: its fine-tuned part {self.tuned_path} is missing")
        self.meta = meta
        self.threshold = float(meta.get("threshold", 0.5))
        self.featurizer = Featurizer(self.blocks, idf)  # type: ignore[arg-type]
        self._encoder = encoder

    @property
    def uses_embeddings(self) -> bool:
        return "emb" in self.blocks

    def _embed(self, texts: Sequence[str]) -> np.ndarray | None:
        if not self.uses_embeddings:
            return None
        if self._encoder is None:
            from factwatch.encoder import get_encoder

            self._encoder = get_encoder()
        return np.asarray(self._encoder.query(list(texts)), dtype=np.float32)

    def score(self, texts: Sequence[str]) -> np.ndarray:
        texts = [t if isinstance(t, str) else "" for t in texts]
        if not texts:
            return np.zeros(0, dtype=np.float32)
        x = self.featurizer.matrix(texts, self._embed(texts))
        z = np.asarray(x @ self.coef).ravel() + self.intercept
        if self.tuned is not None:
            from factwatch.classify.checkworthy_tune import fuse_logits, tuned_encoder

            v = np.asarray(tuned_encoder(self.tuned_path).query(list(texts)), dtype=np.float32)
            z = fuse_logits(z, v @ self.tuned_w + self.tuned_b, self.tuned["fusion"])
        return (1.0 / (1.0 + np.exp(-z))).astype(np.float32)

    def is_checkworthy(self, texts: Sequence[str]) -> np.ndarray:
        return self.score(texts) >= self.threshold


def save_model(
    path: Path,
    blocks: Sequence[str],
    idf: dict[str, np.ndarray],
    coef: np.ndarray,
    intercept: float,
    meta: dict[str, Any],
    tuned_head: tuple[np.ndarray, float] | None = None,
) -> None:
    """Writes the ``.npz`` and its readable ``.json``; ``tuned_head`` (the fine-tuned model's
    head, ``meta["tuned"]`` naming its adapter file) when the model has a fine-tuned part."""
    meta = {**meta, "version": MODEL_VERSION, "blocks": list(blocks)}
    arrays = {f"idf_{b}": idf[b].astype(np.float32) for b in idf}
    if tuned_head is not None:
        arrays["tuned_w"] = np.asarray(tuned_head[0], dtype=np.float32)
        arrays["tuned_b"] = np.array([tuned_head[1]], dtype=np.float64)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        coef=coef.astype(np.float32),
        intercept=np.array([intercept], dtype=np.float64),
        meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
        **arrays,  # type: ignore[arg-type]
    )
    path.with_suffix(".json").write_text(
        json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def text_digest(texts: Sequence[str]) -> str:
    h = hashlib.sha256()
    for t in texts:
        h.update(t.encode("utf-8", "replace") + b"\0")
    return h.hexdigest()[:16]


# ---------------------------------------------------------------------------------------------
# Training (``factwatch train checkworthy``) and evaluation (benchmarks/checkworthy.py)

TRAIN_FILES = ("claimbuster-train.jsonl", "clef2020-task1-training_v2.jsonl")
DEV_FILE = "clef2020-task1-dev_v2.jsonl"
C_REG = 4.0


def load_labelled(path: Path) -> tuple[list[str], np.ndarray]:
    texts: list[str] = []
    labels: list[int] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        obj = json.loads(line)
        texts.append(str(obj["text"]))
        labels.append(1 if obj["checkworthy"] else 0)
    return texts, np.array(labels, dtype=np.int64)


def embed_cached(texts: Sequence[str], encoder: Any = None) -> np.ndarray:
    """e5 ``query:`` embeddings, cached under the factwatch cache dir by a hash of the texts."""
    from factwatch.encoder import get_encoder
    from factwatch.encoder.fast import cache_dir

    target = cache_dir() / f"checkworthy-emb-{text_digest(texts)}.npy"
    if target.exists():
        emb = np.load(target, allow_pickle=False)
        if emb.shape == (len(texts), 384):
            return emb
    enc = encoder or get_encoder()
    emb = np.asarray(enc.query(list(texts)), dtype=np.float32)
    target.parent.mkdir(parents=True, exist_ok=True)
    np.save(target, emb, allow_pickle=False)
    return emb


def fit(
    texts: Sequence[str], y: np.ndarray, blocks: Sequence[str], embeddings: np.ndarray | None = None
) -> tuple[dict[str, np.ndarray], np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    feat = Featurizer(tuple(blocks), {})
    counts = feat.counts(texts)
    feat.idf = {b: fit_idf(c) for b, c in counts.items()}
    x = feat.matrix(texts, embeddings, counts)
    lr = LogisticRegression(C=C_REG, class_weight="balanced", max_iter=3000, random_state=SEED)
    lr.fit(x, y)
    return feat.idf, lr.coef_.ravel().astype(np.float32), float(lr.intercept_[0])


def predict(
    blocks: Sequence[str],
    idf: dict[str, np.ndarray],
    coef: np.ndarray,
    intercept: float,
    texts: Sequence[str],
    emb: np.ndarray | None,
) -> np.ndarray:
    x = Featurizer(tuple(blocks), idf).matrix(texts, emb)
    z = np.asarray(x @ coef).ravel() + intercept
    return 1.0 / (1.0 + np.exp(-z))


def f1(y: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    tp = int(((pred == 1) & (y == 1)).sum())
    fp = int(((pred == 1) & (y == 0)).sum())
    fn = int(((pred == 0) & (y == 1)).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def cv_splits(y: np.ndarray, folds: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    """The stratified folds of every cross-validation figure (fixed seed)."""
    from sklearn.model_selection import StratifiedKFold

    kf = StratifiedKFold(folds, shuffle=True, random_state=SEED)
    return list(kf.split(np.zeros(len(y)), y))


def cross_validate_proba(
    texts: Sequence[str],
    y: np.ndarray,
    blocks: Sequence[str],
    emb: np.ndarray | None,
    folds: int = 5,
) -> np.ndarray:
    """Out-of-fold probabilities of the logistic model over ``blocks``."""
    out = np.zeros(len(y), dtype=np.float64)
    for tr, te in cv_splits(y, folds):
        idf, coef, b = fit(
            [texts[i] for i in tr], y[tr], blocks, emb[tr] if emb is not None else None
        )
        out[te] = predict(
            blocks, idf, coef, b, [texts[i] for i in te], emb[te] if emb is not None else None
        )
    return out


def cross_validate(
    texts: Sequence[str],
    y: np.ndarray,
    blocks: Sequence[str],
    emb: np.ndarray | None,
    folds: int = 5,
) -> dict[str, float]:
    """Stratified ``folds``-fold CV (fixed seed); F1 of the check-worthy class over all folds."""
    p = cross_validate_proba(texts, y, blocks, emb, folds)
    return f1(y, (p >= 0.5).astype(np.int64))


def training_set(data_dir: Path) -> tuple[list[str], np.ndarray]:
    """ClaimBuster + the CLEF-2020 training tweets, minus every tweet of the CLEF-2020 dev file.

    ``clef2020-task1-training_v2`` contains all 150 dev tweets: they are dropped (by text), so that
    the dev F1 measures unseen tweets."""
    dev_texts, _ = load_labelled(data_dir / DEV_FILE)
    dev = {t.strip().lower() for t in dev_texts}
    texts: list[str] = []
    labels: list[int] = []
    for name in TRAIN_FILES:
        t, y = load_labelled(data_dir / name)
        for text, label in zip(t, y, strict=True):
            if text.strip().lower() not in dev:
                texts.append(text)
                labels.append(int(label))
    return texts, np.array(labels, dtype=np.int64)


def train(
    data_dir: Path,
    use_embeddings: bool = True,
    out: Path = MODEL_PATH,
    fine_tune: bool = False,
    progress: Callable[[int], None] | None = None,
    tune_config: Any = None,
) -> dict[str, Any]:
    """Train on ClaimBuster + CLEF-2020 training tweets; report F1 on the CLEF-2020 dev tweets.

    ``fine_tune``: also fine-tune e5 (``checkworthy_tune``, needs torch) and fuse it with the
    lexical model; its LoRA updates go to ``<out stem>_adapter.npz`` next to ``out``.  The plain
    e5 block is then left out (the fine-tuned encoder carries the meaning)."""
    texts, y_all = training_set(data_dir)
    if fine_tune:
        use_embeddings = False
    blocks = ("word", "char", "cue", "emb") if use_embeddings else ("word", "char", "cue")
    emb = embed_cached(texts) if use_embeddings else None
    idf, coef, intercept = fit(texts, y_all, blocks, emb)
    dev_texts, dev_y = load_labelled(data_dir / DEV_FILE)
    meta: dict[str, Any] = {
        "threshold": 0.5,
        "seed": SEED,
        "C": C_REG,
        "hash_bits": HASH_BITS,
        "block_scale": BLOCK_SCALE,
        "cues": list(CUE_NAMES),
        "encoder": "multilingual-e5-small (query: prefix)" if use_embeddings else None,
        "trained_on": {
            "claimbuster-train.jsonl": "ClaimBuster, Arslan et al. 2020, CC BY 4.0",
            "clef2020-task1-training_v2.jsonl": "CLEF-2020 CheckThat! Task 1 English, research use (minus the dev tweets it contains)",
        },
        "n_train": len(texts),
    }
    tuned_head = None
    if fine_tune:
        from factwatch.classify import checkworthy_tune as tune
        from factwatch.encoder.adapter_train import ClassifierConfig

        cfg = tune_config or ClassifierConfig()
        model = tune.fine_tune(texts, y_all, cfg, progress)
        adapter = out.with_name(out.stem + "_adapter.npz")
        meta["encoder"] = "multilingual-e5-small + check-worthiness LoRA (query: prefix)"
        meta["tuned"] = tune.save_tuned(model, adapter, cfg)
        tuned_head = (model.head_w, model.head_b)
    save_model(out, blocks, idf, coef, intercept, meta, tuned_head)
    if fine_tune:
        dev_p = CheckWorthiness(out).score(dev_texts)
    else:
        dev_emb = embed_cached(dev_texts) if use_embeddings else None
        dev_p = predict(blocks, idf, coef, intercept, dev_texts, dev_emb)
    meta["clef2020_dev"] = f1(dev_y, (dev_p >= 0.5).astype(np.int64))
    save_model(out, blocks, idf, coef, intercept, meta, tuned_head)
    return meta
