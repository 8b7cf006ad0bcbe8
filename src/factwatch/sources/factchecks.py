"""Fact-check files: JSONL/CSV rows, ClaimReview JSON-LD (bare or in saved HTML pages), and
Google Fact Check Tools ``claims:search`` responses.  Each bad record is rejected with its file and
line (or position); every good one is returned."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from factwatch.models import FactCheck
from factwatch.publish.claimreview import (
    iter_claimreviews,
    parse_claimreview,
    parse_factcheck_tools,
    stable_id,
)
from factwatch.sources.base import RejectSink
from factwatch.sources.dates import parse_datetime
from factwatch.text.lang import detect_language
from factwatch.text.normalize import normalize_text

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_CLAIM_CHARS = 20_000
_LDJSON = re.compile(
    rb"<script[^>]*type\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script\s*>", re.I | re.S
)


def factcheck_from_row(rec: dict[str, Any]) -> FactCheck:
    claim = rec.get("claim")
    if not isinstance(claim, str) or not claim.strip():
        raise ValueError("missing 'claim'")
    if len(claim) > MAX_CLAIM_CHARS:
        raise ValueError(f"'claim' longer than {MAX_CLAIM_CHARS} characters")
    vals: dict[str, str | None] = {}
    for key in ("title", "rating", "url", "lang", "claimant", "author"):
        v = rec.get(key)
        if v is not None and not isinstance(v, str):
            raise ValueError(f"'{key}' must be a string, got {type(v).__name__}")
        vals[key] = normalize_text(v) if v else None
    rid = rec.get("id")
    if rid is not None and (not isinstance(rid, str | int) or isinstance(rid, bool)):
        raise ValueError(f"'id' must be a string or integer, got {type(rid).__name__}")
    claim = normalize_text(claim)
    fc_id = str(rid).strip() if rid not in (None, "") else stable_id("fc", vals["url"], claim)
    published = rec.get("published_at")
    raw_appearances = rec.get("appearances")
    appearances: list[Any] = raw_appearances if isinstance(raw_appearances, list) else []
    return FactCheck(
        id=fc_id,
        claim=claim,
        title=vals["title"],
        rating=vals["rating"],
        url=vals["url"],
        lang=vals["lang"] or detect_language(claim, default="und"),
        claimant=vals["claimant"],
        author=vals["author"],
        published_at=parse_datetime(published) if published not in (None, "") else None,
        appearances=[a for a in appearances if isinstance(a, str)],
    )


def _with_lang(fc: FactCheck) -> FactCheck:
    if not fc.lang:
        fc.lang = detect_language(fc.claim, default="und")
    return fc


def _from_json_doc(doc: Any, where: str, rejections: RejectSink) -> Iterator[FactCheck]:
    if isinstance(doc, dict) and "claims" in doc and isinstance(doc["claims"], list):
        for pos, res in parse_factcheck_tools(doc):
            if isinstance(res, ValueError):
                rejections.add(f"{where} {pos}", str(res))
            else:
                yield _with_lang(res)
        return
    found = False
    for n, cr in enumerate(iter_claimreviews(doc)):
        found = True
        try:
            yield _with_lang(parse_claimreview(cr))
        except ValueError as exc:
            rejections.add(f"{where} ClaimReview #{n + 1}", str(exc))
    if not found:
        rejections.add(where, "no ClaimReview and no Fact Check Tools 'claims' found")


def read_factchecks(path: str, rejections: RejectSink) -> Iterator[FactCheck]:
    """Every fact-check in ``path``, whatever its format."""
    p = Path(path)
    size = p.stat().st_size
    if size > MAX_FILE_BYTES:
        rejections.add(path, f"file larger than {MAX_FILE_BYTES} bytes")
        return
    raw = p.read_bytes()
    head = raw.lstrip()[:4096].lower()
    name = p.name.lower()
    if (
        name.endswith((".html", ".htm"))
        or head.startswith((b"<!doctype html", b"<html"))
        or b"<script" in head
    ):
        blocks = _LDJSON.findall(raw)
        if not blocks:
            rejections.add(path, 'HTML page without a <script type="application/ld+json"> block')
            return
        for i, block in enumerate(blocks, start=1):
            line = raw[: raw.find(block)].count(b"\n") + 1
            try:
                doc = json.loads(block.decode("utf-8", errors="replace"))
            except (json.JSONDecodeError, RecursionError) as exc:
                rejections.add(f"{path}:{line}", f"JSON-LD block {i} is not valid JSON ({exc})")
                continue
            yield from _from_json_doc(doc, f"{path}:{line}", rejections)
        return
    if name.endswith(".csv"):
        yield from _read_csv(path, raw, rejections)
        return
    if name.endswith((".jsonl", ".ndjson")) or _looks_jsonl(raw):
        yield from _read_jsonl(path, raw, rejections)
        return
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        rejections.add(f"{path}:byte {exc.start}", "not UTF-8 text")
        return
    except json.JSONDecodeError as exc:
        rejections.add(f"{path}:{exc.lineno}", f"invalid JSON ({exc.msg} at column {exc.colno})")
        return
    except RecursionError:
        rejections.add(path, "JSON nested too deeply")
        return
    yield from _from_json_doc(doc, path, rejections)


def _looks_jsonl(raw: bytes) -> bool:
    lines = [ln for ln in raw.lstrip().split(b"\n", 3)[:3] if ln.strip()]
    if len(lines) < 2 or not lines[0].lstrip().startswith(b"{"):
        return False
    try:
        first = json.loads(lines[0])
    except ValueError:
        return False
    return isinstance(first, dict) and "claim" in first


def _read_jsonl(path: str, raw: bytes, rejections: RejectSink) -> Iterator[FactCheck]:
    for lineno, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError:
            rejections.add(f"{path}:{lineno}", "not UTF-8 text")
            continue
        except (json.JSONDecodeError, RecursionError) as exc:
            rejections.add(f"{path}:{lineno}", f"invalid JSON ({exc})")
            continue
        if not isinstance(rec, dict):
            rejections.add(f"{path}:{lineno}", "expected a JSON object")
            continue
        if "claim" not in rec and ("@type" in rec or "@graph" in rec):
            yield from _from_json_doc(rec, f"{path}:{lineno}", rejections)
            continue
        try:
            yield factcheck_from_row(rec)
        except ValueError as exc:
            rejections.add(f"{path}:{lineno}", str(exc))


def _read_csv(path: str, raw: bytes, rejections: RejectSink) -> Iterator[FactCheck]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        rejections.add(f"{path}:byte {exc.start}", "not UTF-8 text")
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or "claim" not in reader.fieldnames:
        rejections.add(f"{path}:1", f"CSV header must include 'claim', got {reader.fieldnames}")
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
        try:
            yield factcheck_from_row({k: (v if v != "" else None) for k, v in rec.items()})
        except ValueError as exc:
            rejections.add(f"{path}:{reader.line_num}", str(exc))
