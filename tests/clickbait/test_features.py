"""The hand cues: each fires on its Vietnamese, French and English forms, not on sober news."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factwatch.classify.clickbait_features import CUE_NAMES, clean_title, cue_vector, cues


def names(title: str, lang: str | None) -> set[str]:
    return {c.name for c in cues(title, lang)}


@pytest.mark.parametrize(
    ("title", "lang", "expected"),
    [
        (
            "You Won't Believe What This Dog Did At The Beach",
            "en",
            {"curiosity_gap", "second_person"},
        ),
        ("17 Things Only Coffee Lovers Will Understand", "en", {"numbered_list"}),
        ("The Most Adorable Puppy Ever", "en", {"superlative", "sensational_words"}),
        (
            "Vous ne devinerez jamais ce que cette star a fait",
            "fr",
            {"curiosity_gap", "withheld_subject", "second_person"},
        ),
        ("10 astuces pour détartrer votre bouilloire", "fr", {"numbered_list", "second_person"}),
        ("INCROYABLE : un chat retrouve sa famille", "fr", {"shouting", "sensational_words"}),
        ("Hóa ra đây là lý do người Nhật sống thọ", "vi", {"curiosity_gap"}),
        (
            "5 dấu hiệu cảnh báo gan đang kêu cứu, đừng bỏ qua",
            "vi",
            {"numbered_list", "imperative"},
        ),
        (
            "Nam diễn viên nổi tiếng lộ ảnh hẹn hò, fan 'ngã ngửa'",
            "vi",
            {"withheld_subject", "scare_quotes"},
        ),
        ("Giá vàng hôm nay tăng sốc chưa từng thấy", "vi", {"sensational_words", "superlative"}),
        ("Regardez ça 😱😱", "fr", {"emoji", "imperative"}),
        ("Et maintenant ?", "fr", {"question"}),
        ("Attendez la suite…", "fr", {"ellipsis"}),
    ],
)
def test_cues_fire(title: str, lang: str, expected: set[str]) -> None:
    assert expected <= names(title, lang)


@pytest.mark.parametrize(
    ("title", "lang"),
    [
        ("Senate Passes Budget Bill After Long Debate", "en"),
        ("U.S. Court Rejects Appeal in Tax Case", "en"),
        ("Le Parlement adopte la réforme de l'assurance chômage", "fr"),
        ("Inflation : les prix ont augmenté de 2,3 % sur un an", "fr"),
        ("Thủ tướng chủ trì hội nghị về phát triển kinh tế số", "vi"),
        ("Giá xăng giảm 300 đồng mỗi lít từ 15 giờ chiều nay", "vi"),
        ("NASA and UNESCO sign a cooperation agreement", "en"),
    ],
)
def test_sober_headlines_fire_nothing(title: str, lang: str) -> None:
    assert names(title, lang) == set()


def test_cue_forms_are_per_language() -> None:
    # "vous" is second person in French, not a cue in English
    assert "second_person" in names("Ce que vous ignorez", "fr")
    assert "second_person" not in names("Ce que vous ignorez", "en")
    # without a language every form is tried
    assert "second_person" in names("Ce que vous ignorez", None)


def test_numbers_that_are_not_lists() -> None:
    assert "numbered_list" not in names("3 morts dans une collision sur la RN 88", "fr")
    assert "numbered_list" not in names("2 500 postes supprimés", "fr")
    assert "numbered_list" not in names("12 percent of voters undecided", "en")


def test_outlet_suffix_is_removed() -> None:
    assert clean_title("Giá vàng hôm nay - Báo VietnamNet") == "Giá vàng hôm nay"
    assert clean_title("Giá vàng hôm nay") == "Giá vàng hôm nay"


def test_cue_vector_columns() -> None:
    v = cue_vector(cues("Why You Should Never Do This!", "en"))
    assert len(v) == len(CUE_NAMES)
    assert v[CUE_NAMES.index("second_person")] == 1.0
    assert v[CUE_NAMES.index("exclamation")] == 1.0
    assert v[CUE_NAMES.index("emoji")] == 0.0


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["vi", "fr", "en", None, "de"]))
def test_cues_never_fail(text: str, lang: str | None) -> None:
    found = cues(text, lang)
    assert all(c.name in CUE_NAMES for c in found)
    assert all(isinstance(c.describe(), str) for c in found)
