"""Published fact-checks as an Atom feed, CSV and JSON Lines.

The Atom document is built with ElementTree (every text escaped by the serializer); CSV cells
that a spreadsheet would run as a formula are prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from factwatch.models import FactCheck

ATOM = "http://www.w3.org/2005/Atom"
CSV_FIELDS = (
    "id",
    "claim",
    "rating",
    "url",
    "lang",
    "claimant",
    "published_at",
    "author",
    "appearances",
)
_ILLEGAL_XML = {c: None for c in range(32) if c not in (9, 10, 13)} | {0xFFFE: None, 0xFFFF: None}


def _iso(dt: datetime | None) -> str:
    dt = dt or datetime(1970, 1, 1, tzinfo=UTC)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _x(text: str | None) -> str:
    return (text or "").translate(_ILLEGAL_XML)


def atom_feed(
    fcs: Sequence[FactCheck],
    *,
    site_name: str,
    site_url: str,
    explanations: dict[str, str] | None = None,
) -> bytes:
    """An Atom 1.0 feed of fact-checks, newest first as given."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    base = site_url.rstrip("/")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = _x(base + "/feed.atom")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = _x(f"{site_name}: fact-checks")
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _iso(
        max((f.published_at for f in fcs if f.published_at), default=None)
    )
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=_x(base + "/feed.atom"))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=_x(base + "/factchecks"))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = _x(site_name)
    for fc in fcs:
        e = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(e, f"{{{ATOM}}}id").text = _x(fc.url or f"urn:factwatch:{fc.id}")
        ET.SubElement(e, f"{{{ATOM}}}title").text = _x(f"{fc.rating or 'Rated'}: {fc.claim}")
        ET.SubElement(e, f"{{{ATOM}}}updated").text = _iso(fc.published_at)
        ET.SubElement(e, f"{{{ATOM}}}published").text = _iso(fc.published_at)
        if fc.url:
            ET.SubElement(e, f"{{{ATOM}}}link", rel="alternate", href=_x(fc.url))
        summary = (explanations or {}).get(fc.id) or fc.claim
        ET.SubElement(e, f"{{{ATOM}}}summary", type="text").text = _x(summary)
        ET.SubElement(e, f"{{{ATOM}}}category", term=_x(fc.rating or ""))
        if fc.lang:
            e.set("{http://www.w3.org/XML/1998/namespace}lang", _x(fc.lang))
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")


def factcheck_record(fc: FactCheck) -> dict[str, Any]:
    return {
        "id": fc.id,
        "claim": fc.claim,
        "title": fc.title,
        "rating": fc.rating,
        "url": fc.url,
        "lang": fc.lang,
        "claimant": fc.claimant,
        "published_at": _iso(fc.published_at) if fc.published_at else None,
        "author": fc.author,
        "appearances": list(fc.appearances),
    }


def _cell(v: Any) -> str:
    s = "" if v is None else (" ".join(v) if isinstance(v, list) else str(v))
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


def to_csv(fcs: Sequence[FactCheck]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_FIELDS)
    for fc in fcs:
        rec = factcheck_record(fc)
        w.writerow([_cell(rec[k]) for k in CSV_FIELDS])
    return buf.getvalue()


def to_jsonl(records: Sequence[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
