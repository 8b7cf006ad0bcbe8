"""Streaming near-duplicate index: MinHash signatures, banded LSH, clusters of near-copies.

Text is reduced to a set of *word* tokens: URLs, @handles, #hashtags, emoji and punctuation are
removed, every word is normalised with :func:`factwatch.text.normalize.fold` (Unicode, case and
Vietnamese/French diacritics folded, so "Hà Nội", "HA NOI" and "ha noi" meet) and stop words of
the three first-class languages are dropped.  A *set* of words is robust to the edits that
copy-and-paste campaigns use to dodge filters: reordered clauses, added emoji/hashtags, a changed
link, removed accents, a truncated tail; a few replaced words lower the Jaccard similarity only a
little.

Everything after tokenisation is vectorised with numpy over a batch of posts:

- a word hashes (once, cached) to 64 bits; ``num_perm`` multiply-shift hash functions give the
  MinHash signature with one ``np.minimum.reduceat`` over the batch;
- ``bands`` x ``rows`` LSH: each band's rows are mixed into one 64-bit key;
- the index is an LSM of sorted ``uint64`` key / ``uint32`` document arrays (looked up with
  ``np.searchsorted``, merged geometrically), so memory is ~12 bytes per band per document
  instead of the ~100 bytes of a Python dict entry;
- a candidate is accepted when the Jaccard similarity estimated from 16-bit signature values is
  at least ``threshold``; accepted pairs join clusters (union-find over cluster ids).

Memory is bounded by ``capacity``: signatures and cluster labels live in ring buffers and keys
of documents older than the last ``capacity`` ones are dropped at the next merge.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import unicodedata
import zlib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from factwatch.text.normalize import fold
from factwatch.text.tokens import STOPWORDS

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_HANDLE_TAG = re.compile(r"[@#][^\s@#]+")
_WORD = re.compile(r"[^\W_]+")
# URLs and @handles/#hashtags match the first alternatives (group empty) and are dropped
_TOKEN = re.compile(r"(?:https?://|www\.)\S+|[@#][^\s@#]+|([^\W_]+|\x00)")
_SEP = "\x00"  # joins the texts of a batch; hashes to 1 (0 = dropped word)
_SEP_HASH = 1
_MASK64 = (1 << 64) - 1


def _splitmix64(x: int) -> int:
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


class Tokenizer:
    """Raw post text -> folded content words (with a bounded cache of word -> 64-bit hash)."""

    def __init__(self, max_cache: int = 2_000_000, drop_stopwords: bool = True) -> None:
        self._cache: dict[str, int] = {"": 0, _SEP: _SEP_HASH}
        self._max_cache = max_cache
        self._drop = drop_stopwords

    def clean(self, text: str) -> str:
        text = unicodedata.normalize("NFC", text or "")
        text = _URL.sub(" ", text)
        return _HANDLE_TAG.sub(" ", text)

    def words(self, text: str) -> list[str]:
        """Folded words, as :func:`fold` would give them, without stop words."""
        out = []
        for w in _WORD.findall(self.clean(text)):
            f = fold(w)
            if self._drop and f in STOPWORDS:
                continue
            out.append(f)
        return out

    def _hash_word(self, w: str) -> int:
        # ``w`` is already lower-cased and NFC; an ASCII word is its own folded form
        f = w if w.isascii() else fold(w)
        if self._drop and f in STOPWORDS:
            h = 0
        else:
            data = f.encode("utf-8")
            h = max(_splitmix64((zlib.crc32(data) << 32) | zlib.adler32(data)), 2)
        if len(self._cache) >= self._max_cache:
            self._cache.clear()
            self._cache.update({"": 0, _SEP: _SEP_HASH})
        self._cache[w] = h
        return h

    def hashes(self, text: str) -> set[int]:
        """64-bit hashes of the distinct content words (stop words, URLs, handles, tags dropped)."""
        ws = _TOKEN.findall(unicodedata.normalize("NFC", text or "").lower())
        get = self._cache.get
        out = set(map(get, ws))
        if None in out:
            cache = self._cache
            for w in ws:
                if w not in cache:
                    self._hash_word(w)
            out = set(map(self._cache.get, ws))
        out.discard(0)
        out.discard(_SEP_HASH)
        return out  # type: ignore[return-value]

    def batch(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, int]:
        """Word hashes of many texts at once: ``(hashes, document of each hash, n)``.

        The texts are joined with a separator and tokenised in one regex pass; a word that occurs
        twice in a text is kept twice (MinHash does not care).
        """
        n = len(texts)
        clean = [t.replace(_SEP, " ") if _SEP in t else t for t in (x or "" for x in texts)]
        big = unicodedata.normalize("NFC", f" {_SEP} ".join(clean)).lower()
        ws = _TOKEN.findall(big)
        get = self._cache.get
        hs = list(map(get, ws))
        if None in hs:
            for w in set(ws).difference(self._cache):
                self._hash_word(w)
            hs = list(map(self._cache.get, ws))
            if None in hs:  # the cache was cleared half-way (very large vocabulary)
                hs = [
                    h if h is not None else self._hash_word(w) for w, h in zip(ws, hs, strict=True)
                ]
        arr = np.fromiter(hs, dtype=np.uint64, count=len(hs))
        sep = arr == _SEP_HASH
        doc_of = np.cumsum(sep)
        keep = arr > _SEP_HASH
        return arr[keep], doc_of[keep], n


class _SortedLSM:
    """uint64 key -> uint32 value, as a few sorted arrays merged geometrically (log segments)."""

    def __init__(self, ratio: int = 4) -> None:
        self.keys: list[np.ndarray] = []
        self.vals: list[np.ndarray] = []
        self.ratio = ratio

    def __len__(self) -> int:
        return sum(len(k) for k in self.keys)

    @property
    def nbytes(self) -> int:
        return sum(k.nbytes + v.nbytes for k, v in zip(self.keys, self.vals, strict=True))

    def lookup(self, q: np.ndarray) -> np.ndarray:
        """Value for each query key (the newest one), or -1."""
        out = np.full(len(q), -1, dtype=np.int64)
        for k, v in zip(self.keys, self.vals, strict=True):
            if not len(k):
                continue
            idx = np.searchsorted(k, q)
            idx[idx >= len(k)] = len(k) - 1
            hit = k[idx] == q
            out[hit] = v[idx[hit]]
        return out

    def add_sorted(self, keys: np.ndarray, vals: np.ndarray, min_live: int = 0) -> None:
        """Add a segment whose ``keys`` are already sorted."""
        self.keys.append(keys)
        self.vals.append(vals.astype(np.uint32))
        while len(self.keys) > 1 and len(self.keys[-2]) <= self.ratio * len(self.keys[-1]):
            k2, v2 = self.keys.pop(), self.vals.pop()
            k1, v1 = self.keys.pop(), self.vals.pop()
            k = np.concatenate([k1, k2])
            v = np.concatenate([v1, v2])
            if min_live:
                keep = v >= min_live
                k, v = k[keep], v[keep]
            o = np.argsort(k, kind="stable")
            self.keys.append(k[o])
            self.vals.append(v[o])


@dataclass
class NearDupResult:
    """For each added document: its id, its cluster id, and the documents it was matched to."""

    doc_ids: np.ndarray  # int64, -1 for texts too short to index
    clusters: np.ndarray  # int64 cluster id (id of the cluster's first document), -1 if not indexed
    matches: list[list[int]]  # accepted near-copies (earlier documents or same batch)


class NearDupIndex:
    """Streaming near-duplicate index over post texts.

    ``add(texts)`` indexes a batch and returns, for each text, its cluster: the documents whose
    estimated word-set Jaccard similarity is at least ``threshold`` are chained into one cluster.
    """

    def __init__(
        self,
        num_perm: int = 48,
        bands: int = 16,
        threshold: float = 0.4,
        min_words: int = 3,
        capacity: int = 20_000_000,
        seed: int = 20260501,
    ) -> None:
        if num_perm % bands:
            raise ValueError("num_perm must be a multiple of bands")
        self.num_perm, self.bands, self.rows = num_perm, bands, num_perm // bands
        self.threshold, self.min_words, self.capacity, self.seed = (
            threshold,
            min_words,
            capacity,
            seed,
        )
        rng = np.random.default_rng(seed)
        self._a = rng.integers(1, 2**63 - 1, size=num_perm, dtype=np.int64).astype(
            np.uint64
        ) | np.uint64(1)
        self._b = rng.integers(0, 2**63 - 1, size=num_perm, dtype=np.int64).astype(np.uint64)
        self._mix = rng.integers(1, 2**63 - 1, size=(bands, self.rows), dtype=np.int64).astype(
            np.uint64
        ) | np.uint64(1)
        self._salt = rng.integers(0, 2**63 - 1, size=bands, dtype=np.int64).astype(np.uint64)
        self.tokenizer = Tokenizer()
        self.n_docs = 0  # next document id
        self._sigs = np.zeros((0, num_perm), dtype=np.uint16)  # ring buffer (grown up to capacity)
        self._labels = np.zeros(0, dtype=np.int64)
        self._lsm = _SortedLSM()
        self._parent: dict[int, int] = {}  # cluster merges: cluster -> older cluster

    # ------------------------------------------------------------------ clusters
    def find(self, c: int) -> int:
        """Canonical id of cluster ``c`` (merges followed)."""
        parent = self._parent
        root = c
        while root in parent:
            root = parent[root]
        while c in parent and parent[c] != root:
            parent[c], c = root, parent[c]
        return root

    def _union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if rb < ra:
            ra, rb = rb, ra
        self._parent[rb] = ra
        return ra

    def cluster_of(self, doc_id: int) -> int:
        if doc_id < 0 or doc_id < self.n_docs - len(self._labels) or doc_id >= self.n_docs:
            return -1
        lab = int(self._labels[doc_id % self.capacity])
        return self.find(lab) if lab >= 0 else -1

    # ------------------------------------------------------------------ hashing
    def signatures(self, token_hashes: Sequence[Collection[int]]) -> np.ndarray:
        """MinHash signatures (n, num_perm) uint32 of non-empty token-hash sets."""
        n = len(token_hashes)
        lens = np.fromiter(map(len, token_hashes), dtype=np.int64, count=n)
        flat = np.fromiter(
            itertools.chain.from_iterable(token_hashes), dtype=np.uint64, count=int(lens.sum())
        )
        return self.signatures_flat(flat, lens)

    def signatures_flat(self, flat: np.ndarray, lens: np.ndarray) -> np.ndarray:
        """Signatures of documents given as concatenated token hashes and (non-zero) lengths."""
        n = len(lens)
        offsets = np.zeros(n, dtype=np.int64)
        np.cumsum(lens[:-1], out=offsets[1:])
        sig = np.empty((n, self.num_perm), dtype=np.uint32)
        # chunk over permutations to bound the temporary (perms x words) matrix
        step = max(1, min(self.num_perm, 4_000_000 // max(1, len(flat))))
        buf = np.empty((step, len(flat)), dtype=np.uint64)
        for p in range(0, self.num_perm, step):
            a = self._a[p : p + step, None]
            h = buf[: len(a)]
            np.multiply(flat[None, :], a, out=h)  # multiply-shift hashing: (a * x mod 2^64) >> 32
            h >>= np.uint64(32)
            sig[:, p : p + step] = np.minimum.reduceat(h, offsets, axis=1).T
        return sig

    def band_keys(self, sig: np.ndarray) -> np.ndarray:
        """(n, bands) uint64 LSH keys."""
        s = sig.astype(np.uint64).reshape(len(sig), self.bands, self.rows)
        keys = (s * self._mix[None, :, :]).sum(axis=2, dtype=np.uint64)
        keys ^= self._salt[None, :]
        return keys

    # ------------------------------------------------------------------ indexing
    def add(self, texts: Iterable[str]) -> NearDupResult:
        """Index a batch of raw texts (tokenised together: one regex pass, cached word hashes)."""
        flat, doc_of, n = self.tokenizer.batch(list(texts))
        return self.add_flat(flat, doc_of, n)

    def add_hashes(self, token_hashes: Sequence[Collection[int]]) -> NearDupResult:
        """Index a batch given as word-hash sets (see :meth:`Tokenizer.hashes`)."""
        n = len(token_hashes)
        lens = np.fromiter(map(len, token_hashes), dtype=np.int64, count=n)
        flat = np.fromiter(
            itertools.chain.from_iterable(token_hashes), dtype=np.uint64, count=int(lens.sum())
        )
        return self.add_flat(flat, np.repeat(np.arange(n), lens), n)

    def add_flat(self, flat: np.ndarray, doc_of: np.ndarray, n: int) -> NearDupResult:
        """Index ``n`` documents given as word hashes ``flat`` and their document ``doc_of`` (grouped)."""
        lens = np.bincount(doc_of, minlength=n) if n else np.zeros(0, dtype=np.int64)
        okmask = lens >= self.min_words
        ok = np.nonzero(okmask)[0].tolist()
        doc_ids = np.full(n, -1, dtype=np.int64)
        clusters = np.full(n, -1, dtype=np.int64)
        matches: list[list[int]] = [[] for _ in range(n)]
        if not ok:
            return NearDupResult(doc_ids, clusters, matches)
        m = len(ok)
        sig = self.signatures_flat(flat[okmask[doc_of]], lens[okmask])
        keys = self.band_keys(sig)  # (m, bands)
        sig16 = (sig & 0xFFFF).astype(np.uint16)
        first = self.n_docs
        ids = np.arange(first, first + m, dtype=np.int64)
        self._grow(first + m)
        pos = ids % self.capacity
        self._sigs[pos] = sig16
        self._labels[pos] = ids  # provisional: each document its own cluster

        # candidates: (m, bands) earlier document ids from the index and from this batch
        flat = keys.ravel()
        order = np.argsort(flat, kind="stable")
        sk = flat[order]
        found = self._lsm.lookup(sk)  # sorted queries: cache-friendly binary searches
        cand_flat = np.empty(len(flat), dtype=np.int64)
        cand_flat[order] = found
        cand = cand_flat.reshape(m, self.bands)
        oldest = max(0, first + m - self.capacity)  # older slots were just overwritten
        cand[cand < oldest] = -1
        newgrp = np.ones(len(sk), dtype=bool)
        newgrp[1:] = sk[1:] != sk[:-1]
        grp_first = np.maximum.accumulate(np.where(newgrp, np.arange(len(sk)), 0))
        head = (order[grp_first] // self.bands) + first  # first batch doc with this key
        batch_flat = np.empty(len(flat), dtype=np.int64)
        batch_flat[order] = head
        batch_cand = batch_flat.reshape(m, self.bands)
        batch_cand[batch_cand == ids[:, None]] = -1
        cand = np.concatenate([cand, batch_cand], axis=1)

        # verify candidates with estimated Jaccard
        has = cand >= 0
        rows_i, cols_j = np.nonzero(has)
        if len(rows_i):
            cd = cand[rows_i, cols_j]
            # dedupe (doc, candidate) pairs
            span = np.int64(first + m + 1)
            pair = np.unique(rows_i.astype(np.int64) * span + cd)
            rows_i, cd = pair // span, pair % span
            est = (self._sigs[cd % self.capacity] == sig16[rows_i]).mean(axis=1)
            good = est >= self.threshold
            rows_i, cd = rows_i[good], cd[good]
            for r, c in zip(rows_i.tolist(), cd.tolist(), strict=True):
                d = first + r
                matches[ok[r]].append(c)
                cl = self._union(
                    int(self._labels[c % self.capacity]), int(self._labels[d % self.capacity])
                )
                self._labels[d % self.capacity] = cl
        self._lsm.add_sorted(
            sk, (order // self.bands) + first, min_live=max(0, first + m - self.capacity)
        )
        self.n_docs = first + m
        for r, i in enumerate(ok):
            doc_ids[i] = first + r
            clusters[i] = self.find(int(self._labels[(first + r) % self.capacity]))
        return NearDupResult(doc_ids, clusters, matches)

    def _grow(self, n_total: int) -> None:
        size = len(self._labels)
        need = min(n_total, self.capacity)
        if need <= size:
            return
        new = min(self.capacity, max(need, size * 2, 1024))
        sigs = np.zeros((new, self.num_perm), dtype=np.uint16)
        sigs[:size] = self._sigs
        labels = np.full(new, -1, dtype=np.int64)
        labels[:size] = self._labels
        self._sigs, self._labels = sigs, labels

    # ------------------------------------------------------------------ size and persistence
    @property
    def nbytes(self) -> int:
        return self._sigs.nbytes + self._labels.nbytes + self._lsm.nbytes + 100 * len(self._parent)

    def to_bytes(self) -> bytes:
        """Serialise (numpy ``.npz`` without pickles + a JSON header)."""
        meta = {
            "num_perm": self.num_perm,
            "bands": self.bands,
            "threshold": self.threshold,
            "min_words": self.min_words,
            "capacity": self.capacity,
            "seed": self.seed,
            "n_docs": self.n_docs,
            "n_segments": len(self._lsm.keys),
        }
        arrays: dict[str, np.ndarray] = {
            "meta": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
            "sigs": self._sigs,
            "labels": self._labels,
            "parent": np.array(sorted(self._parent.items()), dtype=np.int64).reshape(-1, 2),
        }
        for i, (k, v) in enumerate(zip(self._lsm.keys, self._lsm.vals, strict=True)):
            arrays[f"k{i}"], arrays[f"v{i}"] = k, v
        buf = io.BytesIO()
        np.savez(buf, **arrays)  # type: ignore[arg-type]
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> NearDupIndex:
        z = np.load(io.BytesIO(data), allow_pickle=False)
        meta = json.loads(bytes(z["meta"]).decode())
        idx = cls(
            num_perm=meta["num_perm"],
            bands=meta["bands"],
            threshold=meta["threshold"],
            min_words=meta["min_words"],
            capacity=meta["capacity"],
            seed=meta["seed"],
        )
        idx.n_docs = int(meta["n_docs"])
        idx._sigs = np.array(z["sigs"], dtype=np.uint16)
        idx._labels = np.array(z["labels"], dtype=np.int64)
        idx._parent = {int(a): int(b) for a, b in z["parent"]}
        for i in range(int(meta["n_segments"])):
            idx._lsm.keys.append(np.array(z[f"k{i}"], dtype=np.uint64))
            idx._lsm.vals.append(np.array(z[f"v{i}"], dtype=np.uint32))
        return idx
