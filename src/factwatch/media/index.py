"""A Hamming-space index for binary hashes: multi-index hashing (Norouzi, Punjani & Fleet, 2012).

A hash of ``nbits`` bits is cut into ``m = nbits / 16`` chunks of 16 bits.  If two hashes are
within distance ``r``, at least one of their chunks is within ``r // m`` of each other (pigeonhole),
so a look-up probes, for every chunk, the buckets of all 16-bit values within ``r // m`` of the
query's chunk, and checks the full distance only on the hashes found there.  With 1M hashes a
16-bit bucket holds about 15 of them, so a PDQ look-up at distance 31 (radius 1 per chunk) checks a
few thousand candidates instead of a million.  Buckets are stored as one sorted array per chunk
with an offsets table (CSR), so 1M PDQ hashes take about 100 MB.

For large radii (r // m >= 3) the probing costs more than scanning; ``query`` then scans linearly
with numpy, which is exact too.  Both paths give the same answers (tested).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from itertools import combinations

import numpy as np

from factwatch.media.hashing import hex_to_words

_CHUNK = 16
_NVALS = 1 << _CHUNK


def _flip_masks(radius: int) -> np.ndarray:
    """Every 16-bit mask of weight <= radius."""
    masks = [0]
    for k in range(1, radius + 1):
        for bits in combinations(range(_CHUNK), k):
            masks.append(sum(1 << b for b in bits))
    return np.asarray(masks, dtype=np.int64)


class HammingIndex:
    """Hashes of ``nbits`` bits (a multiple of 64) with integer ids; exact range queries."""

    def __init__(self, nbits: int, max_probe_radius: int = 2) -> None:
        if nbits % 64:
            raise ValueError("nbits must be a multiple of 64")
        self.nbits = nbits
        self.words = nbits // 64
        self.m = nbits // _CHUNK
        self.max_probe_radius = max_probe_radius
        self._hashes = np.zeros((0, self.words), dtype=np.uint64)
        self._ids = np.zeros(0, dtype=np.int64)
        self._pending_h: list[np.ndarray] = []
        self._pending_i: list[np.ndarray] = []
        # (m, n) row numbers sorted by chunk value, and (m, 65537) bucket starts.
        self._order: np.ndarray | None = None
        self._offsets: np.ndarray | None = None
        self._masks: dict[int, np.ndarray] = {}

    # ------------------------------------------------------------------ building
    def __len__(self) -> int:
        return len(self._ids) + sum(len(i) for i in self._pending_i)

    def add(self, hashes: np.ndarray, ids: Sequence[int] | np.ndarray) -> None:
        """Add hashes (array ``(n, nbits/64)`` of uint64, big-endian word order) with their ids."""
        h = np.asarray(hashes, dtype=np.uint64).reshape(-1, self.words)
        i = np.asarray(ids, dtype=np.int64).ravel()
        if len(h) != len(i):
            raise ValueError("hashes and ids differ in length")
        self._pending_h.append(h)
        self._pending_i.append(i)
        self._order = None

    def add_hex(self, hex_hashes: Iterable[str], ids: Sequence[int]) -> None:
        rows = [hex_to_words(x, self.nbits) for x in hex_hashes]
        arr = np.vstack(rows) if rows else np.zeros((0, self.words), dtype=np.uint64)
        self.add(arr, ids)

    def _chunks(self, hashes: np.ndarray) -> np.ndarray:
        """(n, words) uint64 -> (n, m) chunk values, most significant chunk first."""
        per = 64 // _CHUNK
        shifts = np.asarray([64 - _CHUNK * (k + 1) for k in range(per)], dtype=np.uint64)
        c = (hashes[:, :, None] >> shifts[None, None, :]) & np.uint64(_NVALS - 1)
        return c.reshape(len(hashes), self.m).astype(np.int64)

    def build(self) -> None:
        if self._pending_h:
            self._hashes = np.vstack([self._hashes, *self._pending_h])
            self._ids = np.concatenate([self._ids, *self._pending_i])
            self._pending_h, self._pending_i = [], []
        n = len(self._ids)
        idx_type = np.int32 if n < 2**31 else np.int64
        chunks = self._chunks(self._hashes)
        order = np.empty((self.m, n), dtype=idx_type)
        offsets = np.empty((self.m, _NVALS + 1), dtype=np.int64)
        for j in range(self.m):
            col = chunks[:, j]
            o = np.argsort(col, kind="stable")
            order[j] = o
            counts = np.bincount(col, minlength=_NVALS)
            offsets[j, 0] = 0
            np.cumsum(counts, out=offsets[j, 1:])
        self._order, self._offsets = order, offsets

    # ------------------------------------------------------------------ querying
    def _distances(self, rows: np.ndarray, q: np.ndarray) -> np.ndarray:
        x = np.bitwise_xor(self._hashes[rows], q[None, :])
        return np.bitwise_count(x).sum(axis=1, dtype=np.int64)

    def query(self, hash_words: np.ndarray, max_distance: int) -> list[tuple[int, int]]:
        """``[(id, distance), ...]`` of every stored hash within ``max_distance``, nearest first."""
        if self._order is None:
            self.build()
        q = np.asarray(hash_words, dtype=np.uint64).reshape(self.words)
        n = len(self._ids)
        if n == 0:
            return []
        radius = max_distance // self.m
        if radius > self.max_probe_radius:
            rows = np.arange(n)
        else:
            rows = self._candidates(q, radius)
            if len(rows) == 0:
                return []
        d = self._distances(rows, q)
        keep = d <= max_distance
        rows, d = rows[keep], d[keep]
        o = np.lexsort((self._ids[rows], d))
        return [(int(self._ids[rows[k]]), int(d[k])) for k in o]

    def query_hex(self, hex_hash: str, max_distance: int) -> list[tuple[int, int]]:
        return self.query(hex_to_words(hex_hash, self.nbits), max_distance)

    def _candidates(self, q: np.ndarray, radius: int) -> np.ndarray:
        assert self._order is not None and self._offsets is not None
        masks = self._masks.get(radius)
        if masks is None:
            masks = self._masks[radius] = _flip_masks(radius)
        qc = self._chunks(q[None, :])[0]  # (m,)
        probes = qc[:, None] ^ masks[None, :]  # (m, k) bucket values
        rows_j = np.arange(self.m)[:, None]
        starts = self._offsets[rows_j, probes].ravel()
        ends = self._offsets[rows_j, probes + 1].ravel()
        lens = ends - starts
        nz = lens > 0
        if not nz.any():
            return np.zeros(0, dtype=np.int64)
        starts, lens = starts[nz], lens[nz]
        which = np.repeat(np.arange(self.m), masks.size)[nz]
        # Gather every bucket slice without a Python loop: flat positions into order[j].
        total = int(lens.sum())
        seg = np.repeat(np.arange(len(lens)), lens)
        within = np.arange(total) - np.repeat(np.cumsum(lens) - lens, lens)
        pos = starts[seg] + within
        rows = self._order[which[seg], pos]
        return np.unique(rows)

    def linear_query(self, hash_words: np.ndarray, max_distance: int) -> list[tuple[int, int]]:
        """The same answers as ``query`` by scanning every hash (reference and fallback)."""
        if self._order is None:
            self.build()
        q = np.asarray(hash_words, dtype=np.uint64).reshape(self.words)
        if len(self._ids) == 0:
            return []
        d = np.bitwise_count(np.bitwise_xor(self._hashes, q[None, :])).sum(axis=1, dtype=np.int64)
        rows = np.nonzero(d <= max_distance)[0]
        o = np.lexsort((self._ids[rows], d[rows]))
        return [(int(self._ids[rows[k]]), int(d[rows[k]])) for k in o]

    # ------------------------------------------------------------------ persistence
    def to_bytes(self) -> bytes:
        if self._pending_h:
            self.build()
        buf = io.BytesIO()
        np.savez(buf, nbits=np.asarray([self.nbits]), hashes=self._hashes, ids=self._ids)
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> HammingIndex:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            idx = cls(int(z["nbits"][0]))
            idx.add(z["hashes"], z["ids"])
        idx.build()
        return idx
