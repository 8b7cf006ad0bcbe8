"""ClaimReview out and back in: ``factchecks_to_claimreview`` then the importer's
``parse_claimreview`` gives the same FactCheck, for published verdicts and arbitrary records."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from factwatch.models import FactCheck
from factwatch.publish.claimreview import iter_claimreviews, parse_claimreview
from factwatch.publish.claimreview_out import claimreview_script, factchecks_to_claimreview
from factwatch.store import review as rv
from factwatch.text.normalize import normalize_text

FIELDS = (
    "id",
    "claim",
    "title",
    "rating",
    "url",
    "lang",
    "claimant",
    "published_at",
    "author",
    "appearances",
    "extra",
)


def same(a: FactCheck, b: FactCheck) -> None:
    for f in FIELDS:
        assert getattr(a, f) == getattr(b, f), f


def test_published_verdict_round_trip() -> None:
    v = {
        "id": 7,
        "claim": "Le vaccin contient une puce 5G",
        "rating": "False",
        "lang": "fr",
        "claimant": "Telegram",
        "published_at": datetime(2026, 11, 28, 9, 30, 12, 123456, tzinfo=UTC),
    }
    fc = rv.verdict_factcheck(
        v,
        ["https://t.example/a/1", "https://x.example/b"],
        rv.Site("https://checks.example", "Desk"),
    )
    assert fc.id == "Desk:verdict:7" and fc.url == "https://checks.example/factchecks/7"
    assert fc.published_at == datetime(2026, 11, 28, 9, 30, 12, tzinfo=UTC)
    cr = factchecks_to_claimreview(fc, site_name="Desk", site_url="https://checks.example")
    for key in (
        "claimReviewed",
        "reviewRating",
        "itemReviewed",
        "author",
        "url",
        "datePublished",
        "inLanguage",
    ):
        assert key in cr
    assert cr["reviewRating"]["alternateName"] == "False" and cr["reviewRating"]["ratingValue"] == 1
    # through JSON text (as exported) and the embeddable form
    again = json.loads(json.dumps(cr))
    same(parse_claimreview(again), fc)
    embedded = json.loads(claimreview_script(cr))
    same(parse_claimreview(embedded), fc)
    # the JSONL export line is found by the importer's walker too
    assert [parse_claimreview(x).id for x in iter_claimreviews(again)] == [fc.id]


def test_rating_without_numeric_value_round_trips() -> None:
    fc = rv.verdict_factcheck(
        {
            "id": 1,
            "claim": "Nước nóng chữa COVID",
            "rating": "Misleading",
            "lang": "vi",
            "claimant": None,
            "published_at": datetime(2026, 1, 2, tzinfo=UTC),
        },
        [],
        rv.Site(),
    )
    cr = factchecks_to_claimreview(fc)
    assert "ratingValue" not in cr["reviewRating"]
    same(parse_claimreview(cr), fc)


def test_embedded_json_cannot_close_the_script_element() -> None:
    fc = FactCheck(
        id="x", claim="</script><script>alert(1)</script> & <!--", url="https://a.example/x"
    )
    text = claimreview_script(factchecks_to_claimreview(fc))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["claimReviewed"] == fc.claim


_text = (
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60)
    .map(normalize_text)
    .filter(bool)
)
_url = st.from_regex(r"https://[a-z]{1,10}\.example/[a-z0-9/_-]{0,20}", fullmatch=True)


@settings(max_examples=150, deadline=None)
@given(
    ident=st.from_regex(r"[A-Za-z0-9:._-]{1,40}", fullmatch=True),
    claim=_text,
    title=st.none() | _text,
    rating=st.none() | _text,
    url=st.none() | _url,
    lang=st.none() | st.sampled_from(["vi", "fr", "en", "en-GB"]),
    claimant=st.none() | _text,
    author=_text,
    published=st.none()
    | st.datetimes(
        min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ).map(lambda d: d.replace(microsecond=0)),
    appearances=st.lists(_url, max_size=4, unique=True),
    value=st.none() | st.integers(1, 5),
)
def test_round_trip_any_record(
    ident, claim, title, rating, url, lang, claimant, author, published, appearances, value
) -> None:  # type: ignore[no-untyped-def]
    extra = (
        {"rating_value": value, "best_rating": 5, "worst_rating": 1} if value is not None else {}
    )
    fc = FactCheck(
        id=ident,
        claim=claim,
        title=title,
        rating=rating,
        url=url,
        lang=lang,
        claimant=claimant,
        published_at=published,
        author=author,
        appearances=appearances,
        extra=extra,
    )
    cr = json.loads(json.dumps(factchecks_to_claimreview(fc)))
    same(parse_claimreview(cr), fc)
