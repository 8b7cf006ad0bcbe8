"""Reading schema.org ClaimReview (JSON-LD) and Google Fact Check Tools responses into FactChecks.

The id of a fact-check read from ClaimReview is its ``identifier`` when present, else its
``@id``, else a stable hash of its url and claim, so that exporting and re-importing gives the
same records.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from factwatch.models import FactCheck
from factwatch.sources.dates import parse_datetime
from factwatch.text.normalize import normalize_text


def stable_id(prefix: str, *parts: str | None) -> str:
    h = hashlib.sha256("\x1f".join(p or "" for p in parts).encode("utf-8")).hexdigest()[:20]
    return f"{prefix}-{h}"


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type", [])
    t = [t] if isinstance(t, str) else (t if isinstance(t, list) else [])
    return {str(x).rsplit("/", 1)[-1] for x in t}


def _name(v: Any) -> str | None:
    if isinstance(v, str):
        return normalize_text(v) or None
    if isinstance(v, dict):
        n = v.get("name") or v.get("alternateName")
        return normalize_text(n) if isinstance(n, str) and n.strip() else None
    if isinstance(v, list) and v:
        return _name(v[0])
    return None


def _text(v: Any) -> str | None:
    return normalize_text(v) or None if isinstance(v, str) else None


def _date(v: Any) -> Any:
    if not v:
        return None
    try:
        return parse_datetime(v)
    except ValueError:
        return None


def iter_claimreviews(obj: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every object typed ClaimReview in a JSON-LD document (object, list or @graph)."""
    if depth > 20:
        return
    if isinstance(obj, list):
        for x in obj:
            yield from iter_claimreviews(x, depth + 1)
    elif isinstance(obj, dict):
        if "ClaimReview" in _types(obj):
            yield obj
        elif "@graph" in obj:
            yield from iter_claimreviews(obj["@graph"], depth + 1)
        else:
            for key in ("mainEntity", "review"):
                if key in obj:
                    yield from iter_claimreviews(obj[key], depth + 1)


def parse_claimreview(cr: dict[str, Any]) -> FactCheck:
    """One ClaimReview object -> FactCheck; raises ValueError when it has no claim."""
    claim = _text(cr.get("claimReviewed"))
    item = cr.get("itemReviewed") if isinstance(cr.get("itemReviewed"), dict) else {}
    if not claim and item:
        claim = _text(item.get("text")) or _text(item.get("name"))
    if not claim:
        raise ValueError("ClaimReview without 'claimReviewed'")
    raw_rating = cr.get("reviewRating")
    rating_obj: dict[str, Any] = raw_rating if isinstance(raw_rating, dict) else {}
    rating = _text(rating_obj.get("alternateName")) or _name(rating_obj)
    url = _text(cr.get("url"))
    appearances: list[str] = []
    for key in ("appearance", "firstAppearance"):
        app = item.get(key) if item else None
        for a in app if isinstance(app, list) else [app]:
            u = a.get("url") if isinstance(a, dict) else a
            if isinstance(u, str) and u.strip() and u not in appearances:
                appearances.append(u.strip())
    claimant = _name(item.get("author")) if item else None
    ident = cr.get("identifier")
    if isinstance(ident, dict):
        ident = ident.get("value")
    fc_id = (
        str(ident).strip() if isinstance(ident, str | int) and str(ident).strip() else None
    ) or (_text(cr.get("@id")) or stable_id("cr", url, claim))
    extra: dict[str, Any] = {}
    if rating_obj.get("ratingValue") is not None:
        extra["rating_value"] = rating_obj.get("ratingValue")
        extra["best_rating"] = rating_obj.get("bestRating")
        extra["worst_rating"] = rating_obj.get("worstRating")
    lang = cr.get("inLanguage")
    if isinstance(lang, dict):
        lang = lang.get("alternateName") or lang.get("name")
    return FactCheck(
        id=fc_id[:500],
        claim=claim,
        title=_text(cr.get("name")) or _text(cr.get("headline")),
        rating=rating,
        url=url,
        lang=_text(lang),
        claimant=claimant,
        published_at=_date(cr.get("datePublished")),
        author=_name(cr.get("author")),
        appearances=appearances,
        extra={k: v for k, v in extra.items() if v is not None},
    )


def parse_factcheck_tools(obj: dict[str, Any]) -> Iterator[tuple[str, FactCheck | ValueError]]:
    """A Google Fact Check Tools ``claims:search`` response: one FactCheck per claimReview."""
    for i, claim in enumerate(obj.get("claims") or [], start=1):
        where = f"claims[{i - 1}]"
        if not isinstance(claim, dict) or not _text(claim.get("text")):
            yield where, ValueError("claim without 'text'")
            continue
        reviews = claim.get("claimReview") or []
        if not reviews:
            yield where, ValueError("claim without 'claimReview'")
            continue
        for j, rv in enumerate(reviews):
            if not isinstance(rv, dict):
                yield f"{where}.claimReview[{j}]", ValueError("claimReview must be an object")
                continue
            url = _text(rv.get("url"))
            text = _text(claim.get("text")) or ""
            yield (
                f"{where}.claimReview[{j}]",
                FactCheck(
                    id=stable_id("gfc", url, text),
                    claim=text,
                    title=_text(rv.get("title")),
                    rating=_text(rv.get("textualRating")),
                    url=url,
                    lang=_text(rv.get("languageCode")),
                    claimant=_text(claim.get("claimant")),
                    published_at=_date(rv.get("reviewDate")) or _date(claim.get("claimDate")),
                    author=_name(rv.get("publisher")),
                ),
            )
