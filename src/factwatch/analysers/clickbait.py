"""The ``clickbait`` analyser: every item with a title gets a clickbait signal.

The signal is a property of the item (``target_type`` None), not a case of its own: it is shown on
the cases the item belongs to.  Evidence: ``{"why": [...], "clickbait": bool, "title": ...}``.
The item's lead, for the models that read one (Vietnamese), is the first line of its text that is
not the title (an RSS summary, an article's first paragraph).
Options (``AnalysisContext.options``): ``clickbait_model`` (model file), ``clickbait_cache``
(embedding cache file; default ``$FACTWATCH_CACHE_DIR/clickbait-embeddings.sqlite``, memory only
when it cannot be opened).
"""

from __future__ import annotations

from collections.abc import Sequence

from factwatch.analysers import register
from factwatch.analysers.base import Analyser, AnalysisContext
from factwatch.classify.clickbait import (
    MAX_LEAD,
    ClickbaitModel,
    EmbeddingCache,
    default_cache_path,
)
from factwatch.models import Item, Signal

BATCH = 512


class ClickbaitAnalyser:
    name = "clickbait"

    def __init__(self, model: ClickbaitModel) -> None:
        self.model = model

    def analyse(self, items: Sequence[Item]) -> list[Signal]:
        todo = [
            it
            for it in items
            if it.id is not None and isinstance(it.title, str) and it.title.strip()
        ]
        signals: list[Signal] = []
        for start in range(0, len(todo), BATCH):
            chunk = todo[start : start + BATCH]
            preds = self.model.predict(
                [it.title or "" for it in chunk],
                [_lang(it.lang) for it in chunk],
                leads=[lead_of(it) for it in chunk],
            )
            for it, p in zip(chunk, preds, strict=True):
                assert it.id is not None
                signals.append(
                    Signal(
                        item_id=it.id,
                        kind="clickbait",
                        score=p.score,
                        target_type=None,
                        target_id=None,
                        evidence={
                            "why": p.why,
                            "clickbait": p.clickbait,
                            "title": it.title,
                            "lang": p.lang,
                        },
                    )
                )
        return signals


def lead_of(item: Item) -> str | None:
    """The first non-empty line of the item's text that is not its title, or None."""
    title = (item.title or "").strip()
    for line in (item.text or "").splitlines():
        line = line.strip()
        if line and line != title:
            return line[:MAX_LEAD]
    return None


def _lang(lang: str | None) -> str | None:
    return (
        lang.strip().lower()[:2]
        if isinstance(lang, str) and lang.strip() and lang != "und"
        else None
    )


@register("clickbait")
def make_clickbait(context: AnalysisContext) -> Analyser:
    path = context.options.get("clickbait_cache")
    try:
        cache = EmbeddingCache(path or default_cache_path())
    except Exception:  # noqa: BLE001 - a read-only home must not stop the analysis
        cache = EmbeddingCache()
    return ClickbaitAnalyser(
        ClickbaitModel.load(context.options.get("clickbait_model"), cache=cache)
    )
