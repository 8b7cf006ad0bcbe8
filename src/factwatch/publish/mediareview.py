"""schema.org MediaReview JSON-LD: a reviewer's verdict on an image or a video.

Published next to ClaimReview on public pages (``<script type="application/ld+json">``).  The
rating is one of schema.org's ``MediaManipulationRatingEnumeration`` members; friendly aliases
("out_of_context", "edited", "manipulated", ...) are accepted.  Shape::

    {"@context": "https://schema.org", "@type": "MediaReview",
     "mediaAuthenticityCategory": "DecontextualizedContent",
     "url": ..., "datePublished": ..., "author": {"@type": "Organization", "name": ..., "url": ...},
     "originalMediaContextDescription": ..., "originalMediaLink": ...,
     "itemReviewed": {"@type": "MediaReviewItem",
                      "mediaItemAppearance": [{"@type": "ImageObject", "contentUrl": ...}, ...]}}
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Literal

# schema.org MediaManipulationRatingEnumeration.
CATEGORIES = (
    "OriginalMediaContent",
    "AuthenticContent",
    "DecontextualizedContent",
    "EditedOrCroppedContent",
    "TransformedContent",
    "StagedContent",
    "SatireOrParodyContent",
)
ALIASES = {
    "original": "OriginalMediaContent",
    "authentic": "AuthenticContent",
    "out_of_context": "DecontextualizedContent",
    "decontextualized": "DecontextualizedContent",
    "missing_context": "DecontextualizedContent",
    "edited": "EditedOrCroppedContent",
    "cropped": "EditedOrCroppedContent",
    "manipulated": "TransformedContent",
    "transformed": "TransformedContent",
    "fabricated": "TransformedContent",
    "staged": "StagedContent",
    "satire": "SatireOrParodyContent",
    "parody": "SatireOrParodyContent",
}
_MEDIA_TYPES = {"image": "ImageObject", "video": "VideoObject", "audio": "AudioObject"}


def media_category(value: str) -> str:
    """Normalise a rating to a ``MediaManipulationRatingEnumeration`` member, or raise ValueError."""
    v = value.strip().rsplit("/", 1)[-1]
    for c in CATEGORIES:
        if v.casefold() == c.casefold():
            return c
    key = v.casefold().replace("-", "_").replace(" ", "_")
    if key in ALIASES:
        return ALIASES[key]
    raise ValueError(f"unknown media rating {value!r}; expected one of {', '.join(CATEGORIES)}")


def _iso(d: date | datetime | str) -> str:
    if isinstance(d, datetime | date):
        return d.isoformat()
    return str(d)


def media_review_jsonld(
    *,
    media_urls: Sequence[str],
    category: str,
    url: str,
    author_name: str,
    date_published: date | datetime | str,
    media_type: Literal["image", "video", "audio"] = "image",
    author_url: str | None = None,
    headline: str | None = None,
    original_media_context: str | None = None,
    original_media_link: str | None = None,
    appearance_urls: Sequence[str] = (),
    in_language: str | None = None,
    start_time: float | None = None,
    end_time: float | None = None,
    identifier: str | None = None,
) -> dict[str, Any]:
    """A schema.org MediaReview object (a dict ready for ``json.dumps``).

    ``media_urls``: where the reviewed image/video is (``contentUrl`` of each appearance);
    ``appearance_urls``: pages where it was posted (``embedUrl``/``url`` of extra appearances);
    ``category``: a MediaManipulationRatingEnumeration member or alias; ``start_time`` /
    ``end_time`` (seconds) mark the reviewed part of a video.
    """
    if not media_urls and not appearance_urls:
        raise ValueError("a MediaReview needs at least one media or appearance URL")
    if media_type not in _MEDIA_TYPES:
        raise ValueError(f"media_type must be one of {', '.join(_MEDIA_TYPES)}")
    obj_type = _MEDIA_TYPES[media_type]
    appearances: list[dict[str, Any]] = []
    for u in media_urls:
        a: dict[str, Any] = {"@type": obj_type, "contentUrl": u}
        if media_type != "image":
            if start_time is not None:
                a["startTime"] = _seconds(start_time)
            if end_time is not None:
                a["endTime"] = _seconds(end_time)
        appearances.append(a)
    for u in appearance_urls:
        appearances.append({"@type": obj_type, "url": u})
    author: dict[str, Any] = {"@type": "Organization", "name": author_name}
    if author_url:
        author["url"] = author_url
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MediaReview",
        "url": url,
        "datePublished": _iso(date_published),
        "author": author,
        "mediaAuthenticityCategory": media_category(category),
        "itemReviewed": {"@type": "MediaReviewItem", "mediaItemAppearance": appearances},
    }
    if identifier:
        review["identifier"] = identifier
    if headline:
        review["headline"] = headline
    if in_language:
        review["inLanguage"] = in_language
    if original_media_context:
        review["originalMediaContextDescription"] = original_media_context
    if original_media_link:
        review["originalMediaLink"] = original_media_link
    return review


def _seconds(s: float) -> str:
    """Seconds -> ISO 8601 time of day ("00:01:05.5"), the form schema.org's startTime takes."""
    s = max(0.0, float(s))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{int(h):02d}:{int(m):02d}:{sec:06.3f}".rstrip("0").rstrip(".")
