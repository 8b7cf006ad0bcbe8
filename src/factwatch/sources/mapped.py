"""Any CSV or JSON platform export, read through a small column-mapping file.

A mapping file (TOML or YAML) says where the data is and which column is what::

    # tiktok-export.mapping.toml
    input = "tiktok_posts.csv"        # relative to this file; a glob is allowed
    format = "csv"                    # csv | json | jsonl (default: from the input's extension)
    source = "tiktok:export-2024-05"  # the Item.source of every record
    delimiter = ","                   # csv only
    encoding = "utf-8"                # any Python codec name (utf-8-sig, cp1258, latin-1 ...)
    records = "data.items"            # json only: dotted path to the list of records

    [columns]                         # dotted paths work in JSON records ("user.handle")
    id = "video_id"
    text = "caption"
    author = "author_handle"
    time = "created_at"
    url = "link"
    title = "headline"                # optional
    lang = "language"                 # optional

    [time]
    format = "%d/%m/%Y %H:%M"         # strptime format, or "iso", "unix", "unix_ms"
    timezone = "Asia/Ho_Chi_Minh"     # for times written without an offset (default UTC)

    [engagement]                      # Item.engagement name -> column
    likes = "digg_count"
    shares = "share_count"

    [extra]                           # Item.extra name -> column
    music = "music_title"

``factwatch ingest tiktok-export.mapping.toml`` then reads the export.  A record without an id
gets a stable hash of its text, author and time.  The helpers at the top (``to_utc``,
``parse_time``, ``stable_id``) are shared by the other chat/e-mail connectors.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from factwatch.models import Item
from factwatch.sources.base import RejectSink, SourceError, SourceFormat
from factwatch.text.normalize import normalize_text

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_FIELD_CHARS = 1_000_000
MIN_YEAR, MAX_YEAR = 1990, 2100


# ---------------------------------------------------------------------------- shared helpers
def local_zone(name: str | None = None) -> tzinfo:
    """The zone for times written without an offset: ``name``, else $FACTWATCH_TZ, else UTC."""
    name = name or os.environ.get("FACTWATCH_TZ")
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SourceError(f"unknown time zone {name!r}") from exc


def to_utc(dt: datetime, zone: tzinfo | None = None) -> datetime:
    """Aware UTC; a naive time is read in ``zone`` (default UTC).  Refuses implausible years."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=zone or UTC)
    out = dt.astimezone(UTC)
    if not MIN_YEAR <= out.year <= MAX_YEAR:
        raise ValueError(f"implausible date {out.isoformat()}")
    return out


def from_epoch(value: float | int | str, millis: bool = False) -> datetime:
    v = float(value)
    if millis:
        v /= 1000.0
    if v != v or v in (float("inf"), float("-inf")):
        raise ValueError(f"not a time: {value!r}")
    try:
        return to_utc(datetime.fromtimestamp(v, UTC))
    except (OverflowError, OSError) as exc:
        raise ValueError(f"impossible timestamp {value!r}") from exc


def parse_time(value: Any, fmt: str = "iso", zone: tzinfo | None = None) -> datetime:
    """Parse ``value`` as ``fmt`` ("iso", "unix", "unix_ms" or a strptime format) to aware UTC."""
    if value is None or value == "":
        raise ValueError("empty time")
    if fmt == "unix":
        return from_epoch(value)
    if fmt == "unix_ms":
        return from_epoch(value, millis=True)
    s = str(value).strip()
    if fmt == "iso":
        if s.endswith(("Z", "z")):
            s = s[:-1] + "+00:00"
        try:
            dt = datetime.fromisoformat(s)
        except ValueError:
            if s.replace(".", "", 1).isdigit():
                return from_epoch(s, millis=len(s.split(".")[0]) >= 13)
            from email.utils import parsedate_to_datetime

            try:
                dt = parsedate_to_datetime(s)  # RFC 2822, as many exports write
            except (TypeError, ValueError, IndexError) as exc:
                raise ValueError(f"not an ISO 8601 time: {s[:60]!r}") from exc
        return to_utc(dt, zone)
    return to_utc(datetime.strptime(s, fmt), zone)


def stable_id(*parts: Any) -> str:
    """A short stable hash of the parts, for records that carry no id of their own."""
    h = hashlib.sha256()
    for p in parts:
        h.update(str(p).encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()[:24]


def clean(text: Any) -> str:
    if text is None:
        return ""
    s = str(text)
    if len(s) > MAX_FIELD_CHARS:
        s = s[:MAX_FIELD_CHARS]
    return normalize_text(s)


def check_size(path: str, limit: int = MAX_FILE_BYTES) -> None:
    size = Path(path).stat().st_size
    if size > limit:
        raise SourceError(f"{path}: {size} bytes is over the {limit}-byte limit for this format")


# ---------------------------------------------------------------------------- the mapping
def _dig(record: Any, path: str) -> Any:
    if isinstance(record, dict) and path in record:
        return record[path]
    cur = record
    for part in path.split("."):
        if isinstance(cur, dict):
            cur = cur.get(part)
        elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        else:
            return None
    return cur


def load_mapping(path: str) -> dict[str, Any]:
    raw = Path(path).read_bytes()
    try:
        if path.endswith((".yaml", ".yml")):
            m = yaml.safe_load(raw.decode("utf-8"))
        else:
            m = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise SourceError(f"{path}: not a valid mapping file ({exc})") from exc
    if not isinstance(m, dict) or not isinstance(m.get("columns"), dict):
        raise SourceError(f"{path}: a mapping file needs a [columns] table")
    cols = m["columns"]
    if "text" not in cols and "title" not in cols:
        raise SourceError(f"{path}: [columns] must name at least 'text' (or 'title')")
    if not m.get("input"):
        raise SourceError(f"{path}: the mapping names no 'input' file")
    return m


def _inputs(mapping_path: str, pattern: str) -> list[Path]:
    base = Path(mapping_path).parent
    p = Path(pattern)
    if p.is_absolute():
        base, pattern = Path(p.anchor), str(p.relative_to(p.anchor))
    found = sorted(x for x in base.glob(pattern) if x.is_file())
    if not found:
        raise SourceError(f"{mapping_path}: input {pattern!r} matches no file")
    return found


def _records_csv(
    path: Path, m: dict[str, Any], rejections: RejectSink
) -> Iterator[tuple[str, dict[str, Any]]]:
    enc = m.get("encoding", "utf-8-sig")
    delim = str(m.get("delimiter", ","))
    csv.field_size_limit(MAX_FIELD_CHARS)
    with open(path, encoding=enc, errors="strict", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=delim)
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as exc:
                rejections.add(
                    f"{path}:{reader.line_num + 1}",
                    f"not {enc} ({exc.reason} at byte {exc.start}); rest of file skipped",
                )
                return
            except csv.Error as exc:
                rejections.add(f"{path}:{reader.line_num}", f"bad CSV ({exc})")
                continue
            if any("\x00" in (v or "") for v in row.values() if isinstance(v, str)):
                rejections.add(f"{path}:{reader.line_num}", "NUL byte in a field")
                continue
            if None in row:
                rejections.add(
                    f"{path}:{reader.line_num}", f"{len(row[None])} more fields than the header has"
                )  # type: ignore[index]
                continue
            yield f"{path}:{reader.line_num}", row


def _records_json(
    path: Path, m: dict[str, Any], fmt: str, rejections: RejectSink
) -> Iterator[tuple[str, dict[str, Any]]]:
    enc = m.get("encoding", "utf-8-sig")
    if fmt == "jsonl":
        with open(path, "rb") as fh:
            for lineno, raw in enumerate(fh, start=1):
                if not raw.strip():
                    continue
                where = f"{path}:{lineno}"
                try:
                    obj = json.loads(raw.decode(enc))
                except UnicodeDecodeError as exc:
                    rejections.add(where, f"not {enc} ({exc.reason} at byte {exc.start})")
                    continue
                except json.JSONDecodeError as exc:
                    rejections.add(where, f"invalid JSON ({exc.msg} at column {exc.colno})")
                    continue
                except RecursionError:
                    rejections.add(where, "JSON nested too deeply")
                    continue
                if not isinstance(obj, dict):
                    rejections.add(where, f"expected a JSON object, got {type(obj).__name__}")
                    continue
                yield where, obj
        return
    try:
        data = json.loads(path.read_bytes().decode(enc))
    except UnicodeDecodeError as exc:
        rejections.add(f"{path}:byte {exc.start}", f"not {enc} ({exc.reason})")
        return
    except json.JSONDecodeError as exc:
        rejections.add(f"{path}:{exc.lineno}:{exc.colno}", f"invalid JSON ({exc.msg})")
        return
    except RecursionError:
        rejections.add(str(path), "JSON nested too deeply")
        return
    recs = _dig(data, m["records"]) if m.get("records") else data
    if not isinstance(recs, list):
        rejections.add(
            str(path), f"records path {m.get('records') or '(top level)'!r} is not a list"
        )
        return
    for i, obj in enumerate(recs):
        where = f"{path}:record {i}"
        if not isinstance(obj, dict):
            rejections.add(where, f"expected a JSON object, got {type(obj).__name__}")
            continue
        yield where, obj


def read_mapped(path: str, rejections: RejectSink) -> Iterator[Item]:
    m = load_mapping(path)
    cols: dict[str, str] = m["columns"]
    tcfg = m.get("time") or {}
    tfmt = str(tcfg.get("format", "iso"))
    zone = local_zone(tcfg.get("timezone"))
    source = str(m.get("source") or f"mapped:{Path(path).name.split('.')[0]}")
    for data_path in _inputs(path, str(m["input"])):
        check_size(str(data_path))
        fmt = str(m.get("format") or data_path.suffix.lstrip(".").lower())
        if fmt not in ("csv", "json", "jsonl", "tsv"):
            raise SourceError(f"{path}: unknown input format {fmt!r} (csv, tsv, json or jsonl)")
        if fmt == "tsv":
            m = {**m, "delimiter": "\t"}
        records = (
            _records_csv(data_path, m, rejections)
            if fmt in ("csv", "tsv")
            else _records_json(data_path, m, fmt, rejections)
        )
        for where, rec in records:
            text = clean(_dig(rec, cols["text"])) if "text" in cols else ""
            title = clean(_dig(rec, cols["title"])) if "title" in cols else ""
            if not text and not title:
                rejections.add(
                    where, f"empty text (column {cols.get('text') or cols.get('title')!r})"
                )
                continue
            published = None
            if "time" in cols:
                raw_t = _dig(rec, cols["time"])
                if raw_t not in (None, ""):
                    try:
                        published = parse_time(raw_t, tfmt, zone)
                    except (ValueError, OverflowError) as exc:
                        rejections.add(
                            where, f"bad time {str(raw_t)[:60]!r} for format {tfmt!r} ({exc})"
                        )
                        continue
            author = clean(_dig(rec, cols["author"])) if "author" in cols else ""
            native = _dig(rec, cols["id"]) if "id" in cols else None
            native_id = (
                clean(native)
                if native not in (None, "")
                else stable_id(text, title, author, published)
            )
            url = clean(_dig(rec, cols["url"])) if "url" in cols else ""
            lang = clean(_dig(rec, cols["lang"])) if "lang" in cols else ""
            engagement: dict[str, Any] = {}
            for k, c in (m.get("engagement") or {}).items():
                v = _dig(rec, str(c))
                if v in (None, ""):
                    continue
                try:
                    engagement[k] = int(float(str(v).replace(",", "").replace("\u00a0", "")))
                except ValueError:
                    engagement[k] = v
            extra = {
                k: _dig(rec, str(c))
                for k, c in (m.get("extra") or {}).items()
                if _dig(rec, str(c)) is not None
            }
            yield Item(
                source=source,
                native_id=native_id,
                text=text or title,
                title=title or None,
                url=url or None,
                author=author or None,
                lang=lang or None,
                published_at=published,
                engagement=engagement,
                extra=extra,
            )


def _sniff(name: str, head: bytes) -> bool:
    if not name.lower().endswith((".toml", ".yaml", ".yml")):
        return False
    text = head.decode("utf-8", "ignore")
    return ("[columns]" in text or "columns:" in text) and "input" in text


FORMAT = SourceFormat(
    name="mapped",
    description="any CSV/JSON/JSONL export, read through a TOML or YAML column-mapping file",
    sniff=_sniff,
    read=read_mapped,
    priority=20,
)
