"""Mastodon: REST timelines (public, hashtag, account) with Link-header pagination, and streaming.

``MastodonClient(base_url)`` reads:

- ``timeline("public" | "tag:<hashtag>" | "account:<acct>", since_id=...)``: the first read goes
  back through ``rel="next"`` links (``max_id``) up to ``max_pages``; with ``since_id`` it reads
  forward from there (``min_id``, following ``rel="prev"`` links) so nothing between two polls is
  skipped, however many statuses arrived.
- ``stream("public" | "hashtag" | "user", tag=...)``: the Server-Sent Events streaming API
  (``event: update`` / ``data: <status JSON>``), for ``duration`` seconds or until stopped.

A status becomes an Item: ``source`` = ``mastodon:<instance>``, ``native_id`` = the status id,
text from its HTML content (content warning as title), ``author`` = ``user@instance``,
boosts read as the boosted status with ``extra["boosted_by"]``.  Requests go through
``Fetcher`` (SSRF guard, size cap); the stream is checked with ``check_url`` before connecting.
A token, when the instance wants one, comes from ``$FACTWATCH_MASTODON_TOKEN``.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import httpx

from factwatch.models import Item
from factwatch.sources.base import RejectSink, SourceError
from factwatch.sources.email import html_to_text
from factwatch.sources.fetch import USER_AGENT, Fetcher, check_url
from factwatch.sources.mapped import clean, parse_time

_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?(\w+)"?')


def parse_link_header(value: str | None) -> dict[str, str]:
    return {rel: url for url, rel in _LINK.findall(value or "")}


def _d(x: Any) -> dict[str, Any]:
    return x if isinstance(x, dict) else {}


def status_item(st: dict[str, Any], instance: str) -> Item:
    """The Item of one Mastodon status (a boost reads as the boosted status)."""
    extra: dict[str, Any] = {}
    if isinstance(st.get("reblog"), dict):
        acct = _d(st.get("account")).get("acct")
        st = st["reblog"]
        extra["boosted_by"] = acct
    sid = st.get("id")
    if not sid:
        raise ValueError("status without an id")
    acct = str(_d(st.get("account")).get("acct") or "")
    if acct and "@" not in acct:
        acct = f"{acct}@{instance}"
    text = clean(html_to_text(str(st.get("content") or "")))
    if not text and st.get("text"):
        text = clean(st["text"])
    media = [
        {
            "type": m.get("type") or "unknown",
            "url": m.get("url") or m.get("remote_url"),
            "description": m.get("description"),
        }
        for m in st.get("media_attachments") or []
        if isinstance(m, dict)
    ]
    if not text and not media:
        raise ValueError(f"status {sid} has no text and no media")
    for k in (
        "in_reply_to_id",
        "in_reply_to_account_id",
        "sensitive",
        "visibility",
        "edited_at",
        "uri",
    ):
        if st.get(k) not in (None, "", False):
            extra[k] = st[k]
    tags = [t.get("name") for t in st.get("tags") or [] if isinstance(t, dict)]
    if tags:
        extra["tags"] = tags
    card = st.get("card")
    if isinstance(card, dict) and card.get("url"):
        extra["card_url"] = card["url"]
    created = st.get("created_at")
    return Item(
        source=f"mastodon:{instance}",
        native_id=str(sid),
        text=text,
        title=clean(st.get("spoiler_text")) or None,
        url=st.get("url") or st.get("uri"),
        author=acct or None,
        lang=st.get("language"),
        published_at=parse_time(created) if created else None,
        media=[m for m in media if m["url"]],
        engagement={
            k: st[k]
            for k in ("replies_count", "reblogs_count", "favourites_count")
            if isinstance(st.get(k), int)
        },
        extra=extra,
    )


class MastodonClient:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        allow_private: bool = False,
        transport: httpx.BaseTransport | None = None,
        limit: int = 40,
        max_pages: int = 10,
    ) -> None:
        self.base = base_url.rstrip("/")
        self.instance = urlsplit(self.base).hostname or "?"
        self.token = token if token is not None else os.environ.get("FACTWATCH_MASTODON_TOKEN")
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        self.fetcher = Fetcher(allow_private=allow_private, transport=transport, headers=headers)
        self.allow_private = allow_private
        self.transport = transport
        self.limit = limit
        self.max_pages = max_pages

    def _get(self, url: str) -> tuple[Any, dict[str, str]]:
        resp = self.fetcher.fetch(url)
        if resp.status == 429:
            raise SourceError(
                f"{url}: rate limited (HTTP 429), retry after {resp.headers.get('retry-after') or resp.headers.get('x-ratelimit-reset', '?')}"
            )
        if resp.status >= 400:
            raise SourceError(f"{url}: HTTP {resp.status}")
        try:
            return json.loads(resp.content), parse_link_header(resp.headers.get("link"))
        except (ValueError, RecursionError) as exc:
            raise SourceError(f"{url}: not JSON ({exc})") from exc

    def _path(self, timeline: str) -> tuple[str, dict[str, str]]:
        if timeline in ("public", "local"):
            return "/api/v1/timelines/public", {"local": "true"} if timeline == "local" else {}
        if timeline.startswith("tag:"):
            return f"/api/v1/timelines/tag/{quote(timeline[4:].lstrip('#'), safe='')}", {}
        if timeline.startswith("account:"):
            acct = timeline[8:].lstrip("@")
            data, _ = self._get(f"{self.base}/api/v1/accounts/lookup?{urlencode({'acct': acct})}")
            if not isinstance(data, dict) or not data.get("id"):
                raise SourceError(f"{self.base}: no account {acct!r}")
            return f"/api/v1/accounts/{quote(str(data['id']), safe='')}/statuses", {}
        raise SourceError(f"unknown timeline {timeline!r} (public, local, tag:NAME, account:USER)")

    def timeline(
        self,
        timeline: str,
        rejections: RejectSink,
        since_id: str | None = None,
        state: dict[str, Any] | None = None,
    ) -> Iterator[Item]:
        path, params = self._path(timeline)
        params = {**params, "limit": str(self.limit)}
        if since_id:
            params["min_id"] = since_id
        url: str | None = f"{self.base}{path}?{urlencode(params)}"
        rel = "prev" if since_id else "next"
        pages = 0
        while url and pages < self.max_pages:
            data, links = self._get(url)
            pages += 1
            if not isinstance(data, list):
                raise SourceError(f"{url}: expected a list of statuses")
            if not data:
                break
            for st in data:
                if not isinstance(st, dict):
                    rejections.add(url, f"not a status: {type(st).__name__}")
                    continue
                try:
                    item = status_item(st, self.instance)
                except (ValueError, TypeError, OverflowError, AttributeError, KeyError) as exc:
                    rejections.add(f"{url}:status {st.get('id')}", str(exc))
                    continue
                yield item
                if state is not None and str(st.get("id", "")).isdigit():
                    newest = state.get("since_id")
                    if newest is None or int(st["id"]) > int(newest):
                        state["since_id"] = str(st["id"])
            url = links.get(rel)

    def stream(
        self,
        rejections: RejectSink,
        stream: str = "public",
        tag: str | None = None,
        duration: float = 60.0,
        stop: threading.Event | None = None,
    ) -> Iterator[Item]:
        """Statuses from the streaming API (SSE) for ``duration`` seconds (or until ``stop``)."""
        params = {"tag": tag} if tag else {}
        url = f"{self.base}/api/v1/streaming/{stream}" + (f"?{urlencode(params)}" if params else "")
        check_url(url, self.allow_private, resolve=self.transport is None)
        headers = {
            "User-Agent": USER_AGENT,
            "Accept": "text/event-stream",
            **({"Authorization": f"Bearer {self.token}"} if self.token else {}),
        }
        deadline = time.monotonic() + duration
        timeout = httpx.Timeout(10.0, read=min(30.0, max(1.0, duration)))
        with (
            httpx.Client(
                transport=self.transport, timeout=timeout, follow_redirects=False
            ) as client,
            client.stream("GET", url, headers=headers) as resp,
        ):
            if resp.status_code >= 400:
                raise SourceError(f"{url}: HTTP {resp.status_code}")
            event, data = "", []
            try:
                for line in resp.iter_lines():
                    if (stop is not None and stop.is_set()) or time.monotonic() > deadline:
                        return
                    if line.startswith(":"):
                        continue  # heartbeat
                    if line.startswith("event:"):
                        event = line[6:].strip()
                    elif line.startswith("data:"):
                        data.append(line[5:].strip())
                        if len(data) > 10_000:
                            raise SourceError(f"{url}: event larger than the limit")
                    elif line == "":
                        if event == "update" and data:
                            try:
                                yield status_item(json.loads("\n".join(data)), self.instance)
                            except (
                                ValueError,
                                TypeError,
                                RecursionError,
                                OverflowError,
                                AttributeError,
                                KeyError,
                            ) as exc:
                                rejections.add(f"{url}:event", f"bad status ({exc})")
                        event, data = "", []
            except httpx.ReadTimeout:
                return  # quiet stream: the window is over


def read_mastodon_url(
    url: str, rejections: RejectSink, allow_private: bool = False
) -> Iterator[Item]:
    """``https://instance/tags/NAME``, ``https://instance/@user`` or ``https://instance/public``."""
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}"
    path = parts.path.rstrip("/")
    if path.startswith("/tags/"):
        tl = "tag:" + path[6:]
    elif path.startswith("/@"):
        tl = "account:" + path[2:]
    else:
        tl = "public"
    yield from MastodonClient(base, allow_private=allow_private).timeline(tl, rejections)


def watch_poll(
    cfg: Any, cp: dict[str, Any], rej: RejectSink, stop: threading.Event
) -> Iterator[Item]:
    """Watch mode: ``type = "mastodon"``, ``url`` = the instance, ``timeline`` (default "public"),
    or ``stream = "public" | "hashtag" | "user"`` (with ``tag``) to listen ``duration`` seconds a poll."""
    client = MastodonClient(
        str(cfg.options["url"]),
        allow_private=cfg.allow_private,
        max_pages=int(cfg.options.get("max_pages", 10)),
    )
    if cfg.options.get("stream"):
        yield from client.stream(
            rej,
            str(cfg.options["stream"]),
            tag=cfg.options.get("tag"),
            duration=float(cfg.options.get("duration", 60)),
            stop=stop,
        )
        return
    yield from client.timeline(
        str(cfg.options.get("timeline", "public")), rej, since_id=cp.get("since_id"), state=cp
    )
