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


@runtime_checkable
class OrderedAnalyser(Analyser, Protocol):
    """An analyser whose state must see the whole stream once, in item order (campaigns);
    registered with ``register(name, ordered=True)``.

    It does not run inside workers' batches: :func:`factwatch.workers.follow.follow` feeds it the
    analysed items after ``cursor`` while holding its lock, and saves ``to_bytes()`` under
    ``state_name`` in the same transaction as its signals.  ``stamp`` is when the state it holds
    was written (None: reload before use); ``load_state(None)`` starts it empty."""

    state_name: str
    cursor: int
    stamp: Any

    def load_state(self, data: bytes | None) -> None: ...

    def to_bytes(self) -> bytes: ...
