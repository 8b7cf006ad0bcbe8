"""Writing FactChecks as schema.org ClaimReview (JSON-LD) and Fact Check Tools-shaped JSON.

``factchecks_to_claimreview`` is the inverse of ``factwatch.publish.claimreview.parse_claimreview``:
the record's id travels as ``identifier`` and the numeric rating (when the scale has one) as
``reviewRating.ratingValue``, so exporting then importing gives the same FactCheck.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from factwatch.models import FactCheck


def _iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat()


def factchecks_to_claimreview(
    fc: FactCheck,
    *,
    site_name: str | None = None,
    site_url: str | None = None,
    context: bool = True,
) -> dict[str, Any]:
    """One FactCheck -> one ClaimReview JSON-LD object (with ``@context`` unless ``context=False``)."""
    rating: dict[str, Any] = {"@type": "Rating"}
    if fc.rating:
        rating["alternateName"] = fc.rating
    for key, name in (
        ("rating_value", "ratingValue"),
        ("best_rating", "bestRating"),
        ("worst_rating", "worstRating"),
    ):
        if fc.extra.get(key) is not None:
            rating[name] = fc.extra[key]
    author: dict[str, Any] = {
        "@type": "Organization",
        "name": fc.author or site_name or "factwatch",
    }
    if site_url:
        author["url"] = site_url
    item: dict[str, Any] = {"@type": "Claim"}
    if fc.claimant:
        item["author"] = {"@type": "Person", "name": fc.claimant}
    if fc.appearances:
        item["appearance"] = [{"@type": "CreativeWork", "url": u} for u in fc.appearances]
        item["firstAppearance"] = {"@type": "CreativeWork", "url": fc.appearances[0]}
    out: dict[str, Any] = {}
    if context:
        out["@context"] = "https://schema.org"
    out.update(
        {
            "@type": "ClaimReview",
            "identifier": fc.id,
            "url": fc.url,
            "claimReviewed": fc.claim,
            "reviewRating": rating,
            "itemReviewed": item,
            "author": author,
            "datePublished": _iso(fc.published_at),
            "inLanguage": fc.lang,
        }
    )
    if fc.title:
        out["name"] = fc.title
    return {k: v for k, v in out.items() if v is not None}


def claimreview_script(obj: dict[str, Any]) -> str:
    """JSON text safe to embed inside ``<script type="application/ld+json">``: no ``<``, ``>``
    or ``&`` can close the element or start markup."""
    text = json.dumps(obj, ensure_ascii=False, indent=1)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def factcheck_tools_claim(fc: FactCheck, *, site_name: str, site_url: str) -> dict[str, Any]:
    """One FactCheck shaped like an entry of Google Fact Check Tools ``claims:search``."""
    claim: dict[str, Any] = {"text": fc.claim}
    if fc.claimant:
        claim["claimant"] = fc.claimant
    if fc.published_at:
        claim["claimDate"] = _iso(fc.published_at)
    review: dict[str, Any] = {
        "publisher": {
            "name": fc.author or site_name,
            "site": site_url.split("://", 1)[-1].split("/", 1)[0],
        },
        "url": fc.url,
        "title": fc.title or fc.claim,
        "reviewDate": _iso(fc.published_at),
        "textualRating": fc.rating,
        "languageCode": fc.lang,
    }
    claim["claimReview"] = [{k: v for k, v in review.items() if v is not None}]
    return claim
