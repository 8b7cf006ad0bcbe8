"""Dense MAP@5 on the CheckThat! dev posts with and without the claim adapter, split by whether
the post's fact-check is also the answer of some train post ("seen") or not ("novel").

Reporting only: nothing is chosen on these figures.

    .venv/bin/python benchmarks/claim_adapter_eval.py [--adapter PATH]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from factwatch.analysers.claim_match import clean_post, passage_text
from factwatch.bench.adapter import dense_metrics
from factwatch.bench.retrieval import LANG_FILES, clef_dir, load_factchecks, load_jsonl, load_qrels
from factwatch.embed import EmbeddingCache
from factwatch.encoder import FastE5
from factwatch.encoder.adapter import ADAPTER_PATH, load_adapter
from factwatch.text.normalize import fold_diacritics


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--adapter", default=str(ADAPTER_PATH))
    args = ap.parse_args()
    cache = EmbeddingCache()
    fcs = load_factchecks()
    fc_ids = [f.id for f in fcs]
    fc_vecs = cache.embed([passage_text(f) for f in fcs], "passage")
    dq = load_qrels(clef_dir() / "dev-qrels.tsv")
    tq = load_qrels(clef_dir() / "train-qrels.tsv")
    seen_fc = {f for s in tq.values() for f in s}
    plain = FastE5(backend="onnx")
    adapted = FastE5(backend="onnx", adapter=load_adapter(Path(args.adapter)))
    lines = [
        "| dev posts | n | plain e5 MAP@5 | with the adapter | change |",
        "|---|---|---|---|---|",
    ]
    sets = {lang: load_jsonl(clef_dir() / fname) for lang, fname in LANG_FILES.items()}
    # Vietnamese typed without diacritics: the Vietnamese dev posts, accent-folded
    sets["vi-folded"] = [{**p, "text": fold_diacritics(p["text"])} for p in sets["vi"]]
    for lang, posts in sets.items():
        for part in ("all", "seen", "novel"):
            sel = [
                p
                for p in posts
                if part == "all" or (bool(dq.get(p["id"], set()) & seen_fc) == (part == "seen"))
            ]
            texts = [clean_post(p["text"]) for p in sel]
            ids = [p["id"] for p in sel]
            a = dense_metrics(plain.query(texts), ids, fc_vecs, fc_ids, dq)["MAP@5"]
            b = dense_metrics(adapted.query(texts), ids, fc_vecs, fc_ids, dq)["MAP@5"]
            lines.append(f"| {lang} {part} | {len(sel)} | {a:.3f} | {b:.3f} | {b - a:+.3f} |")
    table = "\n".join(lines)
    print(table)
    out = Path(__file__).parent / "results" / "claim_adapter_eval.md"
    out.write_text(
        table
        + "\n\nDense search alone (no BM25, no fusion), cleaned posts, 10,375 fact-checks. "
        + '"seen": the post\'s fact-check is also the answer of a train post.\n'
    )


if __name__ == "__main__":
    main()
