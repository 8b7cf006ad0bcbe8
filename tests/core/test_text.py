import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from factwatch.text import (
    detect_language,
    fold_diacritics,
    normalize_text,
    split_sentences,
    tokenize,
)
from factwatch.text.normalize import fold


def test_nfd_and_nfc_vietnamese_normalise_to_the_same_text():
    nfc = "Uống nước chanh nóng chữa khỏi ung thư ở Hà Nội"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    assert normalize_text(nfd) == nfc


def test_folding_removes_vietnamese_and_french_accents():
    assert fold_diacritics("Đà Nẵng, Hà Nội") == "Da Nang, Ha Noi"
    assert fold("Élève À L'ÉCOLE") == "eleve a l'ecole"
    assert fold(unicodedata.normalize("NFD", "Thủ tướng")) == fold("Thu tuong")


def test_tokens_of_accentless_vietnamese_equal_accented():
    a = tokenize("Uống nước chanh nóng chữa khỏi ung thư", "vi")
    b = tokenize("Uong nuoc chanh nong chua khoi ung thu", "vi")
    assert a == b
    assert "ung_thu" in a  # syllable bigrams for Vietnamese


def test_control_and_zero_width_characters_removed():
    assert normalize_text("a\u200bb\x00c\u202e d  \t e") == "abc d e"


def test_language_identification_first_class_languages():
    assert (
        detect_language("Bộ Y tế khuyến cáo người dân không nên hoảng loạn trước tin đồn") == "vi"
    )
    assert detect_language("Le gouvernement dément la rumeur sur la fermeture des écoles") == "fr"
    assert detect_language("The health ministry denies the rumour about school closures") == "en"
    assert (
        detect_language("Bo Y te khuyen cao nguoi dan khong nen hoang loan truoc tin don") == "vi"
    )
    assert detect_language("!!! ???") == "und"


def test_sentence_split_respects_abbreviations():
    s = split_sentences("Dr. Smith arrived at 10 a.m. today. He said hello! Then he left.")
    assert s[0].startswith("Dr. Smith")
    assert len(s) == 3
    vi = split_sentences("Hôm nay trời mưa. Ngày mai trời nắng. Ông Nam nói vậy.")
    assert vi == ["Hôm nay trời mưa.", "Ngày mai trời nắng.", "Ông Nam nói vậy."]
    fr = split_sentences("M. Dupont est arrivé. Il pleut ! Vraiment ?")
    assert fr == ["M. Dupont est arrivé.", "Il pleut !", "Vraiment ?"]


@given(st.text())
def test_normalisation_is_idempotent_and_total(s):
    once = normalize_text(s)
    assert normalize_text(once) == once
    assert unicodedata.is_normalized("NFC", once)
    split_sentences(s)
    tokenize(s, "vi")
