"""The dense side of the fact-check index: exact below a size, HNSW (usearch) above.

Vectors are L2-normalised float32 from multilingual-e5-small.  Up to ``EXACT_LIMIT`` vectors a
brute-force matrix product is both exact and fast; above it an HNSW graph over float16 vectors
(usearch) finds candidates in sub-linear time, and the graph's own float16 copy of each vector
re-scores any row on demand (the lexical side asks for the dense score of its own candidates).
usearch's own int8 was tried and dropped: it maps [-1, 1] to [-127, 127], so the ~0.05
components of 384-dimensional unit vectors keep a few levels and the graph sometimes misses the
exact neighbour of a vector it holds.  A separate int8 copy for re-scoring was dropped too: it
cost 384 MB at 1M fact-checks for scores that float16 gives as well.
"""

from __future__ import annotations

import contextlib
from typing import Any

import numpy as np

EXACT_LIMIT = 50_000


def _load_onnxruntime_first() -> None:
    """Import onnxruntime (the fast encoder's engine) before usearch: importing onnxruntime
    after usearch's extension is loaded crashes the process (segmentation fault, seen with
    usearch 2.26 and onnxruntime 1.32), and the matcher embeds posts after building its index."""
    with contextlib.suppress(ImportError):
        import onnxruntime  # noqa: F401


class DenseIndex:
    def __init__(
        self,
        vectors: np.ndarray,
        exact_limit: int = EXACT_LIMIT,
        connectivity: int = 16,
        expansion_search: int = 512,
    ) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.dim = vectors.shape[1] if vectors.ndim == 2 and vectors.shape[0] else 384
        self.exact_limit = exact_limit
        self._connectivity = connectivity
        self._expansion = expansion_search
        self._f32: np.ndarray | None = vectors
        self._hnsw: Any = None
        self.n = vectors.shape[0]
        if self.n > exact_limit:
            self._to_ann(vectors)

    @property
    def approximate(self) -> bool:
        return self._hnsw is not None

    def _to_ann(self, vectors: np.ndarray) -> None:
        _load_onnxruntime_first()
        from usearch.index import Index

        self._hnsw = Index(
            ndim=self.dim,
            metric="cos",
            dtype="f16",
            connectivity=self._connectivity,
            expansion_search=self._expansion,
        )
        if len(vectors):
            # One thread: usearch's parallel insertion sometimes leaves a vector unreachable from
            # its own near-duplicate (5 of 30 builds of 2,000 random vectors missed one; 0 of 30
            # single-threaded), and a matcher must find the fact-check a post copies.
            self._hnsw.add(np.arange(len(vectors), dtype=np.uint64), vectors, threads=1)
        self._f32 = None

    def add(self, vectors: np.ndarray) -> None:
        """Append vectors (incremental: no rebuild)."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if not len(vectors):
            return
        start = self.n
        self.n += len(vectors)
        if self._hnsw is None:
            assert self._f32 is not None
            self._f32 = np.vstack([self._f32.reshape(-1, vectors.shape[1]), vectors])
            if self.n > self.exact_limit:
                self._to_ann(self._f32)
            return
        self._hnsw.add(np.arange(start, self.n, dtype=np.uint64), vectors, threads=1)

    def score(self, q: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """Cosine of ``q`` with the given rows (all rows when None)."""
        if self._f32 is not None:
            return self._f32 @ q if rows is None else self._f32[rows] @ q
        keys = np.arange(self.n, dtype=np.uint64) if rows is None else np.asarray(rows, np.uint64)
        if not len(keys):
            return np.zeros(0, dtype=np.float32)
        vecs = np.asarray(self._hnsw.get(keys, dtype=np.float32), dtype=np.float32)
        return (vecs.reshape(len(keys), -1) @ q).astype(np.float32)

    def search(self, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` rows and their cosines, best first."""
        k = min(k, self.n)
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if self._hnsw is None:
            s = self.score(q)
            top = np.argpartition(-s, k - 1)[:k]
            top = top[np.argsort(-s[top])]
            return top.astype(np.int64), s[top]
        m = self._hnsw.search(q, k)
        rows = np.asarray(m.keys, dtype=np.int64).ravel()
        rows = rows[rows < self.n]
        s = self.score(q, rows)
        order = np.argsort(-s)
        return rows[order], s[order]

    def search_many(
        self, qs: np.ndarray, k: int
    ) -> list[tuple[np.ndarray, np.ndarray, np.ndarray | None]]:
        """``search`` for each row of ``qs``: (top rows, their cosines, and with exact search the
        cosines of every row, from one matrix product for the whole batch)."""
        k = min(k, self.n)
        if self._f32 is None or k <= 0:
            return [(*self.search(q, k), None) for q in qs]
        sims = qs @ self._f32.T
        out: list[tuple[np.ndarray, np.ndarray, np.ndarray | None]] = []
        for s in sims:
            top = np.argpartition(-s, k - 1)[:k]
            top = top[np.argsort(-s[top])]
            out.append((top.astype(np.int64), s[top], s))
        return out

    def memory_bytes(self) -> int:
        if self._f32 is not None:
            return int(self._f32.nbytes)
        assert self._hnsw is not None
        return int(self._hnsw.memory_usage)
