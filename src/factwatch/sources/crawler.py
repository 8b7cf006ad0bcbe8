"""A polite crawler for a list of news sites: robots.txt, sitemaps, rate limits, conditional GETs.

For each site: read ``/robots.txt`` (``urllib.robotparser``; a 401/403 means stay out, a 404 means
all allowed), take the sitemaps it names (else ``/sitemap.xml``), follow sitemap indexes, and
fetch each article not seen before that robots.txt allows.  Per host, requests start at least
``delay`` seconds apart (or the site's ``Crawl-delay`` if longer) with at most ``per_host`` in
flight; every request goes through ``Fetcher`` (SSRF guard, time-out, size cap).  Sitemaps are
re-read with ``If-None-Match``/``If-Modified-Since`` so an unchanged sitemap costs one 304.  The
``state`` dict (the watch checkpoint) keeps validators and the URLs already read.
"""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from factwatch.models import Item
from factwatch.sources.base import RejectSink, SourceError
from factwatch.sources.fetch import USER_AGENT, Fetcher, Response
from factwatch.sources.sitemaps import SitemapEntry, entry_item, parse_sitemap

MAX_SEEN = 50_000


def _float_crawl_delay(robots_txt: str) -> float | None:
    """Crawl-delay of the group for us or ``*``; robotparser reads whole seconds only."""
    agents: list[str] = []
    in_rules = False
    found: float | None = None
    for raw in robots_txt.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, val = (x.strip() for x in line.split(":", 1))
        key = key.lower()
        if key == "user-agent":
            if in_rules:
                agents, in_rules = [], False
            agents.append(val.lower())
        else:
            in_rules = True
            if key == "crawl-delay" and any(a == "*" or a.startswith("factwatch") for a in agents):
                try:
                    d = float(val)
                except ValueError:
                    continue
                if d >= 0 and (found is None or any(a.startswith("factwatch") for a in agents)):
                    found = min(d, 60.0)
    return found


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    slots: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(2))
    next_at: float = 0.0
    delay: float = 1.0
    robots: urllib.robotparser.RobotFileParser | None = None


class Crawler:
    def __init__(
        self,
        allow_private: bool = False,
        delay: float = 1.0,
        per_host: int = 2,
        max_articles: int = 200,
        max_sitemaps: int = 20,
        max_bytes: int = 5 * 1024 * 1024,
        fetch_articles: bool = True,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 15.0,
    ) -> None:
        self.fetcher = Fetcher(
            allow_private=allow_private, max_bytes=max_bytes, transport=transport, timeout=timeout
        )
        self.delay = delay
        self.per_host = max(1, per_host)
        self.max_articles = max_articles
        self.max_sitemaps = max_sitemaps
        self.fetch_articles = fetch_articles
        self.hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self.started: list[tuple[float, str]] = []  # (monotonic time, URL) of each request start

    # ------------------------------------------------------------ politeness
    def _host(self, url: str) -> _Host:
        key = urlsplit(url).netloc.lower()
        with self._hosts_lock:
            h = self.hosts.get(key)
            if h is None:
                h = _Host(slots=threading.Semaphore(self.per_host), delay=self.delay)
                self.hosts[key] = h
            return h

    def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        """One polite request: waits for the host's next slot and spacing, then fetches."""
        h = self._host(url)
        with h.slots:
            with h.lock:
                # Waiting under the lock and spacing from the *actual* start (not the scheduled
                # one) keeps requests at least ``delay`` apart even when a sleep overruns.
                wait = h.next_at - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                started = time.monotonic()
                h.next_at = started + h.delay
                self.started.append((started, url))
            return self.fetcher.fetch(url, headers=headers)

    def robots(self, site: str) -> urllib.robotparser.RobotFileParser:
        h = self._host(site)
        if h.robots is not None:
            return h.robots
        parts = urlsplit(site)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        rp = urllib.robotparser.RobotFileParser(robots_url)
        resp = self.get(robots_url)
        if resp.status in (401, 403):
            rp.disallow_all = True  # type: ignore[attr-defined]
        elif resp.status >= 400:
            rp.allow_all = True  # type: ignore[attr-defined]
        else:
            rp.parse(resp.text.splitlines())
        rp.modified()  # parse() alone leaves mtime unset, and crawl_delay() then answers None
        cd = rp.crawl_delay(USER_AGENT) or (
            _float_crawl_delay(resp.text) if resp.status < 400 else None
        )
        if cd:
            h.delay = max(h.delay, float(cd))
        h.robots = rp
        return rp

    # ------------------------------------------------------------ sitemaps
    def _conditional(self, url: str, state: dict[str, Any]) -> Response | None:
        val = state.setdefault("http", {}).get(url) or {}
        headers = {}
        if val.get("etag"):
            headers["If-None-Match"] = val["etag"]
        if val.get("last_modified"):
            headers["If-Modified-Since"] = val["last_modified"]
        resp = self.get(url, headers=headers)
        if resp.status == 304:
            return None
        if resp.status >= 400:
            raise SourceError(f"{url}: HTTP {resp.status}")
        state["http"][url] = {
            "etag": resp.headers.get("etag"),
            "last_modified": resp.headers.get("last-modified"),
        }
        return resp

    def sitemap_entries(
        self, site: str, rej: RejectSink, state: dict[str, Any]
    ) -> list[SitemapEntry]:
        rp = self.robots(site)
        if site.endswith((".xml", ".xml.gz")):
            queue = [site]
        else:
            queue = list(rp.site_maps() or []) or [urljoin(site, "/sitemap.xml")]
        entries: list[SitemapEntry] = []
        done = 0
        while queue and done < self.max_sitemaps:
            url = queue.pop(0)
            done += 1
            if not rp.can_fetch(USER_AGENT, url):
                rej.add(url, "sitemap disallowed by robots.txt")
                continue
            try:
                resp = self._conditional(url, state)
                if resp is None:
                    continue  # unchanged since the last crawl
                got, children = parse_sitemap(resp.content, url, rej)
            except SourceError as exc:
                rej.add(url, str(exc).removeprefix(f"{url}: "))
                continue
            entries.extend(got)
            queue.extend(children)
        return entries

    # ------------------------------------------------------------ articles
    def _article(self, e: SitemapEntry) -> Item | None:
        from factwatch.sources.web import extract_article

        base = entry_item(e)
        resp = self.get(e.loc)
        if resp.status >= 400:
            raise SourceError(f"{e.loc}: HTTP {resp.status}")
        title, text, meta = extract_article(resp.text, resp.url)
        if not text and base is None:
            raise SourceError(f"{e.loc}: no article text found")
        host = urlsplit(e.loc).hostname or "?"
        extra = dict(base.extra) if base else {}
        extra.update({k: v for k, v in meta.items() if k in ("sitename", "author", "description")})
        return Item(
            source=f"sitemap:{host}",
            native_id=e.loc,
            text=text or (base.text if base else ""),
            title=e.title or title,
            url=e.loc,
            lang=e.language,
            published_at=e.published_at or e.lastmod,
            author=meta.get("author"),
            extra=extra,
        )

    def crawl(
        self,
        sites: list[str],
        rej: RejectSink,
        state: dict[str, Any] | None = None,
        stop: threading.Event | None = None,
    ) -> Iterator[Item]:
        state = state if state is not None else {}
        stop = stop or threading.Event()
        seen: list[str] = state.setdefault("seen", [])
        seen_set = set(seen)
        todo: list[SitemapEntry] = []
        for site in sites:
            if stop.is_set():
                return
            try:
                entries = self.sitemap_entries(site, rej, state)
            except (SourceError, httpx.HTTPError) as exc:
                rej.add(site, f"cannot crawl: {exc}")
                continue
            rp = self.robots(site)
            for e in entries:
                if e.loc in seen_set:
                    continue
                if not rp.can_fetch(USER_AGENT, e.loc):
                    rej.add(e.loc, "disallowed by robots.txt; not fetched")
                    seen_set.add(e.loc)
                    seen.append(e.loc)
                    continue
                todo.append(e)
        todo = todo[: self.max_articles]
        if not self.fetch_articles:
            for e in todo:
                it = entry_item(e)
                if it is not None:
                    yield it
                seen.append(e.loc)
            del seen[:-MAX_SEEN]
            return
        workers = min(32, max(1, self.per_host * max(1, len(self.hosts))))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            pending: dict[Future[Item | None], SitemapEntry] = {}
            it_todo = iter(todo)
            while True:
                while len(pending) < workers * 2 and not stop.is_set():
                    nxt = next(it_todo, None)
                    if nxt is None:
                        break
                    pending[pool.submit(self._article, nxt)] = nxt
                if not pending:
                    break
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    e = pending.pop(fut)
                    try:
                        item = fut.result()
                    except (SourceError, httpx.HTTPError, ValueError) as exc:
                        rej.add(e.loc, str(exc).removeprefix(f"{e.loc}: "))
                        continue  # not marked seen: tried again next time
                    seen.append(e.loc)
                    if item is not None:
                        yield item
        del seen[:-MAX_SEEN]
