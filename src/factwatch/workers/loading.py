"""Choosing and building the analysers a worker or backfill task runs."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

from factwatch.analysers import REGISTRY
from factwatch.analysers.base import Analyser
from factwatch.pipeline import ANALYSER_MODULES, load_analysers
from factwatch.store import Store

# Measuring/test analysers (factwatch.workers.probe): registered only when named.
PROBE_NAMES = ("noop", "probe")


def check_names(names: Sequence[str] | None) -> list[str]:
    """Names that are not analysers (empty: all known)."""
    if not names:
        return []
    for mod in ANALYSER_MODULES:
        importlib.import_module(f"factwatch.analysers.{mod}")
    if any(n in PROBE_NAMES for n in names):
        importlib.import_module("factwatch.workers.probe")
    return [n for n in names if n not in REGISTRY]


def load(
    store: Store, names: Sequence[str] | None = None, options: dict[str, Any] | None = None
) -> list[Analyser]:
    """The analysers ``names`` (all the pipeline's when empty), built over ``store``."""
    unknown = check_names(names)
    if unknown:
        raise ValueError(
            f"unknown analyser(s): {', '.join(unknown)}; known: {', '.join(sorted(REGISTRY))}"
        )
    return load_analysers(store, names, options)
