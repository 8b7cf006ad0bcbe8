"""Data and evaluation for the claim-query adapter (training lives in ``encoder/adapter_train``).

Everything here reads the CheckThat! **train** split only (plus the project's translations of it);
the dev split is what ``factwatch bench retrieval`` reports on, and no choice is made on it."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from factwatch.analysers.claim_match import clean_post, passage_text
from factwatch.bench.retrieval import clef_dir, load_factchecks, load_jsonl, load_qrels, metrics
from factwatch.embed import EmbeddingCache

REPO = Path(__file__).resolve().parents[3]
TRANSLATIONS = REPO / "benchmarks" / "data" / "clef2020-train-translations"
LANGS = ("en", "fr", "vi")
#: training "languages": the three, plus the Vietnamese posts typed without diacritics (the
#: accent-folded form of the Vietnamese translations), which users write and must match too
TRAIN_LANGS = ("en", "fr", "vi", "vi-folded")


def train_texts(translations: Path = TRANSLATIONS) -> dict[str, dict[str, str]]:
    """``{lang: {post id: text}}`` for the train posts and their translations."""
    posts = load_jsonl(clef_dir() / "train-posts.jsonl")
    out = {"en": {p["id"]: p["text"] for p in posts}}
    for lang in ("fr", "vi"):
        d: dict[str, str] = {}
        for f in sorted(translations.glob(f"train-posts-{lang}.jsonl")):
            for r in load_jsonl(f):
                d[r["id"]] = r["text"]
        if d:
            out[lang] = d
    if "vi" in out:
        from factwatch.text.normalize import fold_diacritics

        out["vi-folded"] = {pid: fold_diacritics(t) for pid, t in out["vi"].items()}
    return out


def examples_for(
    ids: Sequence[str],
    texts: dict[str, dict[str, str]],
    qrels: dict[str, set[str]],
    fc_index: dict[str, int],
    langs: Sequence[str] = LANGS,
) -> list[Any]:
    from factwatch.encoder.adapter_train import Example

    out = []
    for lang in langs:
        for pid in ids:
            t = texts.get(lang, {}).get(pid)
            pos = [fc_index[f] for f in qrels.get(pid, ()) if f in fc_index]
            if t and pos:
                out.append(Example(clean_post(t), pos, pid, lang))
    return out


def folds(ids: Sequence[str], k: int, seed: int = 8) -> list[list[str]]:
    """``k`` random folds of post ids (a post and its translations always share a fold)."""
    rng = np.random.default_rng(seed)
    perm = [ids[i] for i in rng.permutation(len(ids))]
    return [perm[i::k] for i in range(k)]


def dense_metrics(
    qvecs: np.ndarray,
    ids: Sequence[str],
    fc_vecs: np.ndarray,
    fc_ids: Sequence[str],
    qrels: dict[str, set[str]],
) -> dict[str, float]:
    sims = qvecs @ fc_vecs.T
    top = np.argsort(-sims, axis=1)[:, :10]
    return metrics({p: [fc_ids[j] for j in row] for p, row in zip(ids, top, strict=True)}, qrels)


class TrainData:
    """Fact-checks, their vectors and the train posts (with translations) in one place."""

    def __init__(
        self, cache: EmbeddingCache | None = None, progress: Callable[[int], None] | None = None
    ) -> None:
        self.cache = cache or EmbeddingCache()
        self.fcs = load_factchecks()
        self.fc_ids = [f.id for f in self.fcs]
        self.fc_index = {f: i for i, f in enumerate(self.fc_ids)}
        self.fc_vecs = self.cache.embed(
            [passage_text(f) for f in self.fcs], "passage", progress=progress
        )
        self.qrels = load_qrels(clef_dir() / "train-qrels.tsv")
        self.texts = train_texts()
        self.ids = [p for p in self.texts["en"] if p in self.qrels]

    def describe(self) -> dict[str, Any]:
        return {
            "posts": len(self.ids),
            "languages": {lang: len(d) for lang, d in self.texts.items()},
            "factchecks": len(self.fcs),
        }


def save_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def oof_path() -> Path:
    from factwatch.embed import cache_dir

    return cache_dir() / "claim_adapter_oof.npz"


def train_claim_matcher(
    adapter_out: Path,
    ranker_out: Path | None,
    cfg: Any = None,
    n_folds: int = 4,
    langs: Sequence[str] = TRAIN_LANGS,
    target_precision: float = 0.9,
    log: Callable[[str], None] = print,
    progress_factory: Callable[[str, int], Any] | None = None,
    ranker_only: bool = False,
) -> dict[str, Any]:
    """Train the claim adapter on all train posts, and (``ranker_out``) the re-ranker on
    out-of-fold vectors: each train text embedded by an adapter trained without its post, so
    that fusion and calibration see the scores an unseen post gets.  The out-of-fold vectors are
    kept in the cache folder, so ``ranker_only`` re-fits the ranker without re-training."""
    from factwatch.encoder import FastE5
    from factwatch.encoder.adapter import save_adapter
    from factwatch.encoder.adapter_train import AdapterConfig, encode, token_inputs, train

    cfg = cfg or AdapterConfig()
    out: dict[str, Any] = {}
    data = None
    if not ranker_only:
        data = TrainData()
        enc = FastE5(backend="numpy")  # tokeniser and embedding rows only
        info: dict[str, Any] = {
            "config": cfg.as_dict(),
            "data": data.describe(),
            "langs": list(langs),
        }

        def fit(ids: Sequence[str], label: str) -> Any:
            ex = examples_for(ids, data.texts, data.qrels, data.fc_index, langs)
            if progress_factory is not None:
                with progress_factory(label, len(ex) * cfg.epochs) as advance:
                    model, tlog = train(enc, ex, data.fc_vecs, cfg, progress=advance)
            else:
                model, tlog = train(enc, ex, data.fc_vecs, cfg)
            losses = [round(x, 3) for x in tlog.losses]
            log(f"{label}: {len(ex)} examples, loss by epoch {losses}, {tlog.seconds:.0f} s")
            return model

        if ranker_out is not None and n_folds > 1:
            texts: list[str] = []
            vecs: list[np.ndarray] = []
            for k, held in enumerate(folds(data.ids, n_folds)):
                held_set = set(held)
                model = fit([p for p in data.ids if p not in held_set], f"fold {k + 1}/{n_folds}")
                ex = examples_for(held, data.texts, data.qrels, data.fc_index, TRAIN_LANGS)
                texts.extend(e.text for e in ex)
                vecs.append(encode(model, token_inputs(enc, [e.text for e in ex])))
            np.savez(oof_path(), texts=np.array(texts), vectors=np.vstack(vecs))
        model = fit(data.ids, "final adapter")
        info["trained_on"] = (
            "CLEF-2020 CheckThat! Task 2 train split (800 posts) and the project's French and "
            "Vietnamese translations of them; fact-check vectors fixed (plain e5 passage vectors)"
        )
        save_adapter(adapter_out, model.updates(), info)
        log(f"adapter written to {adapter_out}")
        out["adapter"] = info
    if ranker_out is not None:
        ranker = train_claim_ranker(adapter_out, n_folds, target_precision, data)
        save_json(ranker_out, ranker.to_json())
        log(
            f"ranker written to {ranker_out}: threshold {ranker.threshold:.3f}, lex weight {ranker.lex_weight}"
        )
        out["ranker"] = ranker.to_json()
    return out


def train_claim_ranker(
    adapter: Path, n_folds: int, target_precision: float, data: TrainData | None = None
) -> Any:
    """The re-ranker for ``adapter``'s vectors, fitted on the out-of-fold vectors of the train
    posts in the three languages (and on posts that match nothing, embedded by ``adapter``)."""
    from factwatch.analysers.claim_match import ClaimIndex, Ranker
    from factwatch.bench.retrieval import train_ranker

    path = oof_path()
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: no out-of-fold vectors; train the adapter with folds first"
        )
    with np.load(path) as z:
        oof = {str(t): v for t, v in zip(z["texts"], z["vectors"], strict=True)}
    os.environ["FACTWATCH_CLAIM_ADAPTER"] = str(adapter)  # the negatives use this adapter
    data = data or TrainData()
    index = ClaimIndex(data.fcs, data.fc_vecs, ranker=Ranker(0.0, 1.0, 0.0))
    # accent-free Vietnamese posts are Vietnamese posts (language identification says "vi")
    posts = [
        {"id": pid, "text": data.texts[lang][pid], "lang": lang.split("-")[0]}
        for lang in TRAIN_LANGS
        for pid in data.ids
        if pid in data.texts.get(lang, {})
    ]
    missing = sum(1 for p in posts if clean_post(p["text"]) not in oof)
    if missing:
        raise ValueError(f"{missing} train posts have no out-of-fold vector; re-train the adapter")
    ranker = train_ranker(
        index, data.cache, target_precision=target_precision, posts=posts, vectors=oof
    )
    ranker.info["trained_on"] = (
        "CLEF-2020 CheckThat! Task 2 train split (800 posts, in English and in the project's "
        "French and Vietnamese translations; claim-query vectors out-of-fold, "
        f"{n_folds} folds) + 600 Vietnamese news headlines that match nothing (ViClickbait-2025 train)"
    )
    return ranker
