"""Untrusted image files: decoded safely or rejected with one clear sentence."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from factwatch.media.images import MAX_PIXELS, BadImage, load_image


def test_good_picture_decodes_to_rgb(pictures: dict[str, Path]) -> None:
    img = load_image(pictures["a"])
    assert img.mode == "RGB" and img.size == (320, 240)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("truncated", "truncated"),
        ("not_image", "not an image"),
        ("bomb", "decompression bomb"),
    ],
)
def test_bad_files_are_rejected(pictures: dict[str, Path], name: str, message: str) -> None:
    with pytest.raises(BadImage, match=message):
        load_image(pictures[name])


def test_missing_empty_and_special_files(tmp_path: Path) -> None:
    with pytest.raises(BadImage, match="cannot read"):
        load_image(tmp_path / "missing.png")
    (tmp_path / "empty.png").write_bytes(b"")
    with pytest.raises(BadImage, match="empty"):
        load_image(tmp_path / "empty.png")
    with pytest.raises(BadImage, match="regular file"):
        load_image(tmp_path)


def test_transparency_and_palette_become_rgb_on_white() -> None:
    rgba = Image.new("RGBA", (10, 10), (255, 0, 0, 0))
    assert load_image(rgba).getpixel((0, 0)) == (255, 255, 255)
    assert load_image(Image.new("P", (4, 4))).mode == "RGB"


def test_pillow_bomb_limit_is_lowered() -> None:
    assert Image.MAX_IMAGE_PIXELS == MAX_PIXELS <= 50_000_000


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    try:
        img = load_image(data)
    except BadImage:
        return
    assert img.mode == "RGB"


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=2000), st.integers(min_value=0, max_value=255))
def test_damaged_png_never_crashes(cut: int, byte: int) -> None:
    import io

    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 200, 30)).save(buf, "PNG")
    raw = bytearray(buf.getvalue())
    pos = cut % len(raw)
    raw[pos] = byte
    for data in (bytes(raw), bytes(raw[: max(1, pos)])):
        with contextlib.suppress(BadImage):
            load_image(data)
