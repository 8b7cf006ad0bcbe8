"""Analysers: one module each, items in, signals out, each owning its index.

Register a new analyser by adding its factory to ``REGISTRY`` below (one line).
"""

from __future__ import annotations

from collections.abc import Callable

from factwatch.analysers.base import Analyser, AnalysisContext

# name -> factory(context) -> Analyser.  Factories import lazily so that a command that does not
# analyse never loads models.
REGISTRY: dict[str, Callable[[AnalysisContext], Analyser]] = {}


def register(
    name: str,
) -> Callable[[Callable[[AnalysisContext], Analyser]], Callable[[AnalysisContext], Analyser]]:
    def deco(
        factory: Callable[[AnalysisContext], Analyser],
    ) -> Callable[[AnalysisContext], Analyser]:
        REGISTRY[name] = factory
        return factory

    return deco


__all__ = ["REGISTRY", "Analyser", "AnalysisContext", "register"]
