"""A URL: a feed is read as a feed; any other page as one article (main text by trafilatura)."""

from __future__ import annotations

from collections.abc import Iterator

from factwatch.models import Item
from factwatch.sources.base import RejectSink, SourceError
from factwatch.sources.feeds import FORMAT as FEED
from factwatch.sources.feeds import parse_feed_bytes
from factwatch.sources.fetch import Fetcher
from factwatch.text.normalize import normalize_text


def extract_article(html: str, url: str) -> tuple[str | None, str, dict[str, str]]:
    """(title, main text, metadata) of an HTML page."""
    import trafilatura

    text = trafilatura.extract(html, url=url, include_comments=False, favor_precision=True) or ""
    meta = trafilatura.extract_metadata(html, default_url=url)
    title = meta.title if meta is not None else None
    info = {}
    if meta is not None:
        for key in ("author", "date", "sitename", "description"):
            val = getattr(meta, key, None)
            if val:
                info[key] = str(val)
    return (normalize_text(title) if title else None), normalize_text(text), info


def read_url(
    url: str, rejections: RejectSink, allow_private: bool = False, fetcher: Fetcher | None = None
) -> Iterator[Item]:
    fetcher = fetcher or Fetcher(allow_private=allow_private)
    try:
        resp = fetcher.fetch(url)
    except SourceError as exc:
        rejections.add(url, str(exc))
        return
    except Exception as exc:  # noqa: BLE001 - network errors are reported, never fatal
        rejections.add(url, f"fetch failed: {type(exc).__name__}: {exc}")
        return
    if resp.status >= 400:
        rejections.add(url, f"HTTP {resp.status}")
        return
    ctype = resp.headers.get("content-type", "")
    if "xml" in ctype or FEED.sniff(url, resp.content[:4096]):
        yield from parse_feed_bytes(resp.content, url, rejections, base_url=resp.url)
        return
    title, text, meta = extract_article(resp.text, resp.url)
    if not text:
        rejections.add(url, "no article text found on the page")
        return
    from factwatch.sources.dates import parse_datetime

    published = None
    if meta.get("date"):
        try:
            published = parse_datetime(meta["date"])
        except ValueError:
            published = None
    yield Item(
        source="web",
        native_id=resp.url,
        url=resp.url,
        title=title,
        text=text,
        author=meta.get("author"),
        published_at=published,
        extra={k: v for k, v in meta.items() if k != "date"},
    )
