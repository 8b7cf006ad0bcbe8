"""Telegram Desktop JSON export (``result.json``): channels, groups, or a whole account.

Telegram Desktop ("Export chat history", format JSON) writes one object per chat::

    {"name": "...", "type": "public_channel", "id": 1234567890,
     "messages": [{"id": 7, "type": "message", "date": "2024-03-01T08:15:00",
                   "date_unixtime": "1709280900", "from": "...", "from_id": "channel123...",
                   "text": "plain" | ["plain", {"type": "bold", "text": "..."}, ...],
                   "forwarded_from": "...", "reply_to_message_id": 5, "edited": "...",
                   "photo": "photos/photo_1@....jpg", "file": "...", "media_type": "video_file",
                   "reactions": [{"type": "emoji", "count": 3, "emoji": "👍"}]}, ...]}

and a full-account export nests such chats under ``{"chats": {"list": [...]}}``.  Service
messages (joins, pins, title changes) are skipped.  ``date_unixtime`` is UTC; the older
``date`` field is local time without an offset and is read in $FACTWATCH_TZ (default UTC).

A truncated or corrupt export is reported with its line and column, and every whole message
before the damage is still read (the messages array is decoded one message at a time).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from factwatch.models import Item
from factwatch.sources.base import RejectSink, SourceFormat
from factwatch.sources.mapped import check_size, clean, from_epoch, local_zone, to_utc

MEDIA_KEYS = {
    "photo": "photo",
    "file": "file",
    "thumbnail": None,  # a thumbnail of the file above, not media of its own
}
MEDIA_TYPES = {
    "video_file": "video",
    "animation": "animation",
    "voice_message": "audio",
    "audio_file": "audio",
    "video_message": "video",
    "sticker": "sticker",
}
_NOT_EXPORTED = "(File not included. Change data exporting settings to download.)"


def entities_text(text: Any) -> tuple[str, list[str]]:
    """Plain text and links of a Telegram ``text`` field (a string or a list of entities)."""
    if isinstance(text, str):
        return text, []
    if not isinstance(text, list):
        return "", []
    parts: list[str] = []
    links: list[str] = []
    for ent in text:
        if isinstance(ent, str):
            parts.append(ent)
        elif isinstance(ent, dict):
            t = ent.get("text")
            parts.append(t if isinstance(t, str) else "")
            if ent.get("type") == "text_link" and isinstance(ent.get("href"), str):
                links.append(ent["href"])
            elif ent.get("type") == "link" and isinstance(t, str):
                links.append(t)
    return "".join(parts), links


def _time(msg: dict[str, Any], key: str) -> datetime | None:
    unix = msg.get(f"{key}_unixtime")
    if unix not in (None, ""):
        return from_epoch(unix)
    raw = msg.get(key)
    if not raw:
        return None
    return to_utc(datetime.fromisoformat(str(raw)), local_zone())


def message_item(chat: dict[str, Any], msg: dict[str, Any]) -> Item | None:
    """The Item of one message, or None for service messages and empty ones."""
    if msg.get("type", "message") != "message":
        return None
    text, links = entities_text(msg.get("text"))
    media: list[dict[str, Any]] = []
    for key, kind in MEDIA_KEYS.items():
        val = msg.get(key)
        if kind and isinstance(val, str):
            mtype = MEDIA_TYPES.get(str(msg.get("media_type")), kind) if key == "file" else kind
            entry: dict[str, Any] = {"type": mtype}
            if val.startswith("(File not included"):
                entry["missing"] = True
            else:
                entry["path"] = val
            for k in ("mime_type", "width", "height", "duration_seconds", "file_name"):
                if k in msg:
                    entry[k] = msg[k]
            media.append(entry)
    if not text.strip() and not media:
        return None
    chat_id = chat.get("id")
    source = f"telegram:{chat_id}" if chat_id is not None else f"telegram:{clean(chat.get('name'))}"
    extra: dict[str, Any] = {"chat_name": clean(chat.get("name")), "chat_type": chat.get("type")}
    if msg.get("from"):
        extra["author_name"] = clean(msg.get("from"))
    for k in (
        "forwarded_from",
        "saved_from",
        "via_bot",
        "reply_to_message_id",
        "reply_to_peer_id",
        "author",
    ):
        if msg.get(k) not in (None, ""):
            extra[k] = msg[k]
    if links:
        extra["links"] = links
    edited = _time(msg, "edited") if (msg.get("edited") or msg.get("edited_unixtime")) else None
    if edited:
        extra["edited_at"] = edited.isoformat()
    engagement: dict[str, Any] = {}
    reactions = msg.get("reactions")
    if isinstance(reactions, list):
        counts = {}
        for r in reactions:
            if isinstance(r, dict) and isinstance(r.get("count"), int):
                counts[str(r.get("emoji") or r.get("document_id") or r.get("type"))] = r["count"]
        if counts:
            engagement["reactions"] = counts
            engagement["reactions_total"] = sum(counts.values())
    # A public chat's messages have t.me/<username>/<id> links; channels and supergroups have
    # t.me/c/<id>/<msg> links (open to members).  Also keeps media-only messages distinct.
    chat_username = chat.get("username")
    if chat_username:
        url: str | None = f"https://t.me/{chat_username}/{msg.get('id')}"
    elif (
        chat.get("type")
        in ("public_channel", "private_channel", "public_supergroup", "private_supergroup")
        and chat_id is not None
    ):
        url = f"https://t.me/c/{chat_id}/{msg.get('id')}"
    else:
        url = None
    return Item(
        source=source,
        native_id=str(msg.get("id")),
        text=clean(text),
        url=url,
        author=clean(msg.get("from_id") or msg.get("from") or msg.get("actor")) or None,
        published_at=_time(msg, "date"),
        media=media,
        engagement=engagement,
        extra=extra,
    )


def _pos(doc: str, index: int) -> str:
    line = doc.count("\n", 0, index) + 1
    col = index - (doc.rfind("\n", 0, index) + 1) + 1
    return f"{line}:{col}"


_MESSAGES = re.compile(r'"messages"\s*:\s*\[')
_NAME = re.compile(r'"(name|type|id|username)"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)')


_MSG_START = re.compile(r'\{\s*"id"\s*:\s*-?\d+\s*,\s*"type"\s*:')
_SURROGATE = re.compile("[\udc80-\udcff]")


def _bad_bytes(obj: Any) -> bool:
    """True when a decoded message holds bytes that were not UTF-8 (kept as lone surrogates)."""
    return bool(_SURROGATE.search(json.dumps(obj, ensure_ascii=False)))


def _salvage(path: str, doc: str, rejections: RejectSink, error: str, where: str) -> Iterator[Item]:
    """After a whole-file parse error: decode each chat's messages one at a time.

    A damaged message is reported with its line and column and skipped: reading resumes at the
    next ``{"id": N, "type": ...`` that starts a message, so messages after the damage are kept.
    """
    dec = json.JSONDecoder()
    starts = list(_MESSAGES.finditer(doc))
    reported = False
    for k, mm in enumerate(starts):
        limit = starts[k + 1].start() if k + 1 < len(starts) else len(doc)
        header = doc[max(0, mm.start() - 4000) : mm.start()]
        chat: dict[str, Any] = {}
        for km in _NAME.finditer(header):
            with contextlib.suppress(json.JSONDecodeError):
                chat[km.group(1)] = json.loads(km.group(2))
        i = mm.end()
        while i < limit:
            while i < limit and doc[i] in " \t\r\n,":
                i += 1
            if i >= limit or doc[i] == "]":
                break
            try:
                obj, end = dec.raw_decode(doc, i)
            except (json.JSONDecodeError, RecursionError) as exc:
                why = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
                nxt = _MSG_START.search(doc, i + 1, limit)
                if nxt is None and not doc[i:].rstrip().endswith("}"):
                    why = f"the file ends inside this message: truncated? ({why})"
                rejections.add(f"{path}:{_pos(doc, i)}", f"unreadable message skipped: {why}")
                reported = True
                if nxt is None:
                    break
                i = nxt.start()
                continue
            if end > limit:
                break
            where = f"{path}:{_pos(doc, i)}"
            i = end
            if not isinstance(obj, dict) or obj.get("id") is None:
                rejections.add(where, "not a message object")
                continue
            if _bad_bytes(obj):
                rejections.add(where, f"message {obj.get('id')!r} is not UTF-8 text")
                continue
            try:
                item = message_item(chat, obj)
            except (ValueError, TypeError, OverflowError, AttributeError, KeyError) as exc:
                rejections.add(where, f"message {obj.get('id')!r}: {exc}")
                continue
            if item is not None:
                yield item
    if not reported:
        rejections.add(where, error)


def read_telegram(path: str, rejections: RejectSink) -> Iterator[Item]:
    check_size(path)
    with open(path, "rb") as fh:
        raw = fh.read()
    bad_utf8 = False
    try:
        doc = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        rejections.add(
            f"{path}:byte {exc.start}",
            f"not UTF-8 ({exc.reason}); messages holding such bytes are skipped",
        )
        doc = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "surrogateescape")
        bad_utf8 = True
    try:
        data = json.loads(doc)
    except (json.JSONDecodeError, RecursionError) as exc:
        if isinstance(exc, json.JSONDecodeError):
            where, error = f"{path}:{exc.lineno}:{exc.colno}", f"invalid JSON ({exc.msg})"
        else:
            where, error = path, "JSON nested too deeply"
        yield from _salvage(path, doc, rejections, error, where)
        return
    if not isinstance(data, dict):
        rejections.add(path, f"not a Telegram export: top level is a {type(data).__name__}")
        return
    chats: list[Any]
    if isinstance(data.get("messages"), list):
        chats = [data]
    elif isinstance(data.get("chats"), dict) and isinstance(data["chats"].get("list"), list):
        chats = list(data["chats"]["list"])
        left = data.get("left_chats")
        if isinstance(left, dict) and isinstance(left.get("list"), list):
            chats += left["list"]
    else:
        rejections.add(path, "not a Telegram export: no 'messages' list and no 'chats.list'")
        return
    for ci, chat in enumerate(chats):
        if not isinstance(chat, dict) or not isinstance(chat.get("messages"), list):
            rejections.add(f"{path}:chat {ci}", "chat without a 'messages' list")
            continue
        for mi, msg in enumerate(chat["messages"]):
            where = f"{path}:chat {ci} message {mi}"
            if not isinstance(msg, dict):
                rejections.add(where, f"expected a message object, got {type(msg).__name__}")
                continue
            if msg.get("id") is None:
                rejections.add(where, "message without an id")
                continue
            if bad_utf8 and _bad_bytes(msg):
                rejections.add(f"{where} (id {msg.get('id')})", "not UTF-8 text")
                continue
            try:
                item = message_item(chat, msg)
            except (
                ValueError,
                TypeError,
                OverflowError,
                RecursionError,
                AttributeError,
                KeyError,
            ) as exc:
                rejections.add(f"{where} (id {msg.get('id')})", f"bad message: {exc}")
                continue
            if item is not None:
                yield item


def _sniff(name: str, head: bytes) -> bool:
    h = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not h.startswith(b"{"):
        return False
    # Single chat: name/type/id then "messages"; full export: "about" ... "chats".
    return (
        b'"messages"' in h
        and (b'"date_unixtime"' in h or b'"type": "' in h and b'"id"' in h and b'"from_id"' in h)
    ) or (b'"about"' in h and b'"chats"' in h)


FORMAT = SourceFormat(
    name="telegram",
    description="Telegram Desktop JSON export (result.json): channels, groups, full account",
    sniff=_sniff,
    read=read_telegram,
    priority=10,
)
