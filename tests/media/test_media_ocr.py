"""OCR of rendered text in Vietnamese, French and English (needs Debian's tesseract-ocr)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from media_support import jpeg_bytes, needs_tesseract, picture, text_picture
from PIL import Image, ImageDraw, ImageFont
from rapidfuzz.distance import Levenshtein

from factwatch.media.ocr import _parse_tsv, ocr_image, ocr_item_media, otsu_threshold, preprocess
from factwatch.models import Item


def _acc(ref: str, got: str) -> float:
    r, g = " ".join(ref.split()), " ".join(got.split())
    return 1 - Levenshtein.distance(r, g) / len(r)


@needs_tesseract
@pytest.mark.parametrize(
    ("text", "lang", "dark"),
    [
        ("Bộ Y tế khẳng định vắc xin không gây vô sinh", "vi", False),
        ("Le ministère dément toute pénurie d'essence", "fr", True),
        ("Share before they delete this photo!", "en", False),
    ],
)
def test_ocr_reads_three_languages(text: str, lang: str, dark: bool) -> None:
    img = text_picture(text, size=26, dark=dark, width=760)
    res = ocr_image(jpeg_bytes(img, 70))
    assert _acc(text, res.text) >= 0.9, res.text
    assert res.lang == lang
    assert res.confidence > 50


@needs_tesseract
def test_meme_text_over_a_picture(tmp_path: Path, pictures: dict[str, Path]) -> None:
    from media_support import font_path

    img = picture(5, (640, 200))
    font = ImageFont.truetype(font_path(), 34)
    ImageDraw.Draw(img).text(
        (20, 70),
        "THE ELECTION WAS CANCELLED",
        font=font,
        fill="white",
        stroke_width=3,
        stroke_fill="black",
    )
    img.save(tmp_path / "meme.png")
    item = Item(
        source="t",
        native_id="1",
        text="look",
        media=[
            {"type": "image", "path": str(pictures["not_image"])},
            {"type": "video", "path": "clip.mp4"},
            {"type": "image", "path": str(tmp_path / "meme.png")},
        ],
    )
    (res,) = ocr_item_media(item)
    assert res["media_index"] == 2 and res["lang"] == "en"
    assert _acc("THE ELECTION WAS CANCELLED", res["text"]) >= 0.85, res["text"]


@needs_tesseract
def test_picture_without_text_gives_little_text() -> None:
    res = ocr_image(Image.new("RGB", (300, 200), (230, 230, 230)))
    assert res.text == "" and res.lang == "und"


def test_preprocess_inverts_dark_and_upscales_small() -> None:
    img = text_picture("Tin giả", size=12, dark=True, width=120)
    out = preprocess(img)
    assert out.mode == "L" and min(out.size) > min(img.size) * 2
    arr = np.asarray(out)
    assert set(np.unique(arr)) <= {0, 255}
    assert arr.mean() > 127  # background now white


def test_otsu_splits_two_levels() -> None:
    a = np.array([10] * 50 + [200] * 50, dtype=np.uint8)
    assert 10 <= otsu_threshold(a) < 200


def test_tsv_parsing_keeps_lines_and_skips_noise() -> None:
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "5\t1\t1\t1\t1\t1\t0\t0\t1\t1\t90\tXin",
        "5\t1\t1\t1\t1\t2\t0\t0\t1\t1\t80\tchào",
        "5\t1\t1\t1\t2\t1\t0\t0\t1\t1\t70\tbạn",
        "5\t1\t1\t1\t2\t2\t0\t0\t1\t1\t-1\t ",
        "garbage",
    ]
    text, conf = _parse_tsv("\n".join([head, *rows]))
    assert text == "Xin chào\nbạn" and conf == pytest.approx(80.0)
