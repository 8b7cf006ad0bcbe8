"""The pipeline: run every analyser over items not yet analysed, store signals, open cases.

Items are taken in batches through the lease queue that ``factwatch worker`` uses; for each batch
every analyser runs, then the batch's signals, cases and the "analysed" marks are written in one
transaction, so an interrupted run leaves each item either fully analysed or not at all.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from factwatch.analysers import REGISTRY, AnalysisContext
from factwatch.analysers.base import Analyser
from factwatch.models import Item, Signal
from factwatch.store import Store
from factwatch.text.lang import detect_language

# Analyser modules, imported for their @register; order is the order they run in.
ANALYSER_MODULES = ["claim_match", "clickbait", "lookalike", "campaigns", "media"]

# Signal kind -> case kind.  Signals of other kinds annotate items without opening cases.
CASE_KINDS = {
    "claim_match": "claim",
    "image_match": "claim",
    "lookalike_domain": "impersonation",
    "impersonation": "impersonation",
    "campaign": "campaign",
}


def load_analysers(
    store: Store, names: Sequence[str] | None = None, options: dict[str, Any] | None = None
) -> list[Analyser]:
    for mod in ANALYSER_MODULES:
        importlib.import_module(f"factwatch.analysers.{mod}")
    ctx = AnalysisContext(store=store, options=options or {})
    chosen = list(names) if names else list(REGISTRY)
    return [REGISTRY[n](ctx) for n in chosen if n in REGISTRY]


@dataclass
class AnalyseReport:
    items: int = 0
    signals: dict[str, int] = field(default_factory=dict)
    cases_touched: set[int] = field(default_factory=set)


def case_title(store: Store, sig: Signal) -> str:
    ev = sig.evidence
    if sig.target_type == "factcheck":
        return str(ev.get("claim") or sig.target_id)
    return str(ev.get("title") or ev.get("sample_text") or f"{sig.kind}: {sig.target_id}")


def prepare(items: Sequence[Item]) -> None:
    """Fill what analysers rely on: the text read in each item's images, and its language."""
    for it in items:
        if it.media and "ocr" not in it.extra and any(m.get("type") == "image" for m in it.media):
            it.extra["ocr"] = _ocr(it)
        if not it.lang:
            it.lang = detect_language(it.full_text, default="und")


def _ocr(item: Item) -> list[dict[str, Any]]:
    """OCR of the item's local images; nothing when Tesseract is not installed."""
    from factwatch.media.ocr import OcrUnavailable, ocr_item_media

    try:
        return ocr_item_media(item)
    except OcrUnavailable:
        return []


def store_signals(
    store: Store, signals: Sequence[Signal], conn: Any, report: AnalyseReport | None = None
) -> None:
    """Store signals and open (or update) the case each one is about."""
    store.add_signals(signals, conn)
    for s in signals:
        kind = CASE_KINDS.get(s.kind)
        if kind is None or s.target_type is None or s.target_id is None:
            continue
        cid = store.open_case(
            kind, s.target_type, s.target_id, case_title(store, s), s.item_id, s.id, conn
        )
        if report is not None:
            report.cases_touched.add(cid)


def retro_match(store: Store, factcheck_ids: Sequence[str]) -> AnalyseReport:
    """Past items that repeat these (new or changed) fact-checks get signals and cases."""
    from factwatch.analysers.claim_match import retro_match as find

    report = AnalyseReport()
    signals = find(store, factcheck_ids)
    with store.engine.begin() as conn:
        store_signals(store, signals, conn, report)
    report.signals["claim_match"] = len(signals)
    report.items = len({s.item_id for s in signals})
    return report


def analyse_pending(
    store: Store,
    batch_size: int = 256,
    names: Sequence[str] | None = None,
    options: dict[str, Any] | None = None,
    progress: Callable[[int], None] | None = None,
    analysers: Sequence[Analyser] | None = None,
) -> AnalyseReport:
    """Analyse every item not yet analysed.

    The items are taken through the same lease queue as ``factwatch worker``
    (:mod:`factwatch.workers.queue`), so ``analyze`` may run while workers run: each item is
    still analysed exactly once.  An analyser that raises stops the run (its batch is given back)."""
    from factwatch.workers.queue import run_worker

    report = AnalyseReport()
    if store.count_items(unanalysed=True) == 0:
        return report
    chosen = list(analysers) if analysers is not None else load_analysers(store, names, options)
    return run_worker(
        store,
        lambda: chosen,
        batch_size=batch_size,
        exit_when_idle=True,
        poll=0.5,
        reload_every=float("inf"),
        progress=progress,
        raise_errors=True,
        log=lambda _m: None,
    )
