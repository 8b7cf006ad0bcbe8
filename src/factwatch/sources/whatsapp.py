"""WhatsApp chat export (``.txt``, or the ``.zip`` that holds it): Android and iOS, any locale.

Android writes ``DATE, TIME - Author: text`` and iOS ``[DATE, TIME] Author: text``; the date is
d/m/y, m/d/y or y-m-d with ``/``, ``.`` or ``-`` and a 2- or 4-digit year, the time 24-hour or
12-hour (``AM``/``PM``, ``a.m.``, Vietnamese ``SA``/``CH``).  The day/month order is decided per
file from the dates themselves (a first field above 12 means d/m); when no date tells, 12-hour
files are read m/d (US) and 24-hour ones d/m (vi, fr and most of the world).  Times carry no
offset: they are read in $FACTWATCH_TZ (default UTC).

Lines without a date header continue the message above (multi-line messages).  Messages without
an ``Author:`` (joins, encryption notices, subject changes) and deleted messages are skipped;
"media omitted" lines in any of the known languages become a media entry marked missing, and
attached files become a media entry with their path.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from factwatch.models import Item
from factwatch.sources.base import RejectSink, SourceFormat
from factwatch.sources.mapped import check_size, clean, local_zone, stable_id, to_utc

MAX_LINE_BYTES = 1024 * 1024
MAX_ZIP_MEMBER_BYTES = 512 * 1024 * 1024
MAX_ZIP_RATIO = 200

_DATE = r"(?P<d>\d{1,4}[./-]\d{1,2}[./-]\d{1,4})\.?"
_TIME = r"(?P<t>\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)"
_AMPM = r"(?:[\s\u202f\u00a0]?(?P<ap>[AaPp]\.?\s?[Mm]\.?|SA|CH|sáng|chiều|vorm\.|nachm\.))?"
ANDROID = re.compile(rf"^\u200e?{_DATE},?\s{_TIME}{_AMPM}\s[-–]\s(?P<rest>.*)$")
IOS = re.compile(rf"^\u200e?\[{_DATE},?\s{_TIME}{_AMPM}\]\s(?P<rest>.*)$")

MEDIA_OMITTED = re.compile(
    r"^\u200e?(?:<(?:Media omitted|Médias? omis|Tệp đính kèm bị bỏ qua|Đã bỏ qua tệp phương tiện|"
    r"Phương tiện bị bỏ qua|Medien ausgeschlossen|Multimedia omitido|Arquivo de mídia oculto)>|"
    r"(?P<kind>image|video|audio|sticker|GIF|document|photo|vidéo|hình ảnh|âm thanh|nhãn dán)"
    r"\s(?:omitted|absente?|omise?|bị bỏ qua|đã bị bỏ qua))$",
    re.IGNORECASE,
)
ATTACHED_ANDROID = re.compile(
    r"^\u200e?(?P<file>\S.*?\.\w{2,5})\s\((?:file attached|fichier joint|tệp đính kèm|Datei angehängt|archivo adjunto)\)$",
    re.IGNORECASE,
)
ATTACHED_IOS = re.compile(
    r"^\u200e?<(?:attached|pièce jointe|đính kèm|Anhang|adjunto)\s?:\s?(?P<file>[^>]+)>$",
    re.IGNORECASE,
)
DELETED = re.compile(
    r"^\u200e?(?:This message was deleted\.?|You deleted this message\.?|Ce message a été supprimé\.?|"
    r"Vous avez supprimé ce message\.?|Tin nhắn này đã bị xóa\.?|Tin nhắn này đã bị xoá\.?|Bạn đã xóa tin nhắn này\.?|Bạn đã xoá tin nhắn này\.?)$",
    re.IGNORECASE,
)
EDITED = re.compile(
    r"\s?\u200e?<(?:This message was edited|Ce message a été modifié|Tin nhắn này đã được chỉnh sửa|Đã chỉnh sửa)>$",
    re.IGNORECASE,
)

_EXT_KIND = {
    "jpg": "image", "jpeg": "image", "png": "image", "webp": "sticker", "gif": "image",
    "mp4": "video", "3gp": "video", "mov": "video", "opus": "audio", "ogg": "audio",
    "m4a": "audio", "mp3": "audio", "pdf": "document", "vcf": "contact",
}  # fmt: skip
_KIND_WORD = {
    "photo": "image",
    "hình ảnh": "image",
    "vidéo": "video",
    "âm thanh": "audio",
    "nhãn dán": "sticker",
    "gif": "image",
}


@dataclass
class _Msg:
    lineno: int
    date: str
    time: str
    ampm: str | None
    author: str
    lines: list[str] = field(default_factory=list)
    partial: bool = False


def _date_order(dates: list[str], twelve_hour: bool) -> str:
    first_big = second_big = False
    for d in dates:
        a, b, _c = re.split(r"[./-]", d)
        if len(a) == 4:
            return "ymd"
        if int(a) > 12:
            first_big = True
        if int(b) > 12:
            second_big = True
    if first_big and not second_big:
        return "dmy"
    if second_big and not first_big:
        return "mdy"
    return "mdy" if twelve_hour else "dmy"


def _when(m: _Msg, order: str) -> datetime:
    a, b, c = (int(x) for x in re.split(r"[./-]", m.date))
    y, mo, d = (a, b, c) if order == "ymd" else (c, b, a) if order == "dmy" else (c, a, b)
    if y < 100:
        y += 2000
    parts = [int(x) for x in re.split(r"[:.]", m.time)]
    hh, mm, ss = parts[0], parts[1], parts[2] if len(parts) > 2 else 0
    if m.ampm:
        pm = m.ampm.strip().lower().replace(".", "").replace(" ", "") in (
            "pm",
            "ch",
            "chiều",
            "nachm",
        )
        if not 1 <= hh <= 12:
            raise ValueError(f"hour {hh} in a 12-hour time")
        hh = (hh % 12) + (12 if pm else 0)
    return to_utc(datetime(y, mo, d, hh, mm, ss), local_zone())


def _chat_name(path: str) -> str:
    p = Path(path)
    if p.name.lower() in ("_chat.txt", "chat.txt") and p.parent.name:
        return p.parent.name
    return p.stem


def _lines(
    path: str, data: bytes | None, rejections: RejectSink
) -> Iterator[tuple[int, str, bool]]:
    """(line number, text, rejected?) for each line; a rejected line comes decoded leniently."""
    fh = open(path, "rb") if data is None else None  # noqa: SIM115
    src = fh if fh is not None else iter(data.splitlines(keepends=True))  # type: ignore[union-attr]
    try:
        for lineno, raw in enumerate(src, start=1):
            if len(raw) > MAX_LINE_BYTES:
                rejections.add(f"{path}:{lineno}", f"line longer than {MAX_LINE_BYTES} bytes")
                yield lineno, raw[:200].decode("utf-8", "replace"), True
                continue
            if b"\x00" in raw:
                col = raw.index(b"\x00") + 1
                rejections.add(f"{path}:{lineno}", f"NUL byte at column {col}")
                yield lineno, raw.decode("utf-8", "replace"), True
                continue
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                rejections.add(f"{path}:{lineno}", f"not UTF-8 ({exc.reason} at byte {exc.start})")
                yield lineno, raw.decode("utf-8", "replace"), True
                continue
            yield lineno, line.rstrip("\r\n"), False
    finally:
        if fh is not None:
            fh.close()


def parse_chat(
    path: str, rejections: RejectSink, data: bytes | None = None, chat: str | None = None
) -> Iterator[Item]:
    msgs: list[_Msg] = []
    cur: _Msg | None = None
    preamble_reported = False
    for lineno, line, bad in _lines(path, data, rejections):
        m = ANDROID.match(line) or IOS.match(line)
        if bad:
            # A rejected header line drops its whole message (its continuation lines with it);
            # a rejected continuation line drops only itself and marks its message partial.
            if m:
                cur = None
            elif cur is not None:
                cur.partial = True
            continue
        if m:
            rest = m.group("rest")
            if ": " in rest:
                author, text = rest.split(": ", 1)
                cur = _Msg(
                    lineno,
                    m.group("d"),
                    m.group("t"),
                    m.group("ap"),
                    author.strip("\u200e "),
                    [text],
                )
                msgs.append(cur)
            else:
                msgs.append(
                    _Msg(lineno, m.group("d"), m.group("t"), m.group("ap"), "", [])
                )  # system: dates only
                cur = None
        elif cur is not None:
            cur.lines.append(line)
        elif line.strip() and not msgs and not preamble_reported:
            rejections.add(f"{path}:{lineno}", "not a WhatsApp message line (no date header)")
            preamble_reported = True
    real = msgs
    if not real:
        if data is None and not preamble_reported:
            rejections.add(path, "no WhatsApp message found")
        return
    order = _date_order([x.date for x in real], any(x.ampm for x in real))
    name = chat or _chat_name(path)
    seen: dict[str, int] = {}
    for msg in real:
        if not msg.author:
            continue  # system message
        text = "\n".join(msg.lines)
        extra: dict[str, Any] = {"chat": name, "date_order": order}
        if msg.partial:
            extra["partial"] = True  # one of its lines was rejected
        media: list[dict[str, Any]] = []
        if EDITED.search(text):
            text = EDITED.sub("", text)
            extra["edited"] = True
        first, _, rest = text.partition("\n")
        first_s = first.strip()
        if DELETED.match(first_s) and not rest.strip():
            continue
        om = MEDIA_OMITTED.match(first_s)
        at = ATTACHED_ANDROID.match(first_s) or ATTACHED_IOS.match(first_s)
        if om:
            kind = (om.group("kind") or "media").lower()
            media.append({"type": _KIND_WORD.get(kind, kind), "missing": True})
            text = rest
        elif at:
            fname = at.group("file").strip()
            media.append(
                {"type": _EXT_KIND.get(fname.rsplit(".", 1)[-1].lower(), "file"), "path": fname}
            )
            text = rest
        elif first_s.startswith("\u200e") and not rest.strip():
            continue  # iOS system notice written as "Group: \u200e... added ..."
        text = clean(text)
        if not text and not any(x.get("path") for x in media):
            continue  # nothing to read: no text, and the media was not exported
        try:
            when = _when(msg, order)
        except ValueError as exc:
            rejections.add(f"{path}:{msg.lineno}", f"impossible date {msg.date} {msg.time} ({exc})")
            continue
        key = stable_id(name, when.isoformat(), msg.author, text, [x.get("path") for x in media])
        n = seen.get(key, 0)
        seen[key] = n + 1
        yield Item(
            source=f"whatsapp:{name}",
            native_id=key if n == 0 else f"{key}-{n}",
            text=text,
            author=clean(msg.author) or None,
            published_at=when,
            media=media,
            extra=extra,
        )


def _read_zip(path: str, rejections: RejectSink) -> Iterator[Item]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        rejections.add(path, f"not a readable zip archive ({exc})")
        return
    with zf:
        chats = [i for i in zf.infolist() if i.filename.lower().endswith(".txt") and not i.is_dir()]
        if not chats:
            rejections.add(path, "zip archive holds no chat .txt file")
            return
        for info in chats:
            where = f"{path}!{info.filename}"
            if info.file_size > MAX_ZIP_MEMBER_BYTES or (
                info.compress_size and info.file_size / max(info.compress_size, 1) > MAX_ZIP_RATIO
            ):
                rejections.add(
                    where,
                    f"refused: {info.file_size} bytes from {info.compress_size} compressed (zip bomb?)",
                )
                continue
            try:
                with zf.open(info) as fh:
                    data = fh.read(MAX_ZIP_MEMBER_BYTES + 1)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                rejections.add(where, f"cannot unpack ({exc})")
                continue
            if len(data) > MAX_ZIP_MEMBER_BYTES:
                rejections.add(where, "refused: unpacks past its declared size (zip bomb?)")
                continue
            inner = Path(info.filename)
            chat = (
                inner.parent.name
                if inner.name.lower() == "_chat.txt" and inner.parent.name
                else (Path(path).stem if inner.name.lower() == "_chat.txt" else inner.stem)
            )
            yield from parse_chat(where, rejections, data=data, chat=chat)


def read_whatsapp(path: str, rejections: RejectSink) -> Iterator[Item]:
    with open(path, "rb") as fh:
        magic = fh.read(4)
    if magic == b"PK\x03\x04":
        yield from _read_zip(path, rejections)
        return
    check_size(path)
    yield from parse_chat(path, rejections)


def _sniff(name: str, head: bytes) -> bool:
    if head.startswith(b"PK\x03\x04"):
        # The first member's name sits in the local header at offset 30.
        n = int.from_bytes(head[26:28], "little")
        first = head[30 : 30 + n].decode("utf-8", "ignore").lower()
        return first.endswith(".txt") and ("chat" in first or "whatsapp" in first)
    text = head[:8192].decode("utf-8", "ignore").lstrip("\ufeff")
    lines = [ln for ln in text.splitlines()[:20] if ln.strip()]
    hits = sum(1 for ln in lines if ANDROID.match(ln) or IOS.match(ln))
    return hits >= 1 and hits * 2 >= min(len(lines), 6)


FORMAT = SourceFormat(
    name="whatsapp",
    description="WhatsApp chat export (.txt or .zip; Android and iOS, any locale)",
    sniff=_sniff,
    read=read_whatsapp,
    priority=15,
)
