"""Watch mode: run configured sources continuously, each with its own checkpoint.

A config file (TOML) lists sources::

    [defaults]
    interval = 300          # seconds between two polls of a source
    max_backoff = 3600      # longest wait after repeated errors
    allow_private = false   # let URLs reach private/loopback addresses (tests, intranets)

    [[source]]
    name = "vnexpress"      # unique; names the checkpoint
    type = "feed"           # feed | dir | imap | mastodon | bluesky | sitemap
    url = "https://vnexpress.net/rss/tin-moi-nhat.rss"
    interval = 600

    [[source]]
    name = "inbox"
    type = "dir"            # new or changed export files dropped in a folder (any format)
    path = "/srv/factwatch/inbox"
    pattern = "*"

    [[source]]
    name = "desk-mail"
    type = "imap"
    url = "imap://desk@mail.example:993/INBOX"   # password in $FACTWATCH_IMAP_PASSWORD

Each poll stores its items (``Store.add_items``, idempotent) in batches and only then saves the
source's checkpoint (``store.put_state("watch:<name>")``): a crash repeats at most one batch, and
the store drops the repeats.  A failing source waits ``interval``, then twice as long after each
further error (with jitter) up to ``max_backoff``; the others go on.  SIGTERM or SIGINT stops the
loop between two batches.  ``factwatch status`` reads the same states.
"""

from __future__ import annotations

import json
import random
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from factwatch.models import Item
from factwatch.sources.base import RejectSink, SourceError

STATE_PREFIX = "watch:"
INDEX_KEY = "watch:_index"
BATCH = 200


@dataclass
class SourceConfig:
    name: str
    type: str
    options: dict[str, Any]
    interval: float = 300.0
    max_backoff: float = 3600.0
    allow_private: bool = False


def load_config(path: str) -> list[SourceConfig]:
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SourceError(f"{path}: cannot read the watch config ({exc})") from exc
    defaults = raw.get("defaults") or {}
    srcs = raw.get("source")
    if not isinstance(srcs, list) or not srcs:
        raise SourceError(f"{path}: no [[source]] entries")
    out: list[SourceConfig] = []
    seen: set[str] = set()
    for i, s in enumerate(srcs):
        if not isinstance(s, dict) or not s.get("name") or not s.get("type"):
            raise SourceError(f"{path}: [[source]] #{i + 1} needs a name and a type")
        name = str(s["name"])
        if name in seen:
            raise SourceError(f"{path}: two sources named {name!r}")
        seen.add(name)
        if s["type"] not in POLLERS:
            raise SourceError(
                f"{path}: source {name!r} has unknown type {s['type']!r} (known: {', '.join(sorted(POLLERS))})"
            )
        opts = {
            k: v
            for k, v in s.items()
            if k not in ("name", "type", "interval", "max_backoff", "allow_private")
        }
        out.append(
            SourceConfig(
                name=name,
                type=str(s["type"]),
                options=opts,
                interval=float(s.get("interval", defaults.get("interval", 300))),
                max_backoff=float(s.get("max_backoff", defaults.get("max_backoff", 3600))),
                allow_private=bool(s.get("allow_private", defaults.get("allow_private", False))),
            )
        )
    return out


# ---------------------------------------------------------------------------- pollers
# A poller reads what is new since ``checkpoint`` (a dict it updates in place as it yields) and
# stops early when ``stop`` is set.
Poller = Callable[[SourceConfig, dict[str, Any], RejectSink, threading.Event], Iterator[Item]]


def poll_dir(
    cfg: SourceConfig, cp: dict[str, Any], rej: RejectSink, stop: threading.Event
) -> Iterator[Item]:
    from factwatch.sources import read_source

    root = Path(str(cfg.options["path"]))
    if not root.is_dir():
        raise SourceError(f"{root}: no such folder")
    seen: dict[str, list[float]] = cp.setdefault("files", {})
    fmt = cfg.options.get("format")
    for p in sorted(root.glob(str(cfg.options.get("pattern", "*")))):
        if stop.is_set():
            return
        if not p.is_file() or p.name.startswith("."):
            continue
        st = p.stat()
        sig = [st.st_mtime, float(st.st_size)]
        if seen.get(p.name) == sig:
            continue
        if time.time() - st.st_mtime < float(cfg.options.get("settle_seconds", 2)):
            continue  # still being written
        try:
            yield from read_source(str(p), rej, fmt=fmt)
        except SourceError as exc:
            rej.add(str(p), str(exc))
        seen[p.name] = sig


def poll_feed(
    cfg: SourceConfig, cp: dict[str, Any], rej: RejectSink, stop: threading.Event
) -> Iterator[Item]:
    from factwatch.sources.feeds import parse_feed_bytes
    from factwatch.sources.fetch import Fetcher

    url = str(cfg.options["url"])
    headers = {}
    if cp.get("etag"):
        headers["If-None-Match"] = cp["etag"]
    if cp.get("last_modified"):
        headers["If-Modified-Since"] = cp["last_modified"]
    resp = Fetcher(allow_private=cfg.allow_private).fetch(url, headers=headers)
    if resp.status == 304:
        return
    if resp.status >= 400:
        raise SourceError(f"{url}: HTTP {resp.status}")
    yield from parse_feed_bytes(resp.content, url, rej, base_url=resp.url)
    cp["etag"] = resp.headers.get("etag")
    cp["last_modified"] = resp.headers.get("last-modified")


def poll_imap(
    cfg: SourceConfig, cp: dict[str, Any], rej: RejectSink, stop: threading.Event
) -> Iterator[Item]:
    from factwatch.sources.email import read_imap

    for it in read_imap(
        str(cfg.options["url"]), rej, since_uid=int(cp.get("last_uid") or 0), state=cp
    ):
        yield it
        if stop.is_set():
            return


def _lazy(module: str, func: str) -> Poller:
    def run(
        cfg: SourceConfig, cp: dict[str, Any], rej: RejectSink, stop: threading.Event
    ) -> Iterator[Item]:
        import importlib

        return importlib.import_module(f"factwatch.sources.{module}").watch_poll(cfg, cp, rej, stop)  # type: ignore[no-any-return]

    return run


POLLERS: dict[str, Poller] = {
    "dir": poll_dir,
    "feed": poll_feed,
    "imap": poll_imap,
    "mastodon": _lazy("mastodon", "watch_poll"),
    "bluesky": _lazy("bluesky", "watch_poll"),
    "sitemap": _lazy("sitemaps", "watch_poll"),
}


# ---------------------------------------------------------------------------- state
@dataclass
class SourceState:
    checkpoint: dict[str, Any] = field(default_factory=dict)
    status: str = "new"  # new | running | ok | backoff | stopped
    errors: int = 0  # consecutive
    errors_total: int = 0
    last_error: str | None = None
    last_poll: str | None = None
    last_ok: str | None = None
    next_run: float = 0.0
    items_total: int = 0
    rejected_total: int = 0
    last_item_at: str | None = None  # newest published_at seen
    last_item_id: str | None = None

    @classmethod
    def load(cls, store: Any, name: str) -> SourceState:
        raw = store.get_state(STATE_PREFIX + name)
        if not raw:
            return cls()
        try:
            d = json.loads(raw)
            return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})
        except (ValueError, TypeError):
            return cls()

    def save(self, store: Any, name: str) -> None:
        store.put_state(STATE_PREFIX + name, json.dumps(self.__dict__, default=str).encode())


def _iso(dt: datetime | None = None) -> str:
    return (dt or datetime.now(UTC)).isoformat(timespec="seconds")


class _CountingRejections:
    def __init__(self, inner: RejectSink) -> None:
        self.inner = inner
        self.n = 0

    def add(self, where: str, message: str) -> None:
        self.n += 1
        self.inner.add(where, message)


def backoff_delay(cfg: SourceConfig, errors: int, rng: random.Random | None = None) -> float:
    """Seconds to wait after ``errors`` consecutive failures: interval x 2^(errors-1), capped, +-10 %."""
    base = min(cfg.max_backoff, cfg.interval * (2 ** max(0, errors - 1)))
    return base * (0.9 + 0.2 * (rng or random).random())


class Watcher:
    def __init__(
        self,
        store: Any,
        sources: list[SourceConfig],
        rejections: RejectSink,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.sources = sources
        self.rejections = rejections
        self.stop = threading.Event()
        self.log = log or (lambda _m: None)
        self.states = {s.name: SourceState.load(store, s.name) for s in sources}
        names = sorted({*json.loads(store.get_state(INDEX_KEY) or b"[]"), *self.states})
        store.put_state(INDEX_KEY, json.dumps(names).encode())

    def poll_once(self, cfg: SourceConfig) -> int:
        """One poll of one source; returns the number of new items stored."""
        st = self.states[cfg.name]
        st.status = "running"
        st.last_poll = _iso()
        cp = json.loads(json.dumps(st.checkpoint))  # the poller works on a copy
        rej = _CountingRejections(self.rejections)
        new = 0
        batch: list[Item] = []

        def flush() -> None:
            nonlocal new, batch
            if not batch:
                return
            res = self.store.add_items(batch)
            new += res.inserted
            st.items_total += res.inserted
            newest = max((it.published_at for it in batch if it.published_at), default=None)
            if newest and (st.last_item_at is None or newest.isoformat() > st.last_item_at):
                st.last_item_at = _iso(newest)
            st.last_item_id = batch[-1].native_id
            st.checkpoint = json.loads(json.dumps(cp, default=str))
            st.save(self.store, cfg.name)
            batch = []

        try:
            for it in POLLERS[cfg.type](cfg, cp, rej, self.stop):
                batch.append(it)
                if len(batch) >= BATCH:
                    flush()
                if self.stop.is_set():
                    break
            flush()
            st.checkpoint = json.loads(json.dumps(cp, default=str))
        except Exception as exc:  # noqa: BLE001 - any failure of a source is its own, not the loop's
            flush_failed = False
            try:
                flush()
            except Exception:  # noqa: BLE001
                flush_failed = True
            st.errors += 1
            st.errors_total += 1
            st.last_error = f"{type(exc).__name__}: {exc}" + (
                " (and the last batch was not stored)" if flush_failed else ""
            )
            st.status = "backoff"
            st.next_run = time.time() + backoff_delay(cfg, st.errors)
            st.rejected_total += rej.n
            st.save(self.store, cfg.name)
            self.log(
                f"{cfg.name}: error #{st.errors} ({st.last_error}); next try in {st.next_run - time.time():.0f} s"
            )
            return new
        st.errors = 0
        st.status = "stopped" if self.stop.is_set() else "ok"
        st.last_ok = _iso()
        st.rejected_total += rej.n
        st.next_run = time.time() + cfg.interval
        st.save(self.store, cfg.name)
        self.log(f"{cfg.name}: {new} new items")
        return new

    def run_once(self) -> int:
        """Poll every source once now, whatever its schedule; returns the new items stored."""
        total = 0
        for cfg in self.sources:
            if self.stop.is_set():
                break
            total += self.poll_once(cfg)
        return total

    def run(self, max_polls: int | None = None) -> None:
        """Poll sources as they fall due until ``stop`` is set (or ``max_polls`` polls ran)."""
        polls = 0
        while not self.stop.is_set():
            cfg = min(self.sources, key=lambda s: self.states[s.name].next_run)
            wait = self.states[cfg.name].next_run - time.time()
            if wait > 0 and self.stop.wait(wait):
                break
            self.poll_once(cfg)
            polls += 1
            if max_polls is not None and polls >= max_polls:
                break
        for s in self.sources:
            st = self.states[s.name]
            if st.status in ("ok", "running", "new"):
                st.status = "stopped"
                st.save(self.store, s.name)


def read_states(store: Any) -> dict[str, SourceState]:
    names = json.loads(store.get_state(INDEX_KEY) or b"[]")
    return {n: SourceState.load(store, n) for n in names}
