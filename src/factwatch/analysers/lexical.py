"""A BM25 index over token lists (sparse matrix), giving scores for every document at once.

bm25s does the same with a top-k API; the matcher needs scores for arbitrary candidate sets and
for several fields, so the weights are kept as one CSC matrix: a query's scores are the sum of
the columns of its terms.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse


class BM25Index:
    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        lengths = np.array([len(d) for d in docs], dtype=np.float32)
        avgdl = float(lengths.mean()) if len(docs) and lengths.sum() else 1.0
        df: dict[int, int] = {}
        for i, doc in enumerate(docs):
            counts: dict[int, int] = {}
            for tok in doc:
                j = self.vocab.setdefault(tok, len(self.vocab))
                counts[j] = counts.get(j, 0) + 1
            for j, tf in counts.items():
                df[j] = df.get(j, 0) + 1
                norm = tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[i] / avgdl))
                rows.append(i)
                cols.append(j)
                vals.append(norm)
        n = len(docs)
        self.idf = np.zeros(len(self.vocab), dtype=np.float32)
        for j, d in df.items():
            self.idf[j] = np.log(1 + (n - d + 0.5) / (d + 0.5))
        w = (
            np.array(vals, dtype=np.float32) * self.idf[np.array(cols, dtype=np.int64)]
            if vals
            else np.array([], dtype=np.float32)
        )
        self.matrix = sparse.csc_matrix(
            (w, (rows, cols)), shape=(n, len(self.vocab)), dtype=np.float32
        )
        self.n_docs = n

    def term_ids(self, tokens: Sequence[str]) -> list[int]:
        return [self.vocab[t] for t in tokens if t in self.vocab]

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every document for a query (repeated query terms count once)."""
        ids = sorted(set(self.term_ids(tokens)))
        if not ids:
            return np.zeros(self.n_docs, dtype=np.float32)
        return np.asarray(self.matrix[:, ids].sum(axis=1)).ravel()

    def scores_many(self, queries: Sequence[Sequence[str]]) -> np.ndarray:
        """Scores of every document for several queries at once: ``(n_docs, n_queries)``.  One
        sparse product instead of one column sum per query (the same numbers as ``scores``)."""
        out = np.zeros((self.n_docs, len(queries)), dtype=np.float32)
        cols: list[int] = []
        rows: list[int] = []
        for qi, tokens in enumerate(queries):
            ids = set(self.term_ids(tokens))
            rows.extend(ids)
            cols.extend([qi] * len(ids))
        if not rows or not self.n_docs:
            return out
        q = sparse.csc_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)),
            shape=(len(self.vocab), len(queries)),
        )
        prod = (self.matrix @ q).tocoo()
        out[prod.row, prod.col] = prod.data
        return out

    def max_score(self, tokens: Sequence[str]) -> float:
        """The score a document containing every query term once would roughly get."""
        ids = sorted(set(self.term_ids(tokens)))
        return float(self.idf[ids].sum() * (self.k1 + 1) / (1 + self.k1)) if ids else 0.0
