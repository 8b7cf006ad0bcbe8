"""Choose the claim adapter's training set-up on the CheckThat! TRAIN split only.

A random 20 % of the train posts (with their translations) is held out; adapters are trained on
the rest with each candidate set-up and the held-out MAP@5 (dense search alone) is printed per
language after every epoch.  The dev split is never read.

    .venv/bin/python benchmarks/claim_adapter_select.py [--variants en,en+fr+vi] [--epochs 4]

A variant is ``LANGS[@TARGETS[@RANK]]``: ``en+fr+vi@q+k+v+ao+fi+fo@8`` trains on the three
languages with rank-8 updates on all six linear layers of each block.
"""

from __future__ import annotations

import argparse
import sys
import time

from factwatch.bench.adapter import TRAIN_LANGS, TrainData, dense_metrics, examples_for, folds
from factwatch.encoder import FastE5
from factwatch.encoder.adapter_train import AdapterConfig, encode, token_inputs, train


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--variants", default="en,en+fr+vi")
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--rank", type=int, default=8)
    ap.add_argument("--targets", default="q,v")
    ap.add_argument("--lr", type=float, default=5e-4)
    args = ap.parse_args()
    data = TrainData()
    enc = FastE5(backend="numpy")
    fold = folds(data.ids, 5)
    held = set(fold[0])
    fit_ids = [p for p in data.ids if p not in held]
    held_ids = [p for p in data.ids if p in held]
    print(f"train {len(fit_ids)} posts, held out {len(held_ids)}; {data.describe()}", flush=True)
    evals = {}
    for lang in TRAIN_LANGS:
        ex = examples_for(held_ids, data.texts, data.qrels, data.fc_index, [lang])
        if ex:
            evals[lang] = ([e.group for e in ex], token_inputs(enc, [e.text for e in ex]))

    def report(tag: str, model: object) -> None:
        row = []
        for lang, (ids, xs) in evals.items():
            m = dense_metrics(encode(model, xs), ids, data.fc_vecs, data.fc_ids, data.qrels)
            row.append(f"{lang} {m['MAP@5']:.3f}")
        print(tag, " | ".join(row), flush=True)

    for variant in args.variants.split(","):
        # "LANGS[@TARGETS[@RANK]]", e.g. "en+fr+vi@q+k+v+ao+fi+fo@8"
        langs, _, rest = variant.partition("@")
        targets, _, rank = rest.partition("@")
        cfg = AdapterConfig(
            epochs=args.epochs,
            rank=int(rank or args.rank),
            targets=tuple((targets or args.targets).replace("+", ",").split(",")),
            lr=args.lr,
        )
        ex = examples_for(fit_ids, data.texts, data.qrels, data.fc_index, langs.split("+"))
        t0 = time.time()
        if variant == args.variants.split(",")[0]:
            from factwatch.encoder.adapter_train import build_model

            report("plain e5        ", build_model(enc, AdapterConfig(rank=0)))
        train(
            enc,
            ex,
            data.fc_vecs,
            cfg,
            on_epoch=lambda e, m, v=variant: report(f"{v:9s} epoch {e}", m),
        )
        print(
            f"{variant}: {len(ex)} examples, {time.time() - t0:.0f} s", file=sys.stderr, flush=True
        )


if __name__ == "__main__":
    main()
