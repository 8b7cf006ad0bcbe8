"""PDQ and pHash: edited copies stay close, unrelated pictures stay far."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from factwatch.media.hashing import (
    PDQ_THRESHOLD,
    PHASH_THRESHOLD,
    hamming_hex,
    hash_image,
    hex_to_words,
    is_pdq_hex,
    is_phash_hex,
    words_to_hex,
)


def test_hash_shapes_and_round_trip(pictures: dict[str, Path]) -> None:
    h = hash_image(pictures["a"])
    assert is_pdq_hex(h.pdq) and is_phash_hex(h.phash)
    assert 0 <= h.pdq_quality <= 100
    assert words_to_hex(hex_to_words(h.pdq, 256)) == h.pdq
    assert words_to_hex(hex_to_words(h.phash, 64)) == h.phash
    assert hash_image(pictures["a"].read_bytes()) == h


def test_copies_close_unrelated_far(pictures: dict[str, Path]) -> None:
    a = hash_image(pictures["a"])
    copy = hash_image(pictures["a_jpeg"])
    mirror = hash_image(pictures["a_mirror"])
    other = hash_image(pictures["unrelated"])
    assert hamming_hex(a.pdq, copy.pdq) <= PDQ_THRESHOLD
    assert hamming_hex(a.phash, copy.phash) <= PHASH_THRESHOLD
    # A mirrored copy is far as it is, close once the query is mirrored back.
    assert hamming_hex(a.pdq, mirror.pdq) > PDQ_THRESHOLD
    assert hamming_hex(a.pdq, mirror.pdq_mirror) <= PDQ_THRESHOLD
    assert hamming_hex(a.phash, mirror.phash_mirror) <= PHASH_THRESHOLD
    assert hamming_hex(a.pdq, other.pdq) > PDQ_THRESHOLD
    assert hamming_hex(a.phash, other.phash) > PHASH_THRESHOLD


def test_hex_validation() -> None:
    assert not is_pdq_hex("0x" + "0" * 62)
    assert not is_phash_hex("g" * 16)
    with pytest.raises(ValueError):
        hex_to_words("abc", 64)
    with pytest.raises(ValueError):
        hex_to_words("zz" * 8, 64)
    assert hamming_hex("ff" * 8, "00" * 8) == 64
    assert np.array_equal(hex_to_words("00" * 7 + "01", 64), np.array([1], dtype=np.uint64))


def test_caption_bar_is_removed_before_matching() -> None:
    from media_support import font_path, picture
    from PIL import Image, ImageDraw, ImageFont

    from factwatch.media.hashing import hash_pil, strip_caption_bars
    from factwatch.media.matcher import MediaMatcher

    base = picture(21)
    meme = Image.new("RGB", (base.width, base.height + 50), "white")
    meme.paste(base, (0, 50))
    font = ImageFont.truetype(font_path(), 26)
    ImageDraw.Draw(meme).text((10, 10), "SỰ THẬT BỊ CHE GIẤU", font=font, fill="black")
    stripped = strip_caption_bars(meme)
    assert stripped is not None and stripped.size == base.size
    assert strip_caption_bars(base) is None
    matcher = MediaMatcher()
    matcher.add_hashes("base", hash_pil(base))
    (m,) = matcher.match(hash_pil(meme))
    assert m.variant == "caption_removed" and m.distance <= 2


def test_reference_crops_catch_cropped_copies() -> None:
    from media_support import picture

    from factwatch.media.hashing import hash_pil, reference_crops
    from factwatch.media.matcher import MediaMatcher

    base = picture(31, (400, 300))
    cropped = base.crop((20, 15, 380, 285))  # 10 % off each dimension, centred
    plain, with_crops = MediaMatcher(), MediaMatcher()
    plain.add_hashes("base", hash_pil(base))
    with_crops.add_hashes("base", hash_pil(base), crops=tuple(reference_crops(base)))
    q = hash_pil(cropped)
    found = with_crops.match(q)
    assert found and found[0].ref.label == "base"
    assert not plain.match(q) or plain.match(q)[0].distance > found[0].distance
