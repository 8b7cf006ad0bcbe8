"""Check-worthiness: 5-fold CV F1 on ClaimBuster, F1 on the CLEF-2020 dev tweets, fr/vi sanity.

    .venv/bin/python benchmarks/checkworthy.py [--embeddings/--no-embeddings] [--fine-tune [--lr X]]

``--fine-tune`` (needs torch; about 45 minutes on 2 cores) adds the LoRA-fine-tuned e5 alone and
fused with the lexical model (the shipped model): 5-fold CV on ClaimBuster, each fold fine-tuned
on the other four; the CLEF dev and fr/vi columns of those rows are the shipped model's.

For each feature set: stratified 5-fold cross-validation on claimbuster-train (fixed seed,
threshold 0.5, classes balanced), then a model trained on ClaimBuster + CLEF-2020 training
tweets scored on the CLEF-2020 dev tweets, and the share of the claim-retrieval dev posts (all of
them repeat a fact-checked claim, so all are check-worthy) flagged in en / fr / vi.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SHARED = Path(os.environ.get("FACTWATCH_SHARED_DATA", ROOT.parent / "shared" / "data"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--embeddings", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--fine-tune", action="store_true")
    ap.add_argument("--lr", type=float, default=None, help="LoRA learning rate (default: shipped)")
    args = ap.parse_args()
    from factwatch.classify import checkworthy as cw

    cwdir = SHARED / "check-worthiness"
    cb_texts, cb_y = cw.load_labelled(cwdir / "claimbuster-train.jsonl")
    tr_texts, tr_y = cw.training_set(cwdir)  # ClaimBuster + CLEF training minus the dev tweets
    dev_texts, dev_y = cw.load_labelled(cwdir / "clef2020-task1-dev_v2.jsonl")
    posts = {}
    for lang, name in (
        ("en", "dev-posts.jsonl"),
        ("fr", "dev-posts-fr.jsonl"),
        ("vi", "dev-posts-vi.jsonl"),
    ):
        path = SHARED / "claim-retrieval" / "clef2020-en" / name
        posts[lang] = [
            json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()
        ]

    variants: list[tuple[str, tuple[str, ...]]] = [("lexical + cues", ("word", "char", "cue"))]
    emb = {}
    if args.embeddings:
        t0 = time.perf_counter()
        emb["tr"] = cw.embed_cached(tr_texts)
        assert tr_texts[: len(cb_texts)] == cb_texts  # ClaimBuster comes first, none dropped
        emb["cb"] = emb["tr"][: len(cb_texts)]
        emb["dev"] = cw.embed_cached(dev_texts)
        for lang, texts in posts.items():
            emb[lang] = cw.embed_cached(texts)
        print(f"embeddings: {time.perf_counter() - t0:.0f} s (cached afterwards)", file=sys.stderr)
        variants += [
            ("e5 + cues", ("cue", "emb")),
            ("lexical + cues + e5", ("word", "char", "cue", "emb")),
        ]

    lines = [
        "| features | CV F1 (ClaimBuster, 5-fold) | CV P | CV R | CLEF-2020 dev F1 | dev P | dev R | flagged en / fr / vi dev posts |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, blocks in variants:
        use = "emb" in blocks
        cv = cw.cross_validate(cb_texts, cb_y, blocks, emb.get("cb") if use else None)
        idf, coef, b = cw.fit(tr_texts, tr_y, blocks, emb.get("tr") if use else None)
        dev_p = cw.predict(blocks, idf, coef, b, dev_texts, emb.get("dev") if use else None)
        dev = cw.f1(dev_y, (dev_p >= 0.5).astype(np.int64))
        flagged = []
        for lang, texts in posts.items():
            p = cw.predict(blocks, idf, coef, b, texts, emb.get(lang) if use else None)
            flagged.append(f"{(p >= 0.5).mean():.2f}")
        lines.append(
            f"| {name} | {cv['f1']:.3f} | {cv['precision']:.3f} | {cv['recall']:.3f} | {dev['f1']:.3f} | "
            f"{dev['precision']:.3f} | {dev['recall']:.3f} | {' / '.join(flagged)} |"
        )
        print(lines[-1], file=sys.stderr, flush=True)
    if args.fine_tune:
        lines += fine_tuned_rows(cw, cb_texts, cb_y, dev_texts, dev_y, posts, args.lr)
    table = "\n".join(lines) + "\n"
    print(table)
    # a probe of another learning rate does not overwrite the shipped model's table
    name = "checkworthy.md" if args.lr is None else f"checkworthy-lr{args.lr:g}.md"
    out = ROOT / "benchmarks" / "results" / name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(table, encoding="utf-8")


def fine_tuned_rows(cw, cb_texts, cb_y, dev_texts, dev_y, posts, lr=None) -> list[str]:  # type: ignore[no-untyped-def]
    """5-fold CV of the fine-tuned e5 (alone, and fused with lexical + cues as shipped)."""
    from factwatch.classify import checkworthy_tune as tune
    from factwatch.encoder.adapter_train import ClassifierConfig
    from factwatch.encoder.fast import cache_dir

    cfg = ClassifierConfig() if lr is None else ClassifierConfig(lr=lr)
    key = cw.text_digest([*cb_texts, json.dumps(cfg.as_dict(), sort_keys=True)])
    cached = cache_dir() / f"checkworthy-tuned-oof-{key}.npy"
    t0 = time.perf_counter()
    if cached.exists():
        p_tuned = np.load(cached, allow_pickle=False)
    else:
        p_tuned = tune.cross_validate(cb_texts, cb_y, cw.cv_splits(cb_y), cfg)
        cached.parent.mkdir(parents=True, exist_ok=True)
        np.save(cached, p_tuned, allow_pickle=False)
    print(f"fine-tuned CV: {time.perf_counter() - t0:.0f} s ({cached})", file=sys.stderr)
    p_lex = cw.cross_validate_proba(cb_texts, cb_y, ("word", "char", "cue"), None)
    shipped = cw.CheckWorthiness()
    if shipped.tuned is not None:
        dev = cw.f1(dev_y, shipped.is_checkworthy(dev_texts).astype(np.int64))
        flagged = " / ".join(f"{shipped.is_checkworthy(t).mean():.2f}" for t in posts.values())
        tail = f"{dev['f1']:.3f} | {dev['precision']:.3f} | {dev['recall']:.3f} | {flagged}"
    else:
        tail = "– | – | – | –"
    rows = []
    for name, p in (
        ("fine-tuned e5 (LoRA)", p_tuned),
        ("lexical + cues ⊕ fine-tuned e5 (shipped)", tune.fuse(p_lex, p_tuned)),
    ):
        m = cw.f1(cb_y, (p >= 0.5).astype(np.int64))
        rows.append(
            f"| {name} | {m['f1']:.3f} | {m['precision']:.3f} | {m['recall']:.3f} | "
            + (tail if "shipped" in name else "– | – | – | –")
            + " |"
        )
        print(rows[-1], file=sys.stderr, flush=True)
    return rows


if __name__ == "__main__":
    main()
