"""Lookalike domains: the techniques of the issue, and what must never be flagged."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factwatch.impersonation.domains import DomainIndex, extract_hosts, normalize_host, to_punycode
from factwatch.models import Entity


@pytest.fixture(scope="module")
def index(entities: list[Entity]) -> DomainIndex:
    return DomainIndex(entities)


@pytest.mark.parametrize(
    ("domain", "entity_id", "technique"),
    [
        # combosquatting, as in the issue
        ("quangninh-gov-vn.com", "quangninh-gov", "vn-gov-pattern"),
        ("baoquangninh-news.net", "baoquangninh", "combosquatting"),
        ("who-int.org", "who", "combosquatting"),
        ("vnexpress24h.com", "vnexpress", "combosquatting"),
        # subdomain abuse
        ("chinhphu.vn.example.com", "chinhphu", "subdomain-abuse"),
        ("login-who.int.example.net", "who", "subdomain-abuse"),
        ("tuoitre.blogspot.com", "tuoitre", "subdomain-abuse"),
        # Vietnamese public domains
        ("quangninh.vn", "quangninh-gov", "vn-gov-pattern"),
        ("quangninh.com.vn", "quangninh-gov", "vn-gov-pattern"),
        ("hanoigov.vn", "hanoi-gov", "vn-gov-pattern"),
        # IDN, Unicode and punycode, and Cyrillic
        ("vnеxpress.net", "vnexpress", "cyrillic"),
        (to_punycode("vnеxpress.net"), "vnexpress", "cyrillic"),
        ("tuổitre.vn", "tuoitre", "idn-homograph"),
        ("xn--lmonde-bva.fr", "lemonde", "idn-homograph"),
        # dnstwist's classes
        ("vnexpresss.net", "vnexpress", "repetition"),
        ("vnexpres.net", "vnexpress", "omission"),
        ("vnepxress.net", "vnexpress", "transposition"),
        ("lemonda.fr", "lemonde", "vowel-swap"),
        ("lemondes.fr", "lemonde", "addition"),
        ("le-monde.fr", "lemonde", "hyphenation"),
        ("nytimnes.com", "nytimes", "insertion"),
        ("reutera.com", "reuters", "replacement"),
        ("reuter5.com", "reuters", "homoglyph"),
        ("tuoitrc.vn", "tuoitre", "homoglyph"),
        ("thanhnlen.vn", "thanhnien", "homoglyph"),
        ("nhandarn.vn", "nhandan", "homoglyph"),  # reads as nhandam
        ("nhanfdan.vn", "nhandan", "insertion"),
        ("vn.express.net", "vnexpress", "subdomain"),
        ("lemonde.com", "lemonde", "tld-swap"),
        ("baoquangninh.net", "baoquangninh", "tld-swap"),
        ("vnexprcss.com", "vnexpress", "homoglyph"),
    ],
)
def test_flags_lookalikes(index: DomainIndex, domain: str, entity_id: str, technique: str) -> None:
    m = index.check(domain)
    assert m is not None, domain
    assert m.entity_id == entity_id
    assert m.technique == technique
    assert 0.6 <= m.score <= 1.0
    assert m.evidence["explanation"]


@pytest.mark.parametrize(
    "domain",
    [
        "chinhphu.vn",
        "www.chinhphu.vn",
        "https://e.vnexpress.net/news/world",
        "thoisu.baochinhphu.vn",
        "www.bbc.co.uk",
        "bbc.com",
        "news.who.int",
        "WWW.LEMONDE.FR.",
        "quangninh.gov.vn",
        "sotttt.quangninh.gov.vn",
    ],
)
def test_official_domains_and_subdomains_never_flagged(index: DomainIndex, domain: str) -> None:
    assert index.check(domain) is None


@pytest.mark.parametrize(
    "domain",
    [
        "wikipedia.org",
        "google.com",
        "lemondeinformatique.fr",
        "abc.net.au",
        "cbc.ca",
        "zing.vn",
        "vietnamairlines.com",
        "ouest-france.fr",
        "thanhhoa.gov.vn",
        "goodhuecountymn.gov",
        "cardsite.ca",
    ],
)
def test_unrelated_real_domains_not_flagged(index: DomainIndex, domain: str) -> None:
    assert index.check(domain) is None, index.check(domain)


def test_short_names_need_the_same_suffix(index: DomainIndex) -> None:
    # one letter from 'bbc'/'who'/'afp' under another suffix are other real names
    assert index.check("afb.de") is None
    assert index.check("abc.co") is None
    # under the same suffix they are reported in the lowest band only
    m = index.check("abc.com")
    assert m is not None and m.entity_id == "bbc" and m.score < 0.65
    assert index.check("abc.com", min_score=0.65) is None
    # under the protected suffix they are typosquats
    m = index.check("bbcc.co.uk")
    assert m is not None and m.entity_id == "bbc"
    m = index.check("whoo.int")
    assert m is not None and m.entity_id == "who"


def test_province_plus_gov_without_registered_entity(index: DomainIndex) -> None:
    m = index.check("ubnd-danang-gov.com")
    assert m is not None
    assert m.technique == "vn-gov-pattern"
    assert m.entity_id is None
    assert m.imitates == "danang.gov.vn"


def test_punycode_and_unicode_give_the_same_answer(index: DomainIndex) -> None:
    a = index.check("bbс.co.uk")  # Cyrillic es
    b = index.check(to_punycode("bbс.co.uk"))
    assert a is not None and b is not None
    assert (a.entity_id, a.technique, a.domain) == (b.entity_id, b.technique, b.domain)
    assert a.evidence["punycode"].startswith("xn--")


def test_extract_hosts_from_post_text() -> None:
    text = (
        "Xem ngay: https://quangninh-gov-vn.com/tb?id=1, hoặc www.baoquangninh-news.net. "
        "Nguồn: who-int.org; email a@b.com; giá 3.5 triệu; hxxp://evil.example/x"
    )
    hosts = extract_hosts(text)
    assert hosts[:3] == ["quangninh-gov-vn.com", "www.baoquangninh-news.net", "evil.example"] or (
        "quangninh-gov-vn.com" in hosts and "who-int.org" in hosts
    )
    assert "who-int.org" in hosts
    assert "b.com" not in hosts  # the domain of an e-mail address is not a link
    assert not any(h.startswith("3.") for h in hosts)


def test_normalize_host() -> None:
    assert normalize_host("HTTPS://User@WWW.Example.COM:8080/path") == "www.example.com"
    assert normalize_host("xn--bc-0ec.co.uk") is not None
    assert normalize_host("no spaces allowed.com") is None
    assert normalize_host("localhost") is None
    assert normalize_host("a" * 64 + ".com") is None


def test_index_is_built_from_hash_maps(index: DomainIndex, entities: list[Entity]) -> None:
    n = sum(len(e.domains) for e in entities)
    assert len(index) <= n
    assert len(index.del_index) > len(index)  # deletion neighbourhood keys


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_safe(index: DomainIndex, text: str) -> None:  # type: ignore[misc]
    for h in extract_hosts(text):
        index.check_host(h)
    index.check(text)


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[a-z0-9\-]{1,20}(\.[a-z]{2,6}){1,2}", fullmatch=True))
def test_random_domains_do_not_crash(index: DomainIndex, domain: str) -> None:  # type: ignore[misc]
    m = index.check(domain)
    if m is not None:
        assert m.entity_id is None or m.entity_id in {p.entity_id for p in index.protected}
