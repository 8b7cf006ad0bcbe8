"""Helpers shared by the media tests (imported by name: conftest modules collide across folders).

Pictures and videos the media tests draw themselves (seeded, no files shipped)."""

from __future__ import annotations

import io
import random
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
]

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="tesseract not installed"
)
needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg not installed")


def font_path() -> str:
    for f in FONT_CANDIDATES:
        if Path(f).exists():
            return f
    pytest.skip("no TrueType font installed (fonts-dejavu-core)")
    raise AssertionError


def picture(seed: int, size: tuple[int, int] = (320, 240)) -> Image.Image:
    """A busy, photo-like picture: gradient, shapes, blur and noise, all from ``seed``."""
    rng = random.Random(seed)
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = rng.uniform(0, 6.28)
    t = xx * np.cos(a) + yy * np.sin(a)
    t = (t - t.min()) / max(1e-6, float(t.max() - t.min()))
    c1 = np.array([rng.randrange(256) for _ in range(3)], np.float32)
    c2 = np.array([rng.randrange(256) for _ in range(3)], np.float32)
    arr = c1 * (1 - t[..., None]) + c2 * t[..., None]
    img = Image.fromarray(arr.astype(np.uint8), "RGB")
    d = ImageDraw.Draw(img)
    for _ in range(10):
        x0, y0 = rng.randrange(w), rng.randrange(h)
        box = (x0, y0, x0 + rng.randrange(20, w // 2), y0 + rng.randrange(20, h // 2))
        fill = tuple(rng.randrange(256) for _ in range(3))
        (d.ellipse if rng.random() < 0.5 else d.rectangle)(box, fill=fill)
    img = img.filter(ImageFilter.GaussianBlur(1.0))
    noise = np.random.default_rng(seed).normal(0, 4, (h, w, 3))
    return Image.fromarray(np.clip(np.asarray(img, np.float32) + noise, 0, 255).astype(np.uint8))


def jpeg_bytes(img: Image.Image, quality: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def text_picture(text: str, size: int = 28, dark: bool = False, width: int = 700) -> Image.Image:
    font = ImageFont.truetype(font_path(), size)
    bg, fg = ((20, 24, 32), (240, 240, 240)) if dark else ((255, 255, 255), (15, 15, 15))
    img = Image.new("RGB", (width, size * 3), bg)
    ImageDraw.Draw(img).text((size, size), text, font=font, fill=fg)
    return img


def make_video(
    path: Path, scenes: list[Image.Image], seconds_each: float = 2.0, fps: int = 5
) -> None:
    """Encode ``scenes`` (held ``seconds_each`` each) as H.264 with ffmpeg."""
    frames = path.parent / f"{path.stem}_frames"
    frames.mkdir(exist_ok=True)
    n = 0
    for img in scenes:
        for _ in range(int(seconds_each * fps)):
            img.save(frames / f"f_{n:05d}.png")
            n += 1
    subprocess.run(
        [
            "ffmpeg",
            "-y",
            "-loglevel",
            "error",
            "-framerate",
            str(fps),
            "-i",
            str(frames / "f_%05d.png"),
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            str(path),
        ],
        check=True,
        timeout=120,
    )


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` x ``height`` pixels and holds none: a decompression bomb's header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )
