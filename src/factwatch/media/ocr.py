"""Text in images (memes, screenshots) through Tesseract, in Vietnamese, French and English.

``ocr_image(path)`` returns ``OcrResult(text, lang)``.  Method:

1. The picture is decoded safely (``load_image``: size limits, truncation, bombs).
2. Pre-processing for screenshots and memes: greyscale; small pictures are upscaled (shorter
   side to about 1000 px, at most x4: Tesseract reads poorly below ~20 px text); dark backgrounds
   (light text) are inverted so text is dark on light, as Tesseract's models expect; a 3x3
   median filter removes JPEG speckle; then Otsu binarisation.  When Tesseract's mean word
   confidence on that is below 80, two other preparations are tried (white-text isolation for
   meme captions outlined over a photo, and plain greyscale) and the most confident is kept.
3. Tesseract (``tesseract`` command, Debian packages ``tesseract-ocr`` ``tesseract-ocr-vie``
   ``tesseract-ocr-fra``; English ships with the engine) runs once with ``vie+fra+eng``; the
   language of the text is identified (``factwatch.text.lang``) and, when it is Vietnamese or
   French, Tesseract runs again with that language first (``vie+eng`` / ``fra+eng``), which
   restores diacritics the mixed model drops.  The pass whose words Tesseract is more confident in
   is kept.

Tesseract runs as a subprocess with a time limit and one thread (``OMP_THREAD_LIMIT=1``).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from factwatch.media.images import load_image
from factwatch.models import Item
from factwatch.text.lang import detect_language
from factwatch.text.normalize import normalize_text

TESSERACT_LANGS = {"vi": "vie", "fr": "fra", "en": "eng"}
DEFAULT_LANGS = "vie+fra+eng"
TIMEOUT_S = 60.0
_TARGET_MIN_SIDE = 1000  # upscale small pictures until their shorter side is about this
_MAX_UPSCALE = 4.0
_MAX_OCR_SIDE = 4000
_WHITE_TEXT = 215  # grey level above which a pixel counts as white caption text
_FLAT_STD = 4.0  # grey-level standard deviation under which a picture is taken as blank
_GOOD_CONFIDENCE = 80.0  # below this mean word confidence, other preparations are tried


class OcrUnavailable(RuntimeError):
    """Tesseract or one of its language files is not installed."""


@dataclass(frozen=True, slots=True)
class OcrResult:
    text: str
    lang: str  # ISO 639-1 code of the text ("vi", "fr", "en", ...) or "und"
    confidence: float = 0.0  # Tesseract's mean word confidence, 0-100


def tesseract_path() -> str:
    exe = shutil.which("tesseract")
    if exe is None:
        raise OcrUnavailable(
            "tesseract is not installed (apt-get install -y tesseract-ocr tesseract-ocr-vie tesseract-ocr-fra)"
        )
    return exe


def preprocess(img: Image.Image, binarise: bool = True, mode: str = "otsu") -> Image.Image:
    """Greyscale, dark-background inversion, upscaling of small text, denoising, binarisation.

    ``mode``: "otsu" (global Otsu threshold: screenshots, text on plain backgrounds), "gray" (no
    binarisation), "white" (keeps only near-white pixels as text: meme captions drawn in white
    with a dark outline over a photo).
    """
    g = ImageOps.grayscale(img)
    w, h = g.size
    scale = min(_MAX_UPSCALE, _TARGET_MIN_SIDE / max(1, min(w, h)))
    if scale > 1.2:
        g = g.resize((round(w * scale), round(h * scale)), Image.Resampling.LANCZOS)
    if max(g.size) > _MAX_OCR_SIDE:
        g.thumbnail((_MAX_OCR_SIDE, _MAX_OCR_SIDE), Image.Resampling.LANCZOS)
    if mode == "white":
        a = np.asarray(g)
        return Image.fromarray(np.where(a >= _WHITE_TEXT, 0, 255).astype(np.uint8), "L")
    arr = np.asarray(g)
    # Dark background: the border (where backgrounds show) is darker than mid-grey.
    border = np.concatenate([arr[0], arr[-1], arr[:, 0], arr[:, -1]])
    if float(np.median(border)) < 110 or (float(np.median(arr)) < 100):
        g = ImageOps.invert(g)
    g = g.filter(ImageFilter.MedianFilter(3))
    if binarise and mode == "otsu":
        a = np.asarray(g)
        t = otsu_threshold(a)
        g = Image.fromarray(np.where(a > t, 255, 0).astype(np.uint8), "L")
    return g


def otsu_threshold(gray: np.ndarray) -> int:
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    if total == 0:
        return 127
    omega = np.cumsum(hist) / total
    mu = np.cumsum(hist * np.arange(256)) / total
    mu_t = mu[-1]
    denom = omega * (1 - omega)
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma_b = np.where(denom > 0, (mu_t * omega - mu) ** 2 / denom, 0.0)
    return int(np.argmax(sigma_b))


def _run_tesseract(img: Image.Image, langs: str, psm: int = 3) -> tuple[str, float]:
    """Text and mean word confidence of one Tesseract pass (TSV output)."""
    exe = tesseract_path()
    buf = io.BytesIO()
    img.save(buf, "PNG")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        proc = subprocess.run(
            [exe, "stdin", "stdout", "-l", langs, "--psm", str(psm), "tsv"],
            input=buf.getvalue(),
            capture_output=True,
            timeout=TIMEOUT_S,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"tesseract took longer than {TIMEOUT_S:.0f} s") from exc
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        if any("Failed loading language" in m or "Error opening data file" in m for m in msg):
            raise OcrUnavailable(
                f"tesseract language data missing for {langs}: {msg[-1] if msg else ''}"
            )
        raise RuntimeError(f"tesseract failed: {msg[-1] if msg else proc.returncode}")
    return _parse_tsv(proc.stdout.decode("utf-8", "replace"))


def _parse_tsv(tsv: str) -> tuple[str, float]:
    """Tesseract TSV -> text with its line breaks, mean confidence of recognised words."""
    lines: dict[tuple[int, int, int, int], list[str]] = {}
    confs: list[float] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        word = cols[11].strip()
        if not word:
            continue
        try:
            conf = float(cols[10])
            key = (int(cols[1]), int(cols[2]), int(cols[3]), int(cols[4]))
        except ValueError:
            continue
        lines.setdefault(key, []).append(word)
        if conf >= 0:
            confs.append(conf)
    text = "\n".join(" ".join(ws) for _, ws in sorted(lines.items()))
    return normalize_text(text), (float(np.mean(confs)) if confs else 0.0)


def ocr_pil(
    img: Image.Image, langs: str = DEFAULT_LANGS, preprocess_image: bool = True
) -> OcrResult:
    """OCR of a decoded picture (see the module docstring for the method)."""
    if float(np.asarray(ImageOps.grayscale(img)).std()) < _FLAT_STD:
        return OcrResult(text="", lang="und", confidence=0.0)  # a flat picture holds no text
    if not preprocess_image:
        prepared = img.convert("L")
        text, conf = _run_tesseract(prepared, langs)
    else:
        prepared = preprocess(img)
        text, conf = _run_tesseract(prepared, langs)
        if conf < _GOOD_CONFIDENCE:
            # Busy picture or unusual colours: try the other preparations, keep the most confident
            # one that does not lose most of the text.
            for mode in ("white", "gray"):
                cand = preprocess(img, mode=mode)
                t2, c2 = _run_tesseract(cand, langs)
                if t2 and c2 > conf and len(t2) >= 0.5 * len(text):
                    prepared, text, conf = cand, t2, c2
    lang = detect_language(text) if text else "und"
    if langs == DEFAULT_LANGS and lang in ("vi", "fr"):
        text2, conf2 = _run_tesseract(prepared, f"{TESSERACT_LANGS[lang]}+eng")
        if text2 and conf2 >= conf - 1.0:
            text, conf = text2, conf2
            lang = detect_language(text) or lang
    return OcrResult(text=text, lang=lang if text else "und", confidence=round(conf, 1))


def ocr_image(
    path: str | Path | bytes | Image.Image,
    langs: str = DEFAULT_LANGS,
    preprocess_image: bool = True,
) -> OcrResult:
    """Text in the picture at ``path`` and its language; raises ``BadImage`` or ``OcrUnavailable``."""
    return ocr_pil(load_image(path), langs=langs, preprocess_image=preprocess_image)


def ocr_item_media(item: Item, min_confidence: float = 40.0) -> list[dict[str, Any]]:
    """OCR of every local image an item carries, for the pipeline to add to the item.

    Returns ``[{"media_index", "path", "text", "lang", "confidence"}, ...]`` for images whose text
    is non-empty and whose confidence is at least ``min_confidence``; pictures that cannot be
    decoded are skipped.  The pipeline stores this in ``item.extra["ocr"]`` and appends the texts
    to what the text analysers read (see docs/media.md).
    """
    from factwatch.media.images import BadImage
    from factwatch.media.refs import item_media

    out: list[dict[str, Any]] = []
    for idx, kind, path in item_media(item):
        if kind != "image":
            continue
        try:
            res = ocr_image(path)
        except OcrUnavailable:
            raise
        except (BadImage, RuntimeError):
            continue
        if res.text and res.confidence >= min_confidence:
            out.append(
                {
                    "media_index": idx,
                    "path": path,
                    "text": res.text,
                    "lang": res.lang,
                    "confidence": res.confidence,
                }
            )
    return out
