"""schema.org MediaReview JSON-LD."""

from __future__ import annotations

import json
from datetime import date

import pytest

from factwatch.publish.mediareview import CATEGORIES, media_category, media_review_jsonld


def test_image_review_shape() -> None:
    doc = media_review_jsonld(
        media_urls=["https://cdn.example.org/flood.jpg"],
        category="out_of_context",
        url="https://factcheck.example.org/reviews/42",
        author_name="Example Fact Check",
        author_url="https://factcheck.example.org",
        date_published=date(2026, 11, 29),
        original_media_context="Taken in Đà Nẵng in 2019, not during the 2026 floods.",
        original_media_link="https://archive.example.org/2019/flood.jpg",
        in_language="vi",
    )
    assert doc["@context"] == "https://schema.org" and doc["@type"] == "MediaReview"
    assert doc["mediaAuthenticityCategory"] == "DecontextualizedContent"
    assert doc["datePublished"] == "2026-11-29"
    assert doc["author"] == {
        "@type": "Organization",
        "name": "Example Fact Check",
        "url": "https://factcheck.example.org",
    }
    item = doc["itemReviewed"]
    assert item["@type"] == "MediaReviewItem"
    assert item["mediaItemAppearance"] == [
        {"@type": "ImageObject", "contentUrl": "https://cdn.example.org/flood.jpg"}
    ]
    assert json.loads(json.dumps(doc, ensure_ascii=False)) == doc


def test_video_review_with_times_and_appearances() -> None:
    doc = media_review_jsonld(
        media_urls=["https://cdn.example.org/v.mp4"],
        appearance_urls=["https://social.example.com/post/1"],
        media_type="video",
        category="TransformedContent",
        url="https://fc.example.org/r/7",
        author_name="FC",
        date_published="2026-11-29T10:00:00+00:00",
        start_time=65.5,
        end_time=70,
    )
    first, second = doc["itemReviewed"]["mediaItemAppearance"]
    assert first == {
        "@type": "VideoObject",
        "contentUrl": "https://cdn.example.org/v.mp4",
        "startTime": "00:01:05.5",
        "endTime": "00:01:10",
    }
    assert second == {"@type": "VideoObject", "url": "https://social.example.com/post/1"}


def test_categories() -> None:
    assert media_category("https://schema.org/EditedOrCroppedContent") == "EditedOrCroppedContent"
    assert media_category("satire") == "SatireOrParodyContent"
    assert all(media_category(c.lower()) == c for c in CATEGORIES)
    with pytest.raises(ValueError, match="unknown media rating"):
        media_category("false")
    with pytest.raises(ValueError):
        media_review_jsonld(
            media_urls=[], category="edited", url="u", author_name="a", date_published="2026"
        )
