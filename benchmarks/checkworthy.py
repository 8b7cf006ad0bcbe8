"""Check-worthiness: 5-fold CV F1 on ClaimBuster, F1 on the CLEF-2020 dev tweets, fr/vi sanity.

    .venv/bin/python benchmarks/checkworthy.py [--embeddings/--no-embeddings]

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
    table = "\n".join(lines) + "\n"
    print(table)
    out = ROOT / "benchmarks" / "results" / "checkworthy.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
