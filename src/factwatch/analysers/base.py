"""The one interface every analyser implements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from factwatch.models import Item, Signal

if TYPE_CHECKING:
    from factwatch.store import Store


@dataclass
class AnalysisContext:
    """What an analyser may read when it builds its index: the store and options."""

    store: Store
    options: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class Analyser(Protocol):
    """Items in, signals out.  ``items`` have storage ids set; signals reference them."""

    name: str

    def analyse(self, items: Sequence[Item]) -> list[Signal]: ...
