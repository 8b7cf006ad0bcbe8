"""Perceptual hashes of images: PDQ (256 bits) and pHash (64 bits), with their mirror images.

- **PDQ** (Meta's open photo hash, through the ``pdqhash`` package): 256 bits from a DCT of a
  64x64 luminance image, with a quality score (0-100; below 50 the picture is too flat for the
  hash to mean much).  ``compute_dihedral`` gives the hash of the mirrored picture at no cost.
- **pHash** (``imagehash.phash``): 64 bits from a DCT of a 32x32 greyscale image.

Hashes are written as lowercase hex (64 characters for PDQ, 16 for pHash), the form stored in
fact-checks and printed by ``factwatch media hash``.  Two pictures are "the same" when the Hamming
distance between their hashes is at most a threshold; the defaults below were tuned by
``benchmarks/media_match.py`` (see docs/media.md) for at most 0.1 % false matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import imagehash
import numpy as np
from PIL import Image

from factwatch.media.images import load_image

PDQ_BITS = 256
PHASH_BITS = 64
# Thresholds (Hamming distance, inclusive) at which a match is reported.  Tuned on the project's own
# transformed copies against 10,000+ unrelated images; see docs/media.md for the figures.
PDQ_THRESHOLD = 31
PHASH_THRESHOLD = 6
# PDQ's own guidance: hashes of quality below 50 come from near-flat pictures and match too easily.
PDQ_MIN_QUALITY = 50
_HEX = re.compile(r"[0-9a-fA-F]+")
# Pictures are reduced to at most this side before hashing (both hashes downsample anyway).
_HASH_SIDE = 512
# Caption bars (see strip_caption_bars).
_BAR_LIGHT, _BAR_DARK, _BAR_TOL = 215.0, 40.0, 40.0
_BAR_MIN_BACKGROUND, _BAR_MIN_FRAC, _BAR_MAX_FRAC = 0.25, 0.05, 0.4


@dataclass(frozen=True, slots=True)
class ImageHashes:
    """The hashes of one picture, of its mirror image, and of the picture without the caption bar
    found at its top or bottom (``None`` when there is none); hex strings."""

    pdq: str
    pdq_quality: int
    phash: str
    pdq_mirror: str
    phash_mirror: str
    pdq_stripped: str | None = None
    phash_stripped: str | None = None

    def as_dict(self) -> dict[str, str | int]:
        return {"pdq": self.pdq, "pdq_quality": self.pdq_quality, "phash": self.phash}


def _bits_to_hex(bits: np.ndarray) -> str:
    """Bit array (most significant first) -> lowercase hex."""
    packed = np.packbits(np.asarray(bits, dtype=np.uint8).ravel())
    return packed.tobytes().hex()


def hex_to_words(hex_hash: str, nbits: int) -> np.ndarray:
    """Hex hash -> big-endian uint64 words (the form the index stores)."""
    h = hex_hash.strip().lower()
    if len(h) != nbits // 4:
        raise ValueError(f"expected {nbits // 4} hex digits for a {nbits}-bit hash, got {len(h)}")
    try:
        raw = bytes.fromhex(h)
    except ValueError as exc:
        raise ValueError(f"not a hex hash: {hex_hash[:80]!r}") from exc
    return np.frombuffer(raw, dtype=">u8").astype(np.uint64)


def words_to_hex(words: np.ndarray) -> str:
    return np.asarray(words, dtype=">u8").tobytes().hex()


def hamming_hex(a: str, b: str) -> int:
    """Hamming distance between two hex hashes of the same length."""
    if len(a) != len(b):
        raise ValueError("hashes of different lengths")
    return (int(a, 16) ^ int(b, 16)).bit_count()


def _prepare(img: Image.Image) -> Image.Image:
    if max(img.size) > _HASH_SIDE:
        img = img.copy()
        img.thumbnail((_HASH_SIDE, _HASH_SIDE), Image.Resampling.BILINEAR)
    return img


def _pdq(img: Image.Image) -> tuple[np.ndarray, int]:
    import pdqhash

    arr = np.ascontiguousarray(np.asarray(img, dtype=np.uint8))
    hashes, quality = pdqhash.compute_dihedral(arr)
    return hashes, int(quality)


def _bar_rows(gray: np.ndarray, max_rows: int) -> int:
    """Rows from the first one that belong to a white or black caption bar (0 when none)."""
    ref = float(np.median(gray[0]))
    if _BAR_DARK < ref < _BAR_LIGHT:
        return 0
    n = 0
    for row in gray[:max_rows]:
        if np.mean(np.abs(row - ref) <= _BAR_TOL) >= _BAR_MIN_BACKGROUND:
            n += 1
        else:
            break
    return n


def strip_caption_bars(img: Image.Image) -> Image.Image | None:
    """The picture without the white or black caption bar added above or below it, or ``None``.

    A bar is a run of rows from the top (or bottom) edge whose first row is near-white or
    near-black and where at least a quarter of each row's pixels have that colour (the rest is
    caption text).  Bars of 5-40 % of the height are removed; memes add such bars to pictures.
    """
    gray = np.asarray(img.convert("L"), dtype=np.float32)
    h, w = gray.shape
    if h < 20:
        return None
    limit = int(h * _BAR_MAX_FRAC)
    top, bottom = _bar_rows(gray, limit), _bar_rows(gray[::-1], limit)
    top = top if top >= _BAR_MIN_FRAC * h else 0
    bottom = bottom if bottom >= _BAR_MIN_FRAC * h else 0
    if top + bottom == 0 or h - top - bottom < 16:
        return None
    return img.crop((0, top, w, h - bottom))


def hash_pil(img: Image.Image) -> ImageHashes:
    """Hashes of an RGB picture already decoded (use ``hash_image`` for files)."""
    img = _prepare(img if img.mode == "RGB" else img.convert("RGB"))
    hashes, quality = _pdq(img)
    # compute_dihedral order: original, rot90, rot180, rot270, flip-vertical, flip-horizontal, ...
    stripped = strip_caption_bars(img)
    pdq_s = ph_s = None
    if stripped is not None:
        pdq_s = _bits_to_hex(_pdq(stripped)[0][0])
        ph_s = str(imagehash.phash(stripped))
    return ImageHashes(
        pdq=_bits_to_hex(hashes[0]),
        pdq_quality=quality,
        phash=str(imagehash.phash(img)),
        pdq_mirror=_bits_to_hex(hashes[5]),
        phash_mirror=str(imagehash.phash(img.transpose(Image.Transpose.FLIP_LEFT_RIGHT))),
        pdq_stripped=pdq_s,
        phash_stripped=ph_s,
    )


REFERENCE_CROPS = (0.05, 0.10)


def reference_crops(img: Image.Image) -> list[tuple[str, str, int]]:
    """``(pdq, phash, quality)`` of centre crops of a known picture (5 % and 10 % removed).

    Stored beside a reference's own hashes, they let a copy cropped by up to 10 % still land
    near one of them: global hashes move fast under crops (see docs/media.md).
    """
    img = _prepare(img if img.mode == "RGB" else img.convert("RGB"))
    w, h = img.size
    out = []
    for f in REFERENCE_CROPS:
        dx, dy = int(w * f / 2), int(h * f / 2)
        if w - 2 * dx < 16 or h - 2 * dy < 16:
            continue
        c = img.crop((dx, dy, w - dx, h - dy))
        hashes, q = _pdq(c)
        out.append((_bits_to_hex(hashes[0]), str(imagehash.phash(c)), q))
    return out


def hash_image(source: str | Path | bytes | Image.Image) -> ImageHashes:
    """Hashes of an image file (or bytes); raises ``BadImage`` when it cannot be decoded."""
    return hash_pil(load_image(source))


def is_pdq_hex(value: object) -> bool:
    return isinstance(value, str) and len(value) == 64 and _is_hex(value)


def is_phash_hex(value: object) -> bool:
    return isinstance(value, str) and len(value) == 16 and _is_hex(value)


def _is_hex(value: str) -> bool:
    return _HEX.fullmatch(value) is not None
