"""RSS and Atom feeds (a file, or a URL fetched through ``fetch``), parsed by feedparser."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from factwatch.models import Item
from factwatch.sources.base import RejectSink, SourceFormat
from factwatch.text.normalize import normalize_text

MAX_FEED_BYTES = 20 * 1024 * 1024


def _html_to_text(html: str) -> str:
    if "<" not in html:
        return html
    import lxml.html

    try:
        return str(lxml.html.fromstring(html).text_content())
    except Exception:  # noqa: BLE001 - malformed markup: keep the raw text rather than lose it
        return html


def parse_feed_bytes(
    data: bytes, origin: str, rejections: RejectSink, base_url: str | None = None
) -> Iterator[Item]:
    import feedparser

    parsed: Any = feedparser.parse(
        data, response_headers={"content-location": base_url} if base_url else None
    )
    if parsed.bozo and not parsed.entries:
        rejections.add(
            origin,
            f"not a readable RSS/Atom feed ({parsed.get('bozo_exception', 'unknown error')})",
        )
        return
    feed_title = normalize_text(parsed.feed.get("title", "")) or origin
    feed_link = parsed.feed.get("link") or base_url or origin
    source = f"feed:{feed_link}"
    for n, entry in enumerate(parsed.entries, start=1):
        link = entry.get("link")
        native = (
            entry.get("id")
            or link
            or hashlib.sha256(
                (entry.get("title", "") + entry.get("summary", "")).encode()
            ).hexdigest()
        )
        title = normalize_text(entry.get("title", "")) or None
        body = ""
        if entry.get("content"):
            body = " ".join(c.get("value", "") for c in entry["content"])
        body = body or entry.get("summary", "") or ""
        text = normalize_text(_html_to_text(body))
        if not text and not title:
            rejections.add(f"{origin}:entry {n}", "entry has neither title nor text")
            continue
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        published = datetime(*when[:6]).replace(tzinfo=UTC) if when else None
        author = entry.get("author")
        yield Item(
            source=source,
            native_id=str(native)[:500],
            title=title,
            text=text or (title or ""),
            url=link,
            author=normalize_text(author) if author else None,
            published_at=published,
            extra={"feed_title": feed_title},
        )


def read_feed_file(path: str, rejections: RejectSink) -> Iterator[Item]:
    with open(path, "rb") as fh:
        data = fh.read(MAX_FEED_BYTES + 1)
    if len(data) > MAX_FEED_BYTES:
        rejections.add(path, f"feed larger than {MAX_FEED_BYTES} bytes")
        return
    yield from parse_feed_bytes(data, path, rejections)


def _sniff(name: str, head: bytes) -> bool:
    h = head.lstrip()[:2048].lower()
    return (
        h.startswith(b"<?xml")
        and (b"<rss" in h or b"<feed" in h or b"<rdf:rdf" in h)
        or h.startswith((b"<rss", b"<feed"))
    )


FORMAT = SourceFormat("feed", "RSS or Atom feed", _sniff, read_feed_file, priority=40)
