"""Posts as JSON Lines or CSV: ``id, text, title?, url?, author?, published_at?, lang?, source?``."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from factwatch.models import Item
from factwatch.sources.base import RejectSink, SourceFormat
from factwatch.sources.dates import parse_datetime
from factwatch.text.normalize import normalize_text

MAX_TEXT_CHARS = 200_000
MAX_FIELD_CHARS = 10_000
csv.field_size_limit(MAX_TEXT_CHARS * 4)


def item_from_record(rec: dict[str, Any], default_source: str) -> Item:
    """Validate one post record; raises ``ValueError`` with a one-line reason."""
    rid = rec.get("id")
    if rid is None or (isinstance(rid, str) and not rid.strip()):
        raise ValueError("missing 'id'")
    if not isinstance(rid, str | int) or isinstance(rid, bool):
        raise ValueError(f"'id' must be a string or integer, got {type(rid).__name__}")
    text = rec.get("text")
    title = rec.get("title")
    if text is not None and not isinstance(text, str):
        raise ValueError(f"'text' must be a string, got {type(text).__name__}")
    if title is not None and not isinstance(title, str):
        raise ValueError(f"'title' must be a string, got {type(title).__name__}")
    text = normalize_text(text or "")
    title = normalize_text(title) if title else None
    if not text and not title:
        raise ValueError("missing 'text' (and no 'title')")
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"'text' longer than {MAX_TEXT_CHARS} characters")
    fields: dict[str, str | None] = {}
    for key in ("url", "author", "lang", "source"):
        val = rec.get(key)
        if val is not None and not isinstance(val, str):
            raise ValueError(f"'{key}' must be a string, got {type(val).__name__}")
        if val is not None and len(val) > MAX_FIELD_CHARS:
            raise ValueError(f"'{key}' longer than {MAX_FIELD_CHARS} characters")
        fields[key] = normalize_text(val) if val else None
    published = rec.get("published_at")
    published_at = parse_datetime(published) if published not in (None, "") else None
    raw_engagement, raw_media = rec.get("engagement"), rec.get("media")
    engagement: dict[str, Any] = raw_engagement if isinstance(raw_engagement, dict) else {}
    media: list[Any] = raw_media if isinstance(raw_media, list) else []
    return Item(
        source=fields["source"] or default_source,
        native_id=str(rid).strip(),
        text=text or (title or ""),
        title=title,
        url=fields["url"],
        author=fields["author"],
        lang=(fields["lang"] or None),
        published_at=published_at,
        engagement=engagement,
        media=[m for m in media if isinstance(m, dict)],
    )


def read_jsonl(path: str, rejections: RejectSink) -> Iterator[Item]:
    from factwatch.cli._io import Rejections
    from factwatch.cli._io import read_jsonl as _lines

    local = Rejections(quiet=True)
    default_source = f"file:{Path(path).name}"
    for lineno, rec in _lines(path, local):
        try:
            yield item_from_record(rec, default_source)
        except ValueError as exc:
            rejections.add(f"{path}:{lineno}", str(exc))
    for msg in local.items:
        where, _, text = msg.partition(": ")
        rejections.add(where, text)


def read_csv(path: str, rejections: RejectSink) -> Iterator[Item]:
    default_source = f"file:{Path(path).name}"
    with open(path, "rb") as fh:
        raw = fh.read()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        rejections.add(f"{path}:byte {exc.start}", "not UTF-8 text")
        content = raw.decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(content, newline=""))
    if not reader.fieldnames or "id" not in reader.fieldnames:
        rejections.add(
            f"{path}:1", f"CSV header must include 'id' and 'text', got {reader.fieldnames}"
        )
        return
    while True:
        try:
            rec = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            rejections.add(f"{path}:{reader.line_num}", f"bad CSV ({exc})")
            continue
        if None in rec:
            rejections.add(f"{path}:{reader.line_num}", "more fields than the header")
            continue
        if "\x00" in "".join(v or "" for v in rec.values()):
            rejections.add(f"{path}:{reader.line_num}", "NUL byte in a field")
            continue
        try:
            yield item_from_record(
                {k: (v if v != "" else None) for k, v in rec.items()}, default_source
            )
        except ValueError as exc:
            rejections.add(f"{path}:{reader.line_num}", str(exc))


def _sniff_jsonl(name: str, head: bytes) -> bool:
    if name.lower().endswith((".jsonl", ".ndjson")):
        return True
    first = head.lstrip()[:1]
    if first != b"{":
        return False
    line = head.lstrip().split(b"\n", 1)[0]
    try:
        obj = json.loads(line)
    except ValueError:
        return False
    return isinstance(obj, dict) and ("text" in obj or "title" in obj) and "id" in obj


def _sniff_csv(name: str, head: bytes) -> bool:
    if not name.lower().endswith((".csv", ".tsv")):
        return False
    header = head.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace").lower()
    return "id" in header and ("text" in header or "title" in header)


FORMATS = [
    SourceFormat(
        "jsonl",
        "JSON Lines posts (id, text, title?, url?, author?, published_at?, lang?, source?)",
        _sniff_jsonl,
        read_jsonl,
        priority=80,
    ),
    SourceFormat(
        "csv",
        "CSV posts with a header (id, text, title?, url?, author?, published_at?, lang?, source?)",
        _sniff_csv,
        read_csv,
        priority=80,
    ),
]
