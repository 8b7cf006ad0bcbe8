"""News sitemaps: ``<urlset>`` with ``news:`` tags (Google News sitemap), sitemap indexes, ``.gz``.

A news sitemap lists a site's recent articles with their title, language and publication time::

    <url><loc>https://example.vn/a.html</loc>
      <news:news><news:publication><news:name>Báo</news:name><news:language>vi</news:language>
      </news:publication><news:publication_date>2024-03-01T08:00:00+07:00</news:publication_date>
      <news:title>...</news:title><news:keywords>...</news:keywords></news:news></url>

Each entry becomes an Item (``source`` = ``sitemap:<host>``, ``native_id`` = the URL, ``text`` =
the headline; the crawler fills in article text).  Parsing uses lxml with entity expansion and
network access off (no XXE, no billion laughs); gzip is inflated with a size cap.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from factwatch.models import Item
from factwatch.sources.base import RejectSink, SourceError, SourceFormat
from factwatch.sources.mapped import check_size, clean, parse_time

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit, uncompressed
MAX_ENTRIES = 50_000
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@dataclass
class SitemapEntry:
    loc: str
    lastmod: datetime | None = None
    title: str | None = None
    language: str | None = None
    publication: str | None = None
    published_at: datetime | None = None
    keywords: str | None = None


def inflate(data: bytes, limit: int = MAX_SITEMAP_BYTES) -> bytes:
    """Gunzip ``data`` when it is gzip, refusing output past ``limit`` (gzip bombs)."""
    if not data.startswith(b"\x1f\x8b"):
        return data
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(data, limit + 1)
    except zlib.error as exc:
        raise SourceError(f"corrupt gzip data ({exc})") from exc
    if len(out) > limit or d.unconsumed_tail:
        raise SourceError(f"gzip data inflates past {limit} bytes (gzip bomb?)")
    return out


_PARSER_LOCAL = threading.local()


def _parser() -> etree.XMLParser:
    p = getattr(_PARSER_LOCAL, "p", None)
    if p is None:
        p = etree.XMLParser(
            resolve_entities=False, no_network=True, huge_tree=False, recover=False, load_dtd=False
        )
        _PARSER_LOCAL.p = p
    return p


def _text(el: Any, path: str) -> str | None:
    found = el.find(path, NS)
    if found is None or found.text is None:
        return None
    return clean(found.text) or None


def parse_sitemap(
    data: bytes, origin: str, rejections: RejectSink
) -> tuple[list[SitemapEntry], list[str]]:
    """(entries of a urlset, child sitemap URLs of an index)."""
    data = inflate(data)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (0, 0)
        raise SourceError(f"{origin}:{line}:{col}: not well-formed XML ({exc.msg})") from exc
    tag = etree.QName(root).localname
    if tag == "sitemapindex":
        locs = [clean(x.text) for x in root.iterfind("sm:sitemap/sm:loc", NS) if x.text]
        return [], locs[:MAX_ENTRIES]
    if tag != "urlset":
        raise SourceError(f"{origin}: not a sitemap (root element <{tag}>)")
    entries: list[SitemapEntry] = []
    for i, u in enumerate(root.iterfind("sm:url", NS)):
        if i >= MAX_ENTRIES:
            rejections.add(origin, f"more than {MAX_ENTRIES} URLs; the rest skipped")
            break
        loc = _text(u, "sm:loc")
        where = f"{origin}:{u.sourceline}"
        if not loc or urlsplit(loc).scheme not in ("http", "https"):
            rejections.add(where, f"<url> without an http(s) <loc> ({loc!r})")
            continue
        e = SitemapEntry(loc=loc)
        try:
            lm = _text(u, "sm:lastmod")
            e.lastmod = parse_time(lm) if lm else None
            news = u.find("news:news", NS)
            if news is not None:
                e.title = _text(news, "news:title")
                e.language = _text(news, "news:publication/news:language")
                e.publication = _text(news, "news:publication/news:name")
                e.keywords = _text(news, "news:keywords")
                pd = _text(news, "news:publication_date")
                e.published_at = parse_time(pd) if pd else None
        except (ValueError, OverflowError) as exc:
            rejections.add(where, f"bad date in entry for {loc} ({exc})")
            continue
        entries.append(e)
    return entries, []


def entry_item(e: SitemapEntry) -> Item | None:
    if not e.title:
        return None
    host = urlsplit(e.loc).hostname or "?"
    extra: dict[str, Any] = {}
    if e.publication:
        extra["publication"] = e.publication
    if e.keywords:
        extra["keywords"] = e.keywords
    return Item(
        source=f"sitemap:{host}",
        native_id=e.loc,
        text=e.title,
        title=e.title,
        url=e.loc,
        lang=e.language,
        published_at=e.published_at or e.lastmod,
        extra=extra,
    )


def read_sitemap_file(path: str, rejections: RejectSink) -> Iterator[Item]:
    check_size(path, MAX_SITEMAP_BYTES)
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        entries, children = parse_sitemap(data, path, rejections)
    except SourceError as exc:
        rejections.add(path, str(exc).removeprefix(f"{path}: "))
        return
    if children:
        rejections.add(
            path,
            f'a sitemap index of {len(children)} sitemaps: crawl it (factwatch watch, type = "sitemap") to follow them',
        )
    n = 0
    for e in entries:
        it = entry_item(e)
        if it is not None:
            n += 1
            yield it
    if entries and not n:
        rejections.add(path, "no <news:news> entry with a title: not a news sitemap")


def _sniff(name: str, head: bytes) -> bool:
    h = head[:4096]
    if h.startswith(b"\x1f\x8b"):
        return name.endswith((".xml.gz",)) and "sitemap" in name.lower()
    return (b"<urlset" in h or b"<sitemapindex" in h) and b"sitemaps.org/schemas/sitemap" in h


FORMAT = SourceFormat(
    name="sitemap",
    description="news sitemap (sitemap.xml with news: tags, .xml.gz too)",
    sniff=_sniff,
    read=read_sitemap_file,
    priority=35,
)


def watch_poll(cfg: Any, cp: dict[str, Any], rej: RejectSink, stop: Any) -> Iterator[Item]:
    """Watch-mode poller: crawl ``sites`` (or one ``url``) politely; see factwatch.sources.crawler."""
    from factwatch.sources.crawler import Crawler

    sites = cfg.options.get("sites") or [cfg.options["url"]]
    crawler = Crawler(
        allow_private=cfg.allow_private,
        delay=float(cfg.options.get("delay", 1.0)),
        per_host=int(cfg.options.get("per_host", 2)),
        max_articles=int(cfg.options.get("max_articles", 200)),
        fetch_articles=bool(cfg.options.get("fetch_articles", True)),
    )
    yield from crawler.crawl(list(sites), rej, state=cp, stop=stop)
