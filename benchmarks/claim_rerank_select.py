"""Does a cross-encoder re-ranker help the claim matcher?  Decided on the CheckThat! TRAIN split.

The held-out 20 % of the train posts is the one of ``claim_adapter_select.py`` (fold 0 of
``folds(ids, 5)``).  Candidates of a held-out post come from an adapter trained without it (a
fold adapter on the other 80 %, the shipped recipe) and the shipped ranker's fusion; candidates
of the other posts, used to draw hard negatives, from the shipped adapter.  The re-ranker
(``encoder/cross.py``) is trained on the 80 % only (English, French, Vietnamese).  Printed:
held-out MAP@5 per language of the first stage's order and of the re-ranked top K for each
weight of the re-ranker's logit.  The dev split is never read.

    .venv/bin/python benchmarks/claim_rerank_select.py candidates-held   # the fold adapter
    .venv/bin/python benchmarks/claim_rerank_select.py train [EPOCHS]     # the re-ranker
    .venv/bin/python benchmarks/claim_rerank_select.py evaluate MODEL.npz [K,K...]

Results of the run that chose the shipped set-up: ``benchmarks/results/claim_rerank_select.txt``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

from factwatch.analysers.claim_match import ClaimIndex
from factwatch.bench.adapter import TrainData, examples_for, folds
from factwatch.bench.rerank import ranked_candidates, training_rows
from factwatch.bench.retrieval import average_precision
from factwatch.encoder import FastE5
from factwatch.encoder.cross import CrossConfig, CrossEncoder, train_cross

OUT = Path.home() / ".cache" / "factwatch" / "rerank-select"
LANGS = ("en", "fr", "vi")


def split(data: TrainData) -> tuple[list[str], list[str]]:
    held = set(folds(data.ids, 5)[0])
    return [p for p in data.ids if p not in held], [p for p in data.ids if p in held]


def save_candidates(name: str, data: TrainData, rows: list, qvecs: np.ndarray) -> None:
    index = ClaimIndex(data.fcs, data.fc_vecs)
    cands = ranked_candidates(index, [r[2] for r in rows], [r[1] for r in rows], qvecs)
    OUT.mkdir(parents=True, exist_ok=True)
    recs = [
        {"id": r[0], "lang": r[1], "text": r[2], "idx": idx, "z": z}
        for r, (idx, z) in zip(rows, cands, strict=True)
    ]
    (OUT / f"{name}.json").write_text(json.dumps(recs))


def cmd_candidates_held() -> None:
    from factwatch.encoder.adapter_train import AdapterConfig, encode, token_inputs, train

    data = TrainData()
    fit, held = split(data)
    enc = FastE5(backend="numpy")
    ex = examples_for(fit, data.texts, data.qrels, data.fc_index, ("en", "fr", "vi", "vi-folded"))
    t0 = time.time()
    model, _log = train(enc, ex, data.fc_vecs, AdapterConfig(threads=1))
    print(f"fold adapter: {len(ex)} examples, {time.time() - t0:.0f} s", flush=True)
    rows = training_rows(data, held, LANGS)
    qvecs = encode(model, token_inputs(enc, [r[2] for r in rows]))
    save_candidates("held", data, rows, qvecs)


def cmd_train(epochs: int) -> None:
    from factwatch.embed import EmbeddingCache

    data = TrainData()
    fit, _held = split(data)
    rows = training_rows(data, fit, LANGS)
    if not (OUT / "fit.json").exists():
        qvecs = EmbeddingCache().embed([r[2] for r in rows], "claim")
        save_candidates("fit", data, rows, qvecs)
    fit_c = json.loads((OUT / "fit.json").read_text())
    enc = FastE5(backend="numpy")
    t0 = time.time()

    def on_epoch(e: int, model: object) -> None:
        model.save(OUT / f"cross-e{e}.npz")  # type: ignore[attr-defined]
        print(f"epoch {e}: {time.time() - t0:.0f} s", flush=True)

    train_cross(
        enc,
        [c["text"] for c in fit_c],
        [[data.fc_index[f] for f in data.qrels[c["id"]]] for c in fit_c],
        [c["idx"] for c in fit_c],
        [f.search_text for f in data.fcs],
        CrossConfig(epochs=epochs, stop_after=None, threads=1),
        on_epoch=on_epoch,
    )


def cmd_evaluate(model_path: str, ks: tuple[int, ...] = (5, 10)) -> None:
    data = TrainData()
    scored = Path(model_path).with_suffix(".held.json")
    held = json.loads((scored if scored.exists() else OUT / "held.json").read_text())
    kmax = max(ks)
    if any(len(c.get("cross", [])) < min(kmax, len(c["idx"])) for c in held):
        cross = CrossEncoder(Path(model_path))
        fc_text = [f.search_text for f in data.fcs]
        t0 = time.time()
        n = 0
        for c in held:  # score the candidates not scored yet
            done = c.get("cross", [])
            pairs = [(c["text"], fc_text[i]) for i in c["idx"][len(done) : kmax]]
            c["cross"] = done + (cross.logits(pairs).tolist() if pairs else [])
            n += len(pairs)
        print(f"{n} pairs scored, {time.time() - t0:.0f} s")
        scored.write_text(json.dumps(held))
    for k in ks:
        for lam in (0.0, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, None):
            row = []
            for lang in LANGS:
                aps = []
                for c in (c for c in held if c["lang"] == lang):
                    idx, x = c["idx"], np.array(c["cross"][:k])
                    s = x if lam is None else np.array(c["z"][:k]) + lam * x
                    top = [idx[o] for o in np.argsort(-s, kind="stable")] + idx[k:]
                    rel = {data.fc_index[f] for f in data.qrels[c["id"]]}
                    aps.append(average_precision(top, rel))
                row.append(float(np.mean(aps)))
            tag = "cross only" if lam is None else f"weight {lam}"
            cells = " · ".join(f"{lang} {v:.3f}" for lang, v in zip(LANGS, row, strict=True))
            print(f"K={k:2d} {tag:12s} {cells} | mean {np.mean(row):.3f}", flush=True)
    recall = {
        lang: np.mean(
            [
                bool({data.fc_index[f] for f in data.qrels[c["id"]]} & set(c["idx"][:kmax]))
                for c in held
                if c["lang"] == lang
            ]
        )
        for lang in LANGS
    }
    print(
        f"correct fact-check in the top {kmax}:", {k: round(float(v), 3) for k, v in recall.items()}
    )


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "candidates-held":
        cmd_candidates_held()
    elif cmd == "train":
        cmd_train(int(sys.argv[2]) if len(sys.argv) > 2 else 2)
    elif cmd == "evaluate" and len(sys.argv) > 2:
        ks = tuple(int(k) for k in sys.argv[3].split(",")) if len(sys.argv) > 3 else (5, 10)
        cmd_evaluate(sys.argv[2], ks)
    else:
        raise SystemExit(__doc__)
