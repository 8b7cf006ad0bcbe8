"""Impersonating accounts: techniques, registered accounts, avatars."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factwatch.impersonation.accounts import AccountIndex, ObservedAccount, name_cores
from factwatch.models import Account, Entity

DATA = Path(__file__).parent.parent / "data" / "impersonation"


@pytest.fixture(scope="module")
def index(entities: list[Entity]) -> AccountIndex:
    return AccountIndex(entities)


@pytest.mark.parametrize(
    ("platform", "handle", "display", "entity_id", "technique"),
    [
        ("facebook", "baotuoitre.official", "Báo Tuổi Trẻ Official", "tuoitre", "added-words"),
        ("youtube", "tintucvnexpress", None, "vnexpress", "added-words"),
        ("tiktok", "vnexpress_fan", "VnExpress Fan", "vnexpress", "added-words"),
        ("facebook", "bbcnewstiengviet24h", "BBC News Tiếng Việt 24h", "bbc", "added-words"),
        ("facebook", "tin.bao.quang.ninh", "Bao Quang Ninh", "baoquangninh", "dropped-diacritics"),
        ("x", "lemonde_fr", None, "lemonde", "separators"),
        ("x", "Le_Fiagro", None, "lefigaro", "edit-distance"),
        ("x", "nytimess", None, "nytimes", "edit-distance"),
        ("x", "rеuters_live", "Rеuters", "reuters", "confusable"),
        ("instagram", "who_int", "World Health Organization", "who", "unregistered-platform"),
        ("facebook", "vnexpress.page", "VnExpress", "vnexpress", "name-copy"),
    ],
)
def test_flags_impersonations(
    index: AccountIndex,
    platform: str,
    handle: str,
    display: str | None,
    entity_id: str,
    technique: str,
) -> None:
    m = index.check(ObservedAccount(platform=platform, handle=handle, display_name=display))
    assert m is not None, handle
    assert m.entity_id == entity_id
    assert m.technique == technique, m
    assert m.evidence["explanation"]
    assert 0.6 <= m.score <= 1.0


def test_registered_accounts_are_never_flagged(index: AccountIndex, entities: list[Entity]) -> None:
    for e in entities:
        for a in e.accounts:
            acc = ObservedAccount(
                platform=a.platform, handle="@" + a.handle.upper(), display_name=a.display_name
            )
            assert index.check(acc) is None, (e.id, a)


@pytest.mark.parametrize(
    ("platform", "handle", "display"),
    [
        ("facebook", "nguyen.thi.lan", "Nguyễn Thị Lan"),
        ("facebook", "quangninhnews", "Quảng Ninh News"),
        ("facebook", "hanoi.news.24h", "Hà Nội News 24h"),
        ("tiktok", "danang.foodie", "Đà Nẵng Foodie"),
        ("x", "marie_dupont", "Marie Dupont"),
        ("x", "lyon_actu", "Lyon Actu"),
        ("instagram", "lemondedesenfants", "Le Monde des Enfants"),
        ("x", "who_cares", "Who Cares"),
        ("x", "james.smith", "James Smith"),
    ],
)
def test_unrelated_accounts_not_flagged(
    index: AccountIndex, platform: str, handle: str, display: str
) -> None:
    assert (
        index.check(ObservedAccount(platform=platform, handle=handle, display_name=display)) is None
    )


def test_avatar_similar_to_logo() -> None:
    ent = Entity(
        id="who",
        name="World Health Organization",
        domains=["who.int"],
        accounts=[Account("x", "WHO", "World Health Organization (WHO)")],
        logos=[str(DATA / "logo_who.png")],
    )
    idx = AccountIndex([ent])
    assert idx.logo_hashes["who"]
    # the name of a person, the logo of the WHO: caught by the picture alone
    m = idx.check(
        ObservedAccount(
            "facebook",
            "health.updates.daily",
            "Health Updates",
            avatar=str(DATA / "avatar_copy.jpg"),
        )
    )
    assert m is not None and m.technique == "avatar" and m.evidence["phash_distance"] <= 5
    assert (
        idx.check(
            ObservedAccount(
                "facebook",
                "health.updates.daily",
                "Health Updates",
                avatar=str(DATA / "avatar_other.png"),
            )
        )
        is None
    )
    # name and logo together raise the score
    a = idx.check(ObservedAccount("facebook", "who_official", "WHO Official"))
    b = idx.check(
        ObservedAccount(
            "facebook", "who_official", "WHO Official", avatar=str(DATA / "avatar_copy.jpg")
        )
    )
    assert a is not None and b is not None and b.score > a.score and "phash_distance" in b.evidence
    # an unreadable avatar is no evidence, not an error
    assert (
        idx.check(ObservedAccount("facebook", "x1", "Someone", avatar=str(DATA / "registry.yaml")))
        is None
    )


def test_name_cores() -> None:
    cores = dict(name_cores(["tin", "tuc", "vnexpress", "24h"]))
    assert "vnexpress" in cores
    assert dict(name_cores(["tintucvnexpress"]))["vnexpress"] == ["tintuc"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.text(max_size=80), st.sampled_from(["facebook", "x", "", "tiktok"]))
def test_any_account_is_safe(index: AccountIndex, handle: str, display: str, platform: str) -> None:  # type: ignore[misc]
    m = index.check(ObservedAccount(platform=platform, handle=handle, display_name=display))
    if m is not None:
        assert m.entity_id in index.entities
