"""Videos downloaded with yt-dlp: ``NAME.info.json`` plus subtitles ``NAME.LANG.vtt|srt`` beside it.

``yt-dlp --write-info-json --write-subs --write-auto-subs --sub-langs 'vi,fr,en' --skip-download``
writes exactly this.  The transcript (manual subtitles preferred over automatic ones, the
video's own language first) becomes the Item's text, with the timed segments in
``extra["segments"]`` so a reviewer can jump to the moment a claim is made; without subtitles the
description is the text.  ``source`` = ``video:<extractor>`` (``video:youtube``), ``native_id`` =
the platform's video id.

YouTube's automatic captions repeat each line as it scrolls; repeated lines are dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from factwatch.models import Item
from factwatch.sources.base import RejectSink, SourceFormat
from factwatch.sources.mapped import check_size, clean, from_epoch, parse_time

MAX_INFO_BYTES = 64 * 1024 * 1024
MAX_SUB_BYTES = 32 * 1024 * 1024
MAX_SEGMENTS = 5000
_TIMING = re.compile(
    r"^\s*(?P<a>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<b>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})"
)
_TAG = re.compile(r"<[^>]{0,200}>")


def _secs(ts: str) -> float:
    parts = ts.replace(",", ".").split(":")
    out = 0.0
    for p in parts:
        out = out * 60 + float(p)
    return round(out, 3)


def parse_subtitles(text: str) -> list[tuple[float, float, str]]:
    """Cues of a WebVTT or SRT file as (start s, end s, text), rolling repeats removed."""
    import html

    cues: list[tuple[float, float, str]] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = 0
    n = len(lines)
    last_line = ""
    while i < n:
        m = _TIMING.match(lines[i])
        if not m:
            i += 1
            continue
        start, end = _secs(m.group("a")), _secs(m.group("b"))
        i += 1
        body: list[str] = []
        while i < n and lines[i].strip() and not _TIMING.match(lines[i]):
            body.append(lines[i])
            i += 1
        # An SRT cue number just before the next timing belongs to the next cue.
        if body and body[-1].strip().isdigit() and i < n and _TIMING.match(lines[i]):
            body.pop()
        new: list[str] = []
        for raw in body:
            line = html.unescape(_TAG.sub("", raw)).strip()
            if not line or line == last_line:
                continue
            new.append(line)
            last_line = line
        if new:
            cues.append((start, end, " ".join(new)))
    return cues


def _sub_files(info_path: Path, video_id: str, lang: str | None) -> list[Path]:
    base = info_path.name[: -len(".info.json")]
    cands = [
        p
        for p in info_path.parent.glob(f"{glob_escape(base)}.*")
        if p.suffix.lower() in (".vtt", ".srt")
    ]

    def rank(p: Path) -> tuple[int, int, str]:
        sub_lang = p.name[len(base) + 1 :].rsplit(".", 1)[0]
        auto = 1 if sub_lang.endswith(("-orig", "auto")) or ".auto" in sub_lang else 0
        own = 0 if lang and sub_lang.split("-")[0] == lang.split("-")[0] else 1
        return (own, auto, sub_lang)

    return sorted(cands, key=rank)


def glob_escape(s: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", s)


def read_info(path: str, rejections: RejectSink) -> Iterator[Item]:
    check_size(path, MAX_INFO_BYTES)
    raw = Path(path).read_bytes()
    try:
        info = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        rejections.add(f"{path}:byte {exc.start}", f"not UTF-8 ({exc.reason})")
        return
    except json.JSONDecodeError as exc:
        rejections.add(f"{path}:{exc.lineno}:{exc.colno}", f"invalid JSON ({exc.msg})")
        return
    except RecursionError:
        rejections.add(path, "JSON nested too deeply")
        return
    if not isinstance(info, dict) or not info.get("id"):
        rejections.add(path, "not a yt-dlp info.json: no video 'id'")
        return
    if info.get("_type") == "playlist":
        rejections.add(path, "a playlist info.json: ingest each video's own .info.json")
        return
    vid = str(info["id"])
    lang = info.get("language") if isinstance(info.get("language"), str) else None
    segments: list[tuple[float, float, str]] = []
    sub_used = None
    for sub in _sub_files(Path(path), vid, lang):
        if sub.stat().st_size > MAX_SUB_BYTES:
            rejections.add(str(sub), f"subtitle file over {MAX_SUB_BYTES} bytes")
            continue
        try:
            segments = parse_subtitles(sub.read_bytes().decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            rejections.add(f"{sub}:byte {exc.start}", f"subtitles not UTF-8 ({exc.reason})")
            continue
        if segments:
            sub_used = sub.name
            break
    transcript = clean(" ".join(s[2] for s in segments))
    description = clean(info.get("description"))
    published = None
    try:
        if info.get("timestamp") not in (None, ""):
            published = from_epoch(info["timestamp"])
        elif info.get("release_timestamp") not in (None, ""):
            published = from_epoch(info["release_timestamp"])
        elif info.get("upload_date"):
            published = parse_time(str(info["upload_date"]), "%Y%m%d")
    except (ValueError, TypeError, OverflowError, AttributeError, KeyError) as exc:
        rejections.add(path, f"bad upload time ({exc})")
        return
    text = transcript or description or clean(info.get("title"))
    if not text:
        rejections.add(path, "video without transcript, description or title")
        return
    engagement = {
        k.removesuffix("_count") + "s": info[k]
        for k in ("view_count", "like_count", "comment_count", "repost_count")
        if isinstance(info.get(k), int)
    }
    extra: dict[str, Any] = {
        k: info[k]
        for k in ("channel", "channel_id", "uploader", "duration", "tags", "categories", "language")
        if info.get(k) not in (None, "", [])
    }
    if description and transcript:
        extra["description"] = description[:20000]
    if sub_used:
        extra["subtitles"] = sub_used
        extra["segments"] = [[a, b, t] for a, b, t in segments[:MAX_SEGMENTS]]
    media: list[dict[str, Any]] = [
        {"type": "video", "url": info.get("webpage_url") or info.get("original_url")}
    ]
    if isinstance(info.get("thumbnail"), str):
        media.append({"type": "thumbnail", "url": info["thumbnail"]})
    extractor = (
        str(info.get("extractor_key") or info.get("extractor") or "video").lower().split(":")[0]
    )
    yield Item(
        source=f"video:{extractor}",
        native_id=vid,
        text=text,
        title=clean(info.get("title")) or None,
        url=info.get("webpage_url") if isinstance(info.get("webpage_url"), str) else None,
        author=clean(info.get("uploader_id") or info.get("channel_id") or info.get("uploader"))
        or None,
        lang=lang,
        published_at=published,
        media=[m for m in media if m.get("url")],
        engagement=engagement,
        extra=extra,
    )


def _sniff(name: str, head: bytes) -> bool:
    if name.endswith(".info.json"):
        return True
    h = head.lstrip()
    return h.startswith(b"{") and b'"extractor' in h and b'"webpage_url"' in h


FORMAT = SourceFormat(
    name="video",
    description="yt-dlp .info.json with .vtt/.srt subtitles beside it (transcript as text)",
    sniff=_sniff,
    read=read_info,
    priority=12,
)
