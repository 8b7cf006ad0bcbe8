"""Language identification accuracy on the shared data (vi / fr / en texts with known language)."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

from factwatch.bench import shared_data
from factwatch.text.lang import detect_language
from factwatch.text.normalize import fold_diacritics


def _load(path: Path, field: str, limit: int | None = None) -> list[str]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                out.append(json.loads(line)[field])
                if limit and len(out) >= limit:
                    break
    return out


def run(limit: int = 1000) -> list[dict[str, object]]:
    d = shared_data()
    sets = [
        (
            "en",
            "CLEF-2020 dev tweets (en)",
            _load(d / "claim-retrieval/clef2020-en/dev-posts.jsonl", "text"),
        ),
        (
            "fr",
            "CLEF-2020 dev tweets translated (fr)",
            _load(d / "claim-retrieval/clef2020-en/dev-posts-fr.jsonl", "text"),
        ),
        (
            "vi",
            "CLEF-2020 dev tweets translated (vi)",
            _load(d / "claim-retrieval/clef2020-en/dev-posts-vi.jsonl", "text"),
        ),
        (
            "vi",
            "ViClickbait validate headlines (vi)",
            _load(d / "clickbait/viclickbait-2025-validate.jsonl", "title"),
        ),
        (
            "en",
            "Stop Clickbait headlines (en, first 1,000)",
            _load(d / "clickbait/stop-clickbait-en.jsonl", "title", limit),
        ),
        (
            "en",
            "ClaimBuster sentences (en, first 1,000)",
            _load(d / "check-worthiness/claimbuster-train.jsonl", "text", limit),
        ),
    ]
    vi_plain = [fold_diacritics(t) for t in sets[3][2]]
    sets.append(("vi", "ViClickbait headlines without diacritics (vi)", vi_plain))
    rows = []
    for lang, name, texts in sets:
        t0 = time.perf_counter()
        got = [detect_language(t) for t in texts]
        dt = time.perf_counter() - t0
        wrong = Counter(g for g in got if g != lang)
        rows.append(
            {
                "set": name,
                "n": len(texts),
                "accuracy": sum(g == lang for g in got) / len(texts),
                "texts_per_s": len(texts) / dt,
                "errors": dict(wrong.most_common(3)),
            }
        )
    return rows


def table(rows: list[dict[str, object]]) -> str:
    lines = ["| data | n | accuracy | texts/s | most frequent errors |", "|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['set']} | {r['n']} | {float(r['accuracy']):.3f} | {float(r['texts_per_s']):.0f} | {r['errors']} |"  # type: ignore[arg-type]
        )  # type: ignore[arg-type]
    return "\n".join(lines)
