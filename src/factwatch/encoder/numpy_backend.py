"""Reference transformer forward pass in plain numpy (fp32 BLAS), used when onnxruntime is absent.

Input: embedded tokens ``x`` (B, L, H) after word + position + type embeddings, and a 0/1 mask
(B, L).  Output: the masked mean of the last hidden states (B, H), not normalised.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from factwatch.encoder.weights import E5Weights

try:  # scipy ships with scikit-learn, a factwatch dependency
    from scipy.special import erf as _erf
except ImportError:  # pragma: no cover - tanh approximation, slightly less exact
    _erf = None


def _layernorm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    xc = x - mean
    var = np.mean(xc * xc, axis=-1, keepdims=True)
    return xc / np.sqrt(var + eps) * w + b


def _gelu(x: np.ndarray) -> np.ndarray:
    if _erf is not None:
        return 0.5 * x * (1.0 + _erf(x * np.float32(0.70710678118654752440)))
    return 0.5 * x * (1.0 + np.tanh(np.float32(0.7978845608) * (x + np.float32(0.044715) * x**3)))


class NumpyForward:
    def __init__(self, w: E5Weights) -> None:
        self.h, self.nh, self.eps = w.hidden, w.heads, w.eps
        self.hd = self.h // self.nh
        self.emb_ln = (w.f32("emb.ln.w"), w.f32("emb.ln.b"))
        self.layers = []
        for i in range(w.layers):
            p = f"l{i}."
            qkv_w = np.concatenate([w.q4_matrix(p + n + ".w", self.h) for n in ("q", "k", "v")])
            qkv_b = np.concatenate([w.f32(p + n + ".b") for n in ("q", "k", "v")])
            self.layers.append(
                (
                    np.ascontiguousarray(qkv_w.T),
                    qkv_b,
                    np.ascontiguousarray(w.q4_matrix(p + "ao.w", self.h).T),
                    w.f32(p + "ao.b"),
                    w.f32(p + "aln.w"),
                    w.f32(p + "aln.b"),
                    np.ascontiguousarray(w.q4_matrix(p + "fi.w", self.h).T),
                    w.f32(p + "fi.b"),
                    np.ascontiguousarray(w.q4_matrix(p + "fo.w", w.ffn).T),
                    w.f32(p + "fo.b"),
                    w.f32(p + "oln.w"),
                    w.f32(p + "oln.b"),
                )
            )

    def __call__(self, x: np.ndarray, mask: np.ndarray) -> np.ndarray:
        b, seq, h = x.shape
        nh, hd = self.nh, self.hd
        x = _layernorm(x.reshape(b * seq, h), *self.emb_ln, self.eps)
        bias = ((1.0 - mask) * np.float32(-1e30)).astype(np.float32)[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(hd))
        for p in self.layers:
            x = block(x, p, b, seq, h, nh, hd, bias, scale, self.eps)
        x = x.reshape(b, seq, h) * mask[:, :, None]
        return x.sum(axis=1) / mask.sum(axis=1, keepdims=True)


def block(
    x: np.ndarray,
    p: Any,
    b: int,
    seq: int,
    h: int,
    nh: int,
    hd: int,
    bias: np.ndarray,
    scale: np.float32,
    eps: float,
) -> np.ndarray:
    """One transformer layer over ``x`` ``(b * seq, h)``; ``p`` is the layer's 12 arrays."""
    qkv_w, qkv_b, ao_w, ao_b, aln_w, aln_b, fi_w, fi_b, fo_w, fo_b, oln_w, oln_b = p
    qkv = x @ qkv_w + qkv_b
    qkv = qkv.reshape(b, seq, 3, nh, hd).transpose(2, 0, 3, 1, 4)
    q, k, v = qkv[0], qkv[1], qkv[2]
    s = (q @ k.transpose(0, 1, 3, 2)) * scale + bias
    s -= s.max(axis=-1, keepdims=True)
    np.exp(s, out=s)
    s /= s.sum(axis=-1, keepdims=True)
    ctx = (s @ v).transpose(0, 2, 1, 3).reshape(b * seq, h)
    x = _layernorm(x + (ctx @ ao_w + ao_b), aln_w, aln_b, eps)
    mid = _gelu(x @ fi_w + fi_b)
    return _layernorm(x + (mid @ fo_w + fo_b), oln_w, oln_b, eps)
