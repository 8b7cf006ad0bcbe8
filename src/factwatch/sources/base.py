"""The connector interface: a source turns a file, feed or URL into Items.

Each connector module defines one ``SourceFormat`` and registers it in ``sources/__init__.py``.
``sniff`` looks at the first bytes of a file (and its name) and says whether the format is its
own; ``read`` yields Items and reports each bad record to ``rejections`` (naming file and line or
position) without stopping, so that every good record around a bad one is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

from factwatch.models import Item


class RejectSink(Protocol):
    def add(self, where: str, message: str) -> None: ...


@dataclass(frozen=True)
class SourceFormat:
    name: str
    description: str
    sniff: Callable[[str, bytes], bool]  # (file name, first 64 KiB) -> is it mine?
    read: Callable[[str, RejectSink], Iterator[Item]]  # (path, rejections) -> items
    priority: int = 50  # lower is tried first when sniffing


class SourceError(Exception):
    """A whole source could not be read (missing file, refused URL, wrong format)."""
