"""Claim matching: which already-checked claims does a post repeat?

Hybrid retrieval over the fact-check base:
- lexical: BM25 over folded tokens (accents removed, Vietnamese syllable bigrams), so accent-less
  Vietnamese and NFD text match;
- dense: multilingual-e5-small cosine, so a French or Vietnamese post finds an English fact-check;
- a small logistic re-ranker over features of each (post, fact-check) pair (dense cosine and its
  gap to the best, BM25 normalised and its gap, shared numbers and names), trained on the
  CheckThat! train split (``factwatch train ranker``), whose output is a calibrated probability
  that the pair is a true match.  A match over the threshold is a signal.

Long texts (over 500 characters) are split into sentences; each sentence the check-worthiness
model (``classify/checkworthy.py``) finds check-worthy is matched too, and the match names the
sentence that matched best and its check-worthiness.  Fact-check vectors are computed once and
stored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from factwatch.analysers import register
from factwatch.analysers.base import AnalysisContext
from factwatch.analysers.claim_rerank import Reranker, _logit
from factwatch.analysers.dense import DenseIndex
from factwatch.analysers.lexical import BM25Index
from factwatch.embed import DIM, MODEL_ID, embed_with, get_encoder, model_id_for, text_keys
from factwatch.models import FactCheck, Item, Signal
from factwatch.text.lang import detect_language
from factwatch.text.normalize import fold, fold_diacritics, normalize_text
from factwatch.text.sentences import split_sentences
from factwatch.text.tokens import tokenize

_MODELS = Path(__file__).resolve().parent.parent / "data" / "models"
RANKER_PATH = _MODELS / "claim_ranker.json"  # fitted on claim-adapter vectors
RANKER_PLAIN_PATH = _MODELS / "claim_ranker_plain.json"  # fitted on plain e5 query vectors


def ranker_path() -> Path:
    """The ranker fitted for the claim-query vectors in use (with or without the adapter)."""
    return RANKER_PLAIN_PATH if model_id_for("claim") == MODEL_ID else RANKER_PATH


FEATURES = (
    "dense",  # cosine of post and fact-check (claim + title)
    "dense_gap",  # minus the best candidate's cosine
    "dense_rrank",  # 1 / dense rank among candidates
    "lex",  # BM25 on claim + title, normalised by the query's maximum
    "lex_gap",
    "lex_rrank",
    "lex_claim",  # BM25 on the claim alone, normalised
    "shared_numbers",
    "shared_names",
)
DEFAULT_THRESHOLD = 0.5
RETRO_PREFILTER = 0.80  # retro-matching pre-filter of a ranker without its own (plain e5)
CANDIDATES = 30
SEARCH_BATCH = 64  # queries scored together (one pass over the index per batch)
LONG_TEXT_CHARS = 500  # longer texts (articles, transcripts) are also matched sentence by sentence
# A short text that holds this share of a fact-check's claim (claim terms weighted by IDF) is a
# near-verbatim repeat of it and keeps the main threshold.  Of 4,000 organic texts of the stream's
# train half, no short one flagged against the CheckThat! base reaches 0.6 (99th percentile 0.49);
# 13 % of the project's short repeats flagged with their fact-check do (bench/short_repeats.py).
NEAR_COPY = 0.6

_URL = re.compile(r"https?://\S+|www\.\S+|pic\.twitter\.com/\S+")
_ATTRIBUTION = re.compile(r"\s[—–-]\s[^—–]{1,80}\(@\w{1,30}\)\s[^—–]{0,40}$")
_HANDLE = re.compile(r"(?<!\w)@\w{1,30}")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"(?<![\w])([A-ZÀ-ỸĐ][\w'’-]{2,})")
_WORD = re.compile(r"[^\W\d_]")


def word_count(text: str) -> int:
    """Words of a text (whitespace-separated, with at least one letter; a Vietnamese syllable
    counts as a word): what decides whether a text is "short" for the ranker."""
    return sum(1 for w in text.split() if _WORD.search(w))


def clean_post(text: str) -> str:
    """Drop the URLs (t.co links, pic.twitter.com) of a post.  The trailing "— Name (@handle)
    date" of a tweet is kept: who said it is often what the fact-check is about (removing it
    lowers dev MAP@5, see the README's ablations)."""
    text = normalize_text(text)
    text = _URL.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def strip_attribution(text: str) -> str:
    """The aggressive cleaning (attribution, handles, '#'), kept for the ablation."""
    text = _ATTRIBUTION.sub("", normalize_text(text))
    text = _URL.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    return re.sub(r"\s+", " ", text.replace("#", " ")).strip()


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").replace(".", "") for n in _NUMBER.findall(text) if len(n) >= 1}


PRECOMPUTED_TERMS = 100_000  # fact-checks whose numbers and names are computed at build
TERMS_CACHE = 200_000  # above that size: how many are kept once computed


def _fc_terms(fc: FactCheck) -> tuple[set[str], set[str]]:
    return _numbers(fc.search_text), _names(fc.search_text)


def _names(text: str) -> set[str]:
    return {fold(n) for n in _NAME.findall(text)}


@dataclass
class Match:
    factcheck: FactCheck
    score: float
    dense: float
    lexical: float
    shared: list[str] = field(default_factory=list)
    sentence: str | None = None
    checkworthy: float | None = None  # the check-worthiness of ``sentence``
    short: bool = False  # the matched text is short: its score was lowered (Ranker.short_words)
    rerank: float | None = None  # the cross-encoder's logit, when the second stage ran

    def signal(self, item_id: int, retro: bool = False) -> Signal:
        """This match as a pipeline signal about the fact-check, with its evidence."""
        evidence = {
            **self.as_dict()["why"],
            "claim": self.factcheck.claim,
            "rating": self.factcheck.rating,
        }
        if retro:
            evidence["retro"] = True
        return Signal(
            item_id=item_id,
            kind="claim_match",
            score=self.score,
            target_type="factcheck",
            target_id=self.factcheck.id,
            evidence=evidence,
        )

    def as_dict(self) -> dict[str, Any]:
        fc = self.factcheck
        why: dict[str, Any] = {"dense": round(self.dense, 4), "lexical": round(self.lexical, 4)}
        if self.shared:
            why["shared"] = self.shared
        if self.sentence:
            why["sentence"] = self.sentence
        if self.checkworthy is not None:
            why["checkworthy"] = round(self.checkworthy, 3)
        if self.short:
            why["short_text"] = True
        if self.rerank is not None:
            why["rerank"] = round(self.rerank, 3)
        return {
            "factcheck_id": fc.id,
            "score": round(self.score, 4),
            "claim": fc.claim,
            "rating": fc.rating,
            "url": fc.url,
            "why": why,
        }


@dataclass
class Ranker:
    """Fusion and calibration, fitted on the CheckThat! train split (``factwatch train ranker``).

    Candidates are ordered by ``fused = dense + lex_weight * lex`` (the weight that maximises
    MAP@5 on train); the score shown is ``sigmoid(slope * fused + intercept)``, a probability
    calibrated on train posts and on posts that match nothing from ``fused`` and the candidate's
    margin over the best other candidate.  Within a post a candidate's score rises with ``fused``
    (``slope + margin_slope > 0``), so the order shown is that of ``fused``."""

    lex_weight: float
    slope: float
    intercept: float
    threshold: float = DEFAULT_THRESHOLD
    margin_slope: float = 0.0
    margin_floor: float = 0.0
    info: dict[str, Any] = field(default_factory=dict)
    #: the same parameters fitted on one language's train posts, by language code
    per_lang: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: the dense cosine below which a stored post is not re-examined by retro-matching
    retro_prefilter: float = RETRO_PREFILTER
    #: texts of fewer words than this (0: no such rule) must reach ``short_threshold`` instead
    #: of ``threshold``: their scores are shifted down so that one threshold stands for both
    short_words: int = 0
    short_threshold: float | None = None

    @staticmethod
    def margins(fused: np.ndarray, floor: float = 0.0) -> np.ndarray:
        """How far each candidate stands above the best of the others, or above ``floor`` (the
        usual score of the best wrong candidate on train) when the base has few fact-checks.
        Monotone in ``fused``."""
        if len(fused) == 0:
            return np.zeros_like(fused)
        if len(fused) == 1:
            return fused - floor
        top2 = np.sort(fused)[-2:]
        other_best = np.where(fused >= top2[1], top2[0], top2[1])
        return fused - np.maximum(other_best, floor)

    @classmethod
    def load(cls, path: Path | None = None) -> Ranker:
        path = path or ranker_path()
        if path.exists():
            d = json.loads(path.read_text())
            return cls(
                lex_weight=d["lex_weight"],
                slope=d["slope"],
                intercept=d["intercept"],
                threshold=d.get("threshold", DEFAULT_THRESHOLD),
                margin_slope=d.get("margin_slope", 0.0),
                margin_floor=d.get("margin_floor", 0.0),
                info=d.get("info", {}),
                per_lang=d.get("per_lang", {}),
                retro_prefilter=d.get("retro_prefilter", RETRO_PREFILTER),
                short_words=int(d.get("short_words", 0)),
                short_threshold=d.get("short_threshold"),
            )
        # Untrained fallback (only before `factwatch train ranker` has ever run).
        return cls(0.2, 30.0, -27.0)

    def for_lang(self, lang: str | None) -> Ranker:
        """The ranker fitted on ``lang``'s train posts (this one for other languages).  Its
        scores are shifted so that this ranker's threshold stands for that language's own
        threshold: one threshold flags matches at the target precision in every language."""
        p = self.per_lang.get(lang or "")
        if not p:
            return self
        shift = _logit(self.threshold) - _logit(float(p["threshold"]))
        return Ranker(
            lex_weight=float(p["lex_weight"]),
            slope=float(p["slope"]),
            intercept=float(p["intercept"]) + shift,
            threshold=self.threshold,
            margin_slope=float(p.get("margin_slope", 0.0)),
            margin_floor=float(p.get("margin_floor", 0.0)),
            info={"lang": lang},
        )

    def is_short(self, text: str) -> bool:
        return bool(self.short_words) and word_count(text) < self.short_words

    def short_adjust(self, prob: np.ndarray) -> np.ndarray:
        """Scores of a short text's candidates: shifted on the logit scale so that
        ``short_threshold`` falls on ``threshold`` (short texts need stronger evidence)."""
        if self.short_threshold is None:
            return prob
        shift = _logit(self.short_threshold) - _logit(self.threshold)
        # sigmoid(logit(p) - shift), written so that p = 0 and p = 1 need no clipping
        return np.asarray(prob / (prob + (1.0 - prob) * np.exp(shift)))

    def fused(self, feats: np.ndarray) -> np.ndarray:
        return feats[:, FEATURES.index("dense")] + self.lex_weight * feats[:, FEATURES.index("lex")]

    def probability(self, feats: np.ndarray) -> np.ndarray:
        f = self.fused(feats)
        z = self.slope * f + self.margin_slope * self.margins(f, self.margin_floor) + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> dict[str, Any]:
        return {
            "lex_weight": self.lex_weight,
            "slope": self.slope,
            "margin_slope": self.margin_slope,
            "margin_floor": self.margin_floor,
            "intercept": self.intercept,
            "threshold": self.threshold,
            "info": self.info,
            "per_lang": self.per_lang,
            "retro_prefilter": self.retro_prefilter,
            "short_words": self.short_words,
            "short_threshold": self.short_threshold,
        }


class ClaimIndex:
    """The fact-check base, indexed for lexical and dense search."""

    def __init__(
        self, factchecks: Sequence[FactCheck], vectors: np.ndarray, ranker: Ranker | None = None
    ) -> None:
        self.factchecks = list(factchecks)
        self.dense = DenseIndex(vectors)
        self.lexical = BM25Index([tokenize(fc.search_text, fc.lang) for fc in self.factchecks])
        self.lexical_claim = BM25Index([tokenize(fc.claim, fc.lang) for fc in self.factchecks])
        self.ranker = ranker or Ranker.load()
        # Numbers and names of each fact-check: precomputed for a base of usual size; for a very
        # large one (1M fact-checks: ~600 MB of small sets) computed for the candidates that need
        # them and kept in a bounded cache.
        self._terms: list[tuple[set[str], set[str]]] | None = None
        self._terms_lru: dict[int, tuple[set[str], set[str]]] = {}
        self._claim_terms: dict[int, set[str]] = {}  # bounded cache, like ``_terms_lru``
        if len(self.factchecks) <= PRECOMPUTED_TERMS:
            self._terms = [_fc_terms(fc) for fc in self.factchecks]

    def __len__(self) -> int:
        return len(self.factchecks)

    def _fc_terms(self, i: int) -> tuple[set[str], set[str]]:
        if self._terms is not None:
            return self._terms[i]
        got = self._terms_lru.get(i)
        if got is None:
            if len(self._terms_lru) >= TERMS_CACHE:
                self._terms_lru.pop(next(iter(self._terms_lru)))  # oldest first
            got = self._terms_lru[i] = _fc_terms(self.factchecks[i])
        return got

    def claim_coverage(self, i: int, query_tokens: set[str]) -> float:
        """The share of fact-check ``i``'s claim found in a query: its claim terms weighted by
        IDF, those among ``query_tokens`` over all of them (1.0: the query holds the claim)."""
        terms = self._claim_terms.get(i)
        if terms is None:
            if len(self._claim_terms) >= TERMS_CACHE:
                self._claim_terms.pop(next(iter(self._claim_terms)))
            fc = self.factchecks[i]
            terms = self._claim_terms[i] = set(tokenize(fc.claim, fc.lang))
        lex = self.lexical_claim
        weights = {t: float(lex.idf[lex.vocab[t]]) for t in terms if t in lex.vocab}
        total = sum(weights.values())
        return sum(w for t, w in weights.items() if t in query_tokens) / total if total else 0.0

    def features_many(
        self, texts: Sequence[str], langs: Sequence[str | None], qvecs: np.ndarray
    ) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[list[str]]]]:
        """Per query: candidate indices, their feature rows, dense and lexical scores, shared
        tokens.  The dense and BM25 scores of the whole batch come from one matrix product each
        (reading the index once per batch, not once per post)."""
        k = min(CANDIDATES, len(self))
        if k == 0 or not len(texts):
            empty = np.zeros(0, dtype=np.int64)
            none = np.zeros(0, np.float32)
            return [
                (empty, np.zeros((0, len(FEATURES)), np.float32), none, none, []) for _ in texts
            ]
        toks = [tokenize(t, lg) for t, lg in zip(texts, langs, strict=True)]
        lex_all = self.lexical.scores_many(toks)
        claim_all = self.lexical_claim.scores_many(toks)
        dense_all = self.dense.search_many(np.asarray(qvecs, dtype=np.float32), k)
        out = []
        for j, text in enumerate(texts):
            lex = lex_all[:, j] / (self.lexical.max_score(toks[j]) + 1e-6)
            dense_top, _, dense_full = dense_all[j]
            cand = np.unique(np.concatenate([dense_top, np.argpartition(-lex, k - 1)[:k]]))
            dense_c = (
                dense_full[cand] if dense_full is not None else self.dense.score(qvecs[j], cand)
            ).astype(np.float32)
            lex_c = lex[cand]
            lex_claim = claim_all[cand, j] / (self.lexical_claim.max_score(toks[j]) + 1e-6)
            out.append(self._rows(text, cand, dense_c, lex_c, lex_claim))
        return out

    def _rows(
        self,
        text: str,
        cand: np.ndarray,
        dense_c: np.ndarray,
        lex_c: np.ndarray,
        lex_claim: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[list[str]]]:
        d_rank = np.empty(len(cand), dtype=np.float32)
        d_rank[np.argsort(-dense_c, kind="stable")] = np.arange(1, len(cand) + 1)
        l_rank = np.empty(len(cand), dtype=np.float32)
        l_rank[np.argsort(-lex_c, kind="stable")] = np.arange(1, len(cand) + 1)
        qn, qnames = _numbers(text), _names(text)
        shared: list[list[str]] = []
        rows = np.zeros((len(cand), len(FEATURES)), dtype=np.float32)
        dmax, lmax = float(dense_c.max()), float(lex_c.max())
        for r, i in enumerate(cand):
            numbers, names = self._fc_terms(int(i))
            sn = qn & numbers
            sm = qnames & names
            shared.append(sorted(sn | sm)[:10])
            rows[r] = (
                dense_c[r],
                dense_c[r] - dmax,
                1.0 / d_rank[r],
                lex_c[r],
                lex_c[r] - lmax,
                1.0 / l_rank[r],
                lex_claim[r],
                min(len(sn), 3),
                min(len(sm), 3),
            )
        return cand, rows, dense_c, lex_c, shared

    def search_many(
        self,
        texts: Sequence[str],
        langs: Sequence[str | None],
        qvecs: np.ndarray,
        top: int = 5,
        excludes: Sequence[set[str]] | None = None,
    ) -> list[list[Match]]:
        """The best ``top`` fact-checks of each query, ranked and calibrated."""
        results: list[list[Match]] = []
        for j, (cand, rows, dense_c, lex_c, shared) in enumerate(
            self.features_many(texts, langs, qvecs)
        ):
            exclude = excludes[j] if excludes is not None else set()
            out: list[Match] = []
            if len(cand):
                ranker = self.ranker.for_lang(langs[j])
                prob = ranker.probability(rows)
                short = self.ranker.is_short(texts[j])
                lowered, qtoks = prob, set()
                if short:  # lowered scores, unless the text is a near copy of the claim
                    lowered = self.ranker.short_adjust(prob)
                    qtoks = set(tokenize(texts[j], langs[j]))
                for o in np.argsort(-ranker.fused(rows), kind="stable"):
                    fc = self.factchecks[cand[o]]
                    if exclude and fc.id in exclude:
                        continue
                    low = short and self.claim_coverage(int(cand[o]), qtoks) < NEAR_COPY
                    out.append(
                        Match(
                            fc,
                            float(lowered[o] if low else prob[o]),
                            float(dense_c[o]),
                            float(lex_c[o]),
                            shared[o],
                            short=low,
                        )
                    )
                    if len(out) >= top:
                        break
            results.append(out)
        return results


def query_units(text: str, lang: str | None) -> list[tuple[str, str | None]]:
    """What is embedded and matched for a post: its cleaned text, and for a long text also each
    sentence, as ``(text, sentence or None)``."""
    clean = clean_post(text)
    units: list[tuple[str, str | None]] = [(clean or text, None)]
    if len(clean) > LONG_TEXT_CHARS:
        units.extend((s, s) for s in split_sentences(clean, lang) if len(s) >= 20)
    return units


@dataclass
class Query:
    id: str
    text: str
    lang: str | None = None
    exclude: set[str] = field(default_factory=set)


class Embedder(Protocol):
    def embed(self, texts: Sequence[str], kind: str = ...) -> np.ndarray: ...


class StoreEmbedder:
    """Query vectors kept in the database by text hash: an item is embedded once, ever
    (re-analysis and retro-matching read the stored vector)."""

    OWNER = "query"

    def __init__(self, store: Any) -> None:
        self.store = store

    def embed(self, texts: Sequence[str], kind: str = "claim") -> np.ndarray:
        model = model_id_for(kind)
        keys = text_keys(kind, texts, model)
        have = self.store.get_vectors_by_ids(self.OWNER, model, sorted(set(keys)))
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        todo = [i for i, k in enumerate(keys) if k not in have]
        for i, k in enumerate(keys):
            if k in have:
                out[i] = have[k]
        if todo:
            vecs = embed_with(kind, [texts[i] for i in todo])
            out[todo] = vecs
            if model_id_for(kind) != model:  # the adapter could not run here: plain e5 vectors
                model = model_id_for(kind)
                keys = text_keys(kind, texts, model)
            rows = {keys[i]: (keys[i], keys[i], vecs[n]) for n, i in enumerate(todo)}
            self.store.put_vectors(self.OWNER, model, list(rows.values()))
        return out


class SentenceScorer(Protocol):
    def score(self, texts: Sequence[str]) -> np.ndarray: ...


# A sentence of a long text is matched when its check-worthiness is at least this: a recall
# threshold, not the classifier's 0.5.  On ClaimBuster (out-of-fold scores of the shipped model's
# 5-fold cross-validation) it keeps 95.7 % of the check-worthy sentences and 37.5 % of all.
SENTENCE_CHECKWORTHY = 0.1


class ClaimMatcher:
    """Matches posts against an index; the check-worthy sentences of long posts are also matched
    one by one (``checkworthy``: the sentence scorer, ``"auto"`` = the shipped check-worthiness
    model, loaded at the first long post; ``None`` matches every sentence; a sentence is matched
    when its score is at least ``sentence_threshold``).

    ``rerank``: the second stage (``analysers/claim_rerank.py``), ``"auto"`` = the shipped
    cross-encoder unless ``$FACTWATCH_RERANK`` says otherwise, ``None`` = none.  It runs on the
    texts whose best first-stage score reaches ``rerank_above`` (0: all of them, as a search
    does; the re-ranker keeps each text's best score, so a caller that drops matches under some
    score loses nothing by passing it here)."""

    name = "claim_match"

    def __init__(
        self,
        index: ClaimIndex,
        cache: Embedder | None = None,
        threshold: float | None = None,
        checkworthy: SentenceScorer | str | None = "auto",
        sentence_threshold: float = SENTENCE_CHECKWORTHY,
        rerank: Reranker | str | None = "auto",
        rerank_above: float = 0.0,
    ) -> None:
        self.index = index
        self.cache = cache
        self.threshold = index.ranker.threshold if threshold is None else threshold
        self._checkworthy = checkworthy
        self.sentence_threshold = sentence_threshold
        if isinstance(rerank, str) and rerank != "auto":
            raise ValueError(f"rerank must be 'auto', a Reranker or None, not {rerank!r}")
        self.reranker: Reranker | None = Reranker.default() if isinstance(rerank, str) else rerank
        self.rerank_above = rerank_above

    @property
    def checkworthy(self) -> SentenceScorer | None:
        if self._checkworthy == "auto":
            from factwatch.classify.checkworthy import CheckWorthiness

            self._checkworthy = CheckWorthiness()
        return None if isinstance(self._checkworthy, str) else self._checkworthy

    def _worthy_sentences(
        self, units: list[tuple[int, str, str | None]]
    ) -> tuple[list[tuple[int, str, str | None]], dict[str, float]]:
        """``units`` without the sentences the scorer finds not check-worthy, and the scores."""
        sentences = sorted({u[2] for u in units if u[2] is not None})
        scorer = self.checkworthy if sentences else None
        if scorer is None:
            return units, {}
        scores = dict(zip(sentences, (float(x) for x in scorer.score(sentences)), strict=True))
        kept = [u for u in units if u[2] is None or scores[u[2]] >= self.sentence_threshold]
        return kept, scores

    def _embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), np.float32)
        if self.cache is not None:
            return self.cache.embed(texts, "claim")
        return embed_with("claim", texts)

    def match(
        self, queries: Sequence[Query], top: int = 5, progress: Callable[[int], None] | None = None
    ) -> list[list[Match]]:
        units: list[tuple[int, str, str | None]] = []  # (query index, text, sentence or None)
        langs: list[str | None] = []
        for qi, q in enumerate(queries):
            lang = q.lang or detect_language(q.text, default="und")
            langs.append(lang)
            units.extend((qi, text, sentence) for text, sentence in query_units(q.text, lang))
        units, worthiness = self._worthy_sentences(units)
        vecs = self._embed([u[1] for u in units])
        best: list[dict[str, Match]] = [dict() for _ in queries]
        rr = self.reranker
        for s in range(0, len(units), SEARCH_BATCH):
            chunk = units[s : s + SEARCH_BATCH]
            found = self.index.search_many(
                [u[1] for u in chunk],
                [langs[u[0]] for u in chunk],
                vecs[s : s + SEARCH_BATCH],
                top=max(top, rr.k) if rr is not None else top,
                excludes=[queries[u[0]].exclude for u in chunk],
            )
            if rr is not None:
                sel = [
                    j
                    for j, ms in enumerate(found)
                    if ms and max(m.score for m in ms) >= self.rerank_above
                ]
                redone = rr.rerank_many([chunk[j][1] for j in sel], [found[j] for j in sel])
                for j, ms in zip(sel, redone, strict=True):
                    found[j] = ms
                found = [ms[:top] for ms in found]
            for (qi, _text, sentence), matches in zip(chunk, found, strict=True):
                for m in matches:
                    m.sentence = sentence
                    m.checkworthy = worthiness.get(sentence) if sentence else None
                    cur = best[qi].get(m.factcheck.id)
                    if cur is None or m.score > cur.score:
                        best[qi][m.factcheck.id] = m
                if progress is not None and sentence is None:
                    progress(1)
        return [sorted(b.values(), key=lambda m: -m.score)[:top] for b in best]


def passage_text(fc: FactCheck) -> str:
    """What is embedded for a fact-check: claim and title; for Vietnamese also their accent-free
    form, because e5 places accent-less Vietnamese posts far from accented text."""
    text = fc.search_text
    if fc.lang == "vi":
        text = f"{text}\n{fold_diacritics(text)}"
    return text


def factcheck_vectors(
    store: Any, factchecks: Sequence[FactCheck], progress: Callable[[int], None] | None = None
) -> np.ndarray:
    """Stored vectors of the fact-checks; missing or outdated ones are computed and stored."""
    from factwatch.models import content_hash

    have = store.get_vectors("factcheck", MODEL_ID)
    out = np.zeros((len(factchecks), 384), dtype=np.float32)
    todo: list[int] = []
    for i, fc in enumerate(factchecks):
        h = content_hash(passage_text(fc))
        got = have.get(fc.id)
        if got is not None and got[0] == h:
            out[i] = got[1]
        else:
            todo.append(i)
    enc = get_encoder()
    for s in range(0, len(todo), 64):
        idx = todo[s : s + 64]
        vecs = np.asarray(enc.passage([passage_text(factchecks[i]) for i in idx]), dtype=np.float32)
        out[idx] = vecs
        store.put_vectors(
            "factcheck",
            MODEL_ID,
            [
                (factchecks[i].id, content_hash(passage_text(factchecks[i])), vecs[n])
                for n, i in enumerate(idx)
            ],
        )
        if progress is not None:
            progress(len(idx))
    return out


def load_index(store: Any, progress: Callable[[int], None] | None = None) -> ClaimIndex:
    fcs = store.list_factchecks()
    return ClaimIndex(fcs, factcheck_vectors(store, fcs, progress))


def rejected_by_content(store: Any) -> dict[str, set[str]]:
    """Reviewers' "not about this claim": content hash -> fact-check ids never to flag."""
    out: dict[str, set[str]] = {}
    for h, fc_id in store.rejected_pairs():
        out.setdefault(h, set()).add(fc_id)
    return out


def item_query(item: Item, rejected: dict[str, set[str]]) -> Query:
    return Query(str(item.id), item.full_text, item.lang, set(rejected.get(item.content_hash, ())))


class ClaimMatchAnalyser:
    """Pipeline analyser: a signal per (item, fact-check) over the calibrated threshold."""

    name = "claim_match"

    def __init__(self, store: Any, threshold: float | None = None) -> None:
        self.store = store
        # No second stage: it never changes whether a text is flagged, and on the texts the first
        # stage flags it changed the first fact-check of none of 186 CheckThat! dev posts (en, fr,
        # vi), while costing 43 % of a stream's throughput (docs/claim-cross-encoder.md).
        self.matcher = ClaimMatcher(
            load_index(store), cache=StoreEmbedder(store), threshold=threshold, rerank=None
        )
        self.rejected = rejected_by_content(store)

    def analyse(self, items: Sequence[Item]) -> list[Signal]:
        if not len(self.matcher.index):
            return []
        queries = [item_query(it, self.rejected) for it in items]
        out: list[Signal] = []
        for it, matches in zip(items, self.matcher.match(queries, top=3), strict=True):
            for m in matches:
                if m.score < self.matcher.threshold:
                    continue
                assert it.id is not None
                out.append(m.signal(it.id))
        return out


@register("claim_match")
def _factory(ctx: AnalysisContext) -> ClaimMatchAnalyser:
    return ClaimMatchAnalyser(ctx.store, ctx.options.get("claim_threshold"))


def retro_match(
    store: Any, factcheck_ids: Sequence[str], prefilter: float | None = None
) -> list[Signal]:
    """Find past items that repeat newly imported or published fact-checks.

    Stored query vectors (never re-embedded) are compared with the new fact-checks' vectors; the
    posts that come close are re-ranked against the whole base, and matches to a new fact-check
    over the threshold become signals (returned; the caller stores them and opens cases)."""
    wanted = set(factcheck_ids)
    if not wanted or store.count_items() == 0:
        return []
    fcs = store.list_factchecks()
    vecs = factcheck_vectors(store, fcs)
    index = ClaimIndex(fcs, vecs)
    if prefilter is None:  # fitted with the ranker: the cosines of flagged train matches
        prefilter = index.ranker.retro_prefilter
    pos = [i for i, fc in enumerate(fcs) if fc.id in wanted]
    if not pos:
        return []
    new_vecs = vecs[pos]
    claim_model = model_id_for("claim")
    close: set[str] = set()
    for keys, mat in store.iter_vectors(StoreEmbedder.OWNER, claim_model):
        sims = mat @ new_vecs.T
        close.update(k for k, s in zip(keys, sims.max(axis=1), strict=True) if s >= prefilter)
    if not close:
        return []
    matcher = ClaimMatcher(index, cache=StoreEmbedder(store), rerank=None)  # as the analyser
    candidates = []
    for it in store.iter_items():
        units = [u for u, _ in query_units(it.full_text, it.lang)]
        if any(k in close for k in text_keys("claim", units, claim_model)):
            candidates.append(it)
    rejected = rejected_by_content(store)
    out: list[Signal] = []
    queries = [item_query(it, rejected) for it in candidates]
    for it, matches in zip(candidates, matcher.match(queries, top=5), strict=True):
        for m in matches:
            if m.factcheck.id in wanted and m.score >= matcher.threshold and it.id is not None:
                out.append(m.signal(it.id, retro=True))
    return out
