"""A reviewer rates an image a post carries; the published fact-check page embeds a schema.org
MediaReview next to its ClaimReview."""

from __future__ import annotations

import json
import re

from web_support import SETTINGS

from factwatch.models import Item
from factwatch.store import Store
from factwatch.store import review as rv

SOURCES = "https://who.example/myths"


def test_reviewer_rates_an_image_and_mediareview_is_published(
    signed_in, cases, store: Store
) -> None:
    case_id = cases["afp-vi-001"]
    photo = Item(
        source="facebook",
        native_id="photo-1",
        author="@flood_pics",
        text="Ảnh cá mập bơi trên đường cao tốc ngập nước",
        url="https://facebook.example/posts/99",
        media=[{"type": "image", "url": "https://cdn.example/shark.jpg"}],
    )
    store.add_items([photo])
    assert photo.id is not None
    store.open_case("claim", "factcheck", store.get_case(case_id).target_id, "x", photo.id, None)  # type: ignore[union-attr]

    viewer = signed_in("viewer")
    r = viewer.client.post(
        f"/cases/{case_id}/media-review",
        data={
            "item_id": photo.id,
            "media_index": 0,
            "category": "TransformedContent",
            "csrf_token": viewer.csrf,
        },
    )
    assert r.status_code == 403  # a viewer changes nothing

    rev = signed_in("reviewer")
    page = rev.client.get(f"/cases/{case_id}").text
    assert "Rate this image" in page
    bad = rev.client.post(
        f"/cases/{case_id}/media-review",
        data={
            "item_id": photo.id,
            "media_index": 3,
            "category": "manipulated",
            "csrf_token": rev.csrf,
        },
    )
    assert bad.status_code == 400 and "no medium number 3" in bad.text
    bad = rev.client.post(
        f"/cases/{case_id}/media-review",
        data={
            "item_id": photo.id,
            "media_index": 0,
            "category": "looks fishy",
            "csrf_token": rev.csrf,
        },
    )
    assert bad.status_code == 400 and "unknown media rating" in bad.text
    ok = rev.client.post(
        f"/cases/{case_id}/media-review",
        data={
            "item_id": photo.id,
            "media_index": 0,
            "category": "manipulated",
            "csrf_token": rev.csrf,
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert "rated TransformedContent by reviewer" in rev.client.get(f"/cases/{case_id}").text

    rv.add_verdict(
        store,
        case_id,
        rating="False",
        explanation="The shark was pasted in.",
        sources=[SOURCES],
        actor="reviewer",
    )
    rv.publish_verdict(store, case_id, "editor", SETTINGS.site)
    page = rev.client.get(f"/cases/{case_id}").text
    link = re.search(r'href="(/factchecks/\d+)"', page).group(1)  # type: ignore[union-attr]
    public = rev.client.get(link).text
    blocks = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', public, re.S)
    objs = [json.loads(b) for b in blocks]
    types = [o["@type"] for o in objs]
    assert types[0] == "ClaimReview" and "MediaReview" in types
    mr = objs[types.index("MediaReview")]
    assert mr["mediaAuthenticityCategory"].endswith("TransformedContent")
    assert "https://cdn.example/shark.jpg" in json.dumps(mr)
    audit = [a["action"] for a in rv.list_audit(store, limit=50)[0]]
    assert "media_review" in audit
