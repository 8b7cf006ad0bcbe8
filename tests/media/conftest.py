"""Fixtures of the media tests; the drawing helpers live in media_support.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from media_support import jpeg_bytes, picture, png_header_only
from PIL import Image


@pytest.fixture(scope="session")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Reference pictures, edited copies, an unrelated picture and bad files, on disk."""
    tmp_path = tmp_path_factory.mktemp("pictures")
    out: dict[str, Path] = {}
    a, b = picture(1), picture(2)
    out["a"] = tmp_path / "a.png"
    a.save(out["a"])
    out["b"] = tmp_path / "b.png"
    b.save(out["b"])
    out["a_jpeg"] = tmp_path / "a_copy.jpg"
    out["a_jpeg"].write_bytes(jpeg_bytes(a.resize((240, 180)), 50))
    out["a_mirror"] = tmp_path / "a_mirror.jpg"
    out["a_mirror"].write_bytes(jpeg_bytes(a.transpose(Image.Transpose.FLIP_LEFT_RIGHT), 80))
    out["unrelated"] = tmp_path / "unrelated.png"
    picture(99).save(out["unrelated"])
    out["truncated"] = tmp_path / "truncated.jpg"
    out["truncated"].write_bytes(jpeg_bytes(a, 90)[:1500])
    out["not_image"] = tmp_path / "not_image.png"
    out["not_image"].write_text("<html>this is not a picture</html>")
    out["bomb"] = tmp_path / "bomb.png"
    out["bomb"].write_bytes(png_header_only(30000, 30000))  # 900 Mpx declared
    return out
