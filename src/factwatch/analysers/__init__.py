"""Analysers: one module each, items in, signals out, each owning its index.

Register a new analyser by adding its factory to ``REGISTRY`` below (one line).
"""

from __future__ import annotations

from collections.abc import Callable

from factwatch.analysers.base import Analyser, AnalysisContext

# name -> factory(context) -> Analyser.  Factories import lazily so that a command that does not
# analyse never loads models.
REGISTRY: dict[str, Callable[[AnalysisContext], Analyser]] = {}
# Names of the ordered analysers (state over the whole stream, fed by factwatch.workers.follow).
ORDERED: set[str] = set()


def register(
    name: str, ordered: bool = False
) -> Callable[[Callable[[AnalysisContext], Analyser]], Callable[[AnalysisContext], Analyser]]:
    def deco(
        factory: Callable[[AnalysisContext], Analyser],
    ) -> Callable[[AnalysisContext], Analyser]:
        REGISTRY[name] = factory
        if ordered:
            ORDERED.add(name)
        return factory

    return deco


def is_ordered(analyser: object) -> bool:
    """Whether this analyser instance is one of the ordered ones (by its registered name)."""
    return getattr(analyser, "name", None) in ORDERED


__all__ = ["ORDERED", "REGISTRY", "Analyser", "AnalysisContext", "is_ordered", "register"]
