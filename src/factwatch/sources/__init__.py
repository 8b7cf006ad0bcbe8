"""Connectors: every way content enters factwatch, one module each.

``FORMATS`` lists the known formats; ``detect_format`` picks one for a file by its content
(``sniff``), ``read_source`` reads a path or URL into Items.  Register a new connector by adding
its ``FORMAT`` to ``_MODULES`` (one line).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

from factwatch.models import Item
from factwatch.sources.base import RejectSink, SourceError, SourceFormat

# Modules under factwatch.sources that define FORMAT (a SourceFormat) or FORMATS (a list).
_MODULES = ["posts", "feeds", "telegram", "whatsapp", "email", "video", "mapped", "sitemaps"]

SNIFF_BYTES = 64 * 1024


def formats() -> list[SourceFormat]:
    out: list[SourceFormat] = []
    for name in _MODULES:
        mod = importlib.import_module(f"factwatch.sources.{name}")
        out.extend(getattr(mod, "FORMATS", None) or [mod.FORMAT])
    return sorted(out, key=lambda f: f.priority)


def get_format(name: str) -> SourceFormat:
    for f in formats():
        if f.name == name:
            return f
    known = ", ".join(f.name for f in formats())
    raise SourceError(f"unknown format {name!r} (known: {known})")


def detect_format(path: str) -> SourceFormat:
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    for f in formats():
        if f.sniff(Path(path).name, head):
            return f
    raise SourceError(f"{path}: format not recognised (use --format to choose one)")


def read_source(
    source: str, rejections: RejectSink, fmt: str | None = None, allow_private: bool = False
) -> Iterator[Item]:
    """Items from a file path or an http(s) URL (a feed, or a web article)."""
    if source.startswith(("imap://", "imaps://")):
        from factwatch.sources.email import read_imap

        yield from read_imap(source, rejections)
        return
    if source.startswith(("http://", "https://")):
        from factwatch.sources.web import read_url

        yield from read_url(source, rejections, allow_private=allow_private)
        return
    if not Path(source).is_file():
        raise SourceError(f"{source}: no such file")
    f = get_format(fmt) if fmt else detect_format(source)
    yield from f.read(source, rejections)


__all__ = ["SourceError", "SourceFormat", "detect_format", "formats", "get_format", "read_source"]
