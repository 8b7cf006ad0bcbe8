"""Bluesky through Jetstream: the websocket stream of ``app.bsky.feed.post`` records as JSON.

Jetstream (``wss://jetstream2.us-east.bsky.network/subscribe``) sends one JSON message per event::

    {"did": "did:plc:...", "time_us": 1725911162329308, "kind": "commit",
     "commit": {"rev": "...", "operation": "create", "collection": "app.bsky.feed.post",
                "rkey": "3l3qo2vutsw2b", "cid": "bafy...",
                "record": {"$type": "app.bsky.feed.post", "text": "...", "langs": ["vi"],
                           "createdAt": "2024-09-09T19:46:02.102Z", "reply": {...}, "embed": {...}}}}

``read_jetstream`` keeps ``create`` commits of posts (optionally only those whose text holds one of
``keywords``, or only ``dids``), for ``duration`` seconds or ``max_items``; ``state["cursor"]``
keeps the last ``time_us`` so a restart resumes a few seconds before it (Jetstream replays from a
cursor), and the store drops what was already seen.  Item: ``source`` = ``bluesky``,
``native_id`` = the ``at://`` URI, ``author`` = the DID, ``url`` = the bsky.app link.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from factwatch.models import Item
from factwatch.sources.base import RejectSink, SourceError
from factwatch.sources.fetch import USER_AGENT, check_url
from factwatch.sources.mapped import clean, from_epoch, parse_time
from factwatch.text.normalize import fold

DEFAULT_URL = "wss://jetstream2.us-east.bsky.network/subscribe"
POST = "app.bsky.feed.post"
MAX_MESSAGE_BYTES = 1024 * 1024
REWIND_US = 5_000_000


def _d(x: Any) -> dict[str, Any]:
    return x if isinstance(x, dict) else {}


def event_item(ev: dict[str, Any]) -> Item | None:
    """The Item of one Jetstream event, None for events that are not a new post."""
    if ev.get("kind") != "commit":
        return None
    c = ev.get("commit")
    if not isinstance(c, dict) or c.get("collection") != POST or c.get("operation") != "create":
        return None
    rec = c.get("record")
    did, rkey = ev.get("did"), c.get("rkey")
    if not isinstance(rec, dict) or not isinstance(did, str) or not isinstance(rkey, str):
        raise ValueError("post commit without did, rkey or record")
    text = clean(rec.get("text"))
    extra: dict[str, Any] = {"cid": c.get("cid")}
    media: list[dict[str, Any]] = []
    embed: dict[str, Any] = rec["embed"] if isinstance(rec.get("embed"), dict) else {}
    if isinstance(embed.get("media"), dict):  # recordWithMedia
        embed = {**embed, **embed["media"]}
    raw_images = embed.get("images")
    images: list[Any] = raw_images if isinstance(raw_images, list) else []
    for img in map(_d, images):
        link = _d(_d(img.get("image")).get("ref")).get("$link")
        if link:
            media.append(
                {
                    "type": "image",
                    "url": f"https://cdn.bsky.app/img/feed_fullsize/plain/{did}/{link}@jpeg",
                    "alt": img.get("alt"),
                }
            )
    ext = embed.get("external")
    if isinstance(ext, dict) and ext.get("uri"):
        extra["link"] = ext["uri"]
        extra["link_title"] = clean(ext.get("title"))
    quoted = embed.get("record")
    if isinstance(quoted, dict):
        uri = quoted.get("uri") or _d(quoted.get("record")).get("uri")
        if uri:
            extra["quotes"] = uri
    reply = rec.get("reply")
    if isinstance(reply, dict):
        extra["reply_to"] = _d(reply.get("parent")).get("uri")
        extra["thread_root"] = _d(reply.get("root")).get("uri")
    if not text and not media:
        return None
    langs = rec.get("langs") if isinstance(rec.get("langs"), list) else []
    created = rec.get("createdAt")
    published: datetime | None
    try:
        published = parse_time(created) if created else from_epoch(int(ev.get("time_us", 0)) / 1e6)
    except ValueError:
        published = (
            from_epoch(int(ev["time_us"]) / 1e6) if isinstance(ev.get("time_us"), int) else None
        )
        extra["bad_created_at"] = str(created)[:60]
    return Item(
        source="bluesky",
        native_id=f"at://{did}/{POST}/{rkey}",
        text=text,
        url=f"https://bsky.app/profile/{did}/post/{rkey}",
        author=did,
        lang=str(langs[0]) if langs else None,
        published_at=published,
        media=media,
        extra={k: v for k, v in extra.items() if v},
    )


def subscribe_url(base: str, cursor: int | None = None, dids: list[str] | None = None) -> str:
    parts = urlsplit(base)
    q: list[tuple[str, str]] = [("wantedCollections", POST)]
    q += [("wantedDids", d) for d in dids or []]
    if cursor:
        q.append(("cursor", str(max(0, cursor - REWIND_US))))
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/subscribe", urlencode(q), ""))


def read_jetstream(
    rejections: RejectSink,
    url: str = DEFAULT_URL,
    keywords: list[str] | None = None,
    dids: list[str] | None = None,
    duration: float = 60.0,
    max_items: int | None = None,
    state: dict[str, Any] | None = None,
    stop: threading.Event | None = None,
    allow_private: bool = False,
) -> Iterator[Item]:
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    scheme = urlsplit(url).scheme
    if scheme not in ("ws", "wss"):
        raise SourceError(f"{url}: a Jetstream URL starts with wss:// (or ws://)")
    check_url(url.replace("ws", "http", 1), allow_private)
    cursor = int(state["cursor"]) if state and state.get("cursor") else None
    full = subscribe_url(url, cursor, dids)
    folded = [fold(k) for k in keywords or [] if k.strip()]
    deadline = time.monotonic() + duration
    n = 0
    try:
        ws = connect(
            full, user_agent_header=USER_AGENT, max_size=MAX_MESSAGE_BYTES, open_timeout=15
        )
    except (OSError, TimeoutError, ValueError) as exc:
        raise SourceError(f"{url}: cannot connect ({exc})") from exc
    with ws:
        while True:
            if (stop is not None and stop.is_set()) or time.monotonic() > deadline:
                return
            try:
                raw = ws.recv(timeout=max(0.05, min(1.0, deadline - time.monotonic())))
            except TimeoutError:
                continue
            except ConnectionClosed as exc:
                if exc.rcvd is not None and exc.rcvd.code == 1000:
                    return
                raise SourceError(f"{url}: connection closed ({exc})") from exc
            try:
                ev = json.loads(raw)
            except (ValueError, RecursionError) as exc:
                rejections.add(f"{url}:message", f"not JSON ({exc})")
                continue
            if not isinstance(ev, dict):
                rejections.add(f"{url}:message", "not a JSON object")
                continue
            if state is not None and isinstance(ev.get("time_us"), int):
                state["cursor"] = max(int(state.get("cursor") or 0), ev["time_us"])
            try:
                item = event_item(ev)
            except (ValueError, TypeError, OverflowError, AttributeError, KeyError) as exc:
                rejections.add(f"{url}:time_us {ev.get('time_us')}", f"bad post event ({exc})")
                continue
            if item is None:
                continue
            if folded and not any(k in fold(item.text) for k in folded):
                continue
            yield item
            n += 1
            if max_items is not None and n >= max_items:
                return


def watch_poll(
    cfg: Any, cp: dict[str, Any], rej: RejectSink, stop: threading.Event
) -> Iterator[Item]:
    """Watch mode: ``type = "bluesky"``, ``url`` (default Jetstream), ``keywords``, ``dids``, ``duration``."""
    yield from read_jetstream(
        rej,
        url=str(cfg.options.get("url", DEFAULT_URL)),
        keywords=list(cfg.options.get("keywords") or []),
        dids=list(cfg.options.get("dids") or []),
        duration=float(cfg.options.get("duration", 60)),
        state=cp,
        stop=stop,
        allow_private=cfg.allow_private,
    )
