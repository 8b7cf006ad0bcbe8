"""Shared helpers of the media benchmarks: procedural pictures, edits, fonts, result tables.

Nothing here downloads anything: pictures are drawn with Pillow from a seeded random generator
(gradients, shapes, lines, text, noise, photo-like blur) and fonts come from Debian packages
(fonts-dejavu-core, fonts-liberation, fonts-noto-core).
"""

from __future__ import annotations

import io
import os
import random
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
FONT_DIRS = [Path("/usr/share/fonts/truetype"), Path("/usr/share/fonts/opentype")]
# Fonts that cover Vietnamese, French and English, by family; the first one found of each is used.
FONT_CANDIDATES = {
    "DejaVu Sans": ["dejavu/DejaVuSans.ttf"],
    "DejaVu Serif": ["dejavu/DejaVuSerif.ttf"],
    "DejaVu Sans Bold": ["dejavu/DejaVuSans-Bold.ttf"],
    "Liberation Sans": [
        "liberation/LiberationSans-Regular.ttf",
        "liberation2/LiberationSans-Regular.ttf",
    ],
    "Liberation Serif": [
        "liberation/LiberationSerif-Regular.ttf",
        "liberation2/LiberationSerif-Regular.ttf",
    ],
    "Noto Sans": ["noto/NotoSans-Regular.ttf"],
    "Noto Serif": ["noto/NotoSerif-Regular.ttf"],
}

WORDS = [
    "tin",
    "giả",
    "vaccine",
    "gây",
    "vô",
    "sinh",
    "chính",
    "phủ",
    "thông",
    "báo",
    "miễn",
    "phí",
    "điện",
    "nước",
    "tháng",
    "này",
    "les",
    "autorités",
    "confirment",
    "une",
    "pénurie",
    "d'essence",
    "dès",
    "lundi",
    "prochain",
    "breaking",
    "scientists",
    "confirm",
    "water",
    "cures",
    "the",
    "virus",
    "share",
    "before",
    "deleted",
    "cảnh",
    "báo",
    "lừa",
    "đảo",
    "ngân",
    "hàng",
    "nhà",
    "nước",
    "khuyến",
    "cáo",
    "ne",
    "partagez",
    "pas",
    "cette",
    "image",
    "official",
    "statement",
    "the",
    "election",
    "was",
    "cancelled",
]


def fonts() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for family, rels in FONT_CANDIDATES.items():
        for rel in rels:
            for d in FONT_DIRS:
                if (d / rel).exists():
                    found.setdefault(family, d / rel)
    return found


def any_font() -> Path:
    f = fonts()
    if not f:
        raise SystemExit("no TrueType font found: apt-get install fonts-dejavu-core")
    return next(iter(f.values()))


def _color(rng: random.Random) -> tuple[int, int, int]:
    return (rng.randrange(256), rng.randrange(256), rng.randrange(256))


def procedural_image(seed: int, size: tuple[int, int] | None = None) -> Image.Image:
    """A picture drawn from ``seed``: gradient, shapes, lines, maybe text, noise and blur."""
    rng = random.Random(seed)
    w, h = size or (rng.randrange(160, 320), rng.randrange(140, 280))
    nrng = np.random.default_rng(seed)
    # Background: a linear or radial gradient between two colours.
    c1, c2 = np.array(_color(rng), float), np.array(_color(rng), float)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if rng.random() < 0.5:
        a = rng.uniform(0, 2 * np.pi)
        t = xx * np.cos(a) + yy * np.sin(a)
    else:
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        t = np.hypot(xx - cx, yy - cy)
    t = (t - t.min()) / max(1e-9, float(t.max() - t.min()))
    arr = (c1[None, None, :] * (1 - t[..., None]) + c2[None, None, :] * t[..., None]).astype(
        np.uint8
    )
    img = Image.fromarray(arr, "RGB")
    d = ImageDraw.Draw(img)
    for _ in range(rng.randrange(3, 14)):
        kind = rng.random()
        x0, y0 = rng.randrange(-w // 4, w), rng.randrange(-h // 4, h)
        x1, y1 = x0 + rng.randrange(10, w // 2 + 10), y0 + rng.randrange(10, h // 2 + 10)
        if kind < 0.35:
            d.ellipse((x0, y0, x1, y1), fill=_color(rng))
        elif kind < 0.65:
            d.rectangle((x0, y0, x1, y1), fill=_color(rng))
        elif kind < 0.85:
            pts = [(rng.randrange(w), rng.randrange(h)) for _ in range(rng.randrange(3, 7))]
            d.polygon(pts, fill=_color(rng))
        else:
            d.line((x0, y0, x1, y1), fill=_color(rng), width=rng.randrange(2, 12))
    if rng.random() < 0.5:
        f = fonts()
        if f:
            font = ImageFont.truetype(str(rng.choice(list(f.values()))), rng.randrange(14, 40))
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(2, 6)))
            d.text(
                (rng.randrange(0, w // 3), rng.randrange(0, h - 20)),
                text,
                fill=_color(rng),
                font=font,
            )
    if rng.random() < 0.5:
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 3.0)))
    noise = nrng.normal(0, rng.uniform(0, 12), (h, w, 3))
    out = np.clip(np.asarray(img, float) + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(out, "RGB")


def jpeg(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf).convert("RGB")


def crop(img: Image.Image, frac: float, rng: random.Random) -> Image.Image:
    """Remove ``frac`` of the width and of the height, split at random between the two sides."""
    w, h = img.size
    dx, dy = int(w * frac), int(h * frac)
    left, top = rng.randrange(dx + 1), rng.randrange(dy + 1)
    return img.crop((left, top, w - (dx - left), h - (dy - top)))


def caption_bar(img: Image.Image, text: str, top: bool = True, frac: float = 0.15) -> Image.Image:
    """A meme-style caption: a white bar with black text added above (or below) the picture."""
    w, h = img.size
    bar = max(20, int(h * frac))
    out = Image.new("RGB", (w, h + bar), (255, 255, 255))
    out.paste(img, (0, bar if top else 0))
    font = ImageFont.truetype(str(any_font()), max(10, int(bar * 0.5)))
    ImageDraw.Draw(out).text((8, (0 if top else h) + bar // 5), text, fill=(0, 0, 0), font=font)
    return out


def transforms(seed: int) -> dict[str, Callable[[Image.Image], Image.Image]]:
    """The edits a reused picture goes through, by name."""
    rng = random.Random(seed)
    return {
        "jpeg90": lambda im: jpeg(im, 90),
        "jpeg50": lambda im: jpeg(im, 50),
        "jpeg30": lambda im: jpeg(im, 30),
        "resize50%": lambda im: im.resize((max(8, im.width // 2), max(8, im.height // 2))),
        "resize150%": lambda im: im.resize((im.width * 3 // 2, im.height * 3 // 2)),
        "crop5%": lambda im: crop(im, 0.05, rng),
        "crop10%": lambda im: crop(im, 0.10, rng),
        "caption_top": lambda im: caption_bar(im, "SHARE BEFORE THEY DELETE", top=True),
        "caption_bottom": lambda im: caption_bar(im, "Sự thật bị che giấu!", top=False),
        "mirror": lambda im: im.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
        "mirror+jpeg50": lambda im: jpeg(im.transpose(Image.Transpose.FLIP_LEFT_RIGHT), 50),
        "crop10%+caption+jpeg50": lambda im: jpeg(caption_bar(crop(im, 0.10, rng), "FAKE?"), 50),
    }


def shared_data_dir() -> Path:
    return Path(os.environ.get("FACTWATCH_SHARED_DATA", ROOT.parent / "shared" / "data"))


def write_result(name: str, markdown: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.md").write_text(markdown, encoding="utf-8")
    print(markdown)
