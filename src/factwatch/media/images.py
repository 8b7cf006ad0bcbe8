"""Opening untrusted image files safely.

Everything a post carries is hostile input: a file may be truncated, not an image at all, or a
"decompression bomb" (a few kilobytes that decode to gigapixels).  ``load_image`` checks the
declared size before decoding, decodes fully (so truncation is found here, not later), takes the
first frame of animations, applies the EXIF orientation and returns an RGB image.  Every failure
is a ``BadImage`` with one sentence saying why.
"""

from __future__ import annotations

import contextlib
import io
import stat
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

# 40 megapixels: above any phone photo or screenshot, far below what would exhaust memory
# (an RGB image this size takes 120 MB).  Pillow's own bomb guard is lowered to the same figure so
# that no code path in the process decodes more.
MAX_PIXELS = 40_000_000
MAX_FILE_BYTES = 100 * 1024 * 1024
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

IMAGE_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".jfif", ".avif", ".heic"}
)
VIDEO_EXTENSIONS = frozenset(
    {
        ".mp4",
        ".m4v",
        ".mov",
        ".webm",
        ".mkv",
        ".avi",
        ".3gp",
        ".mpg",
        ".mpeg",
        ".ts",
        ".flv",
        ".ogv",
    }
)


class BadImage(ValueError):
    """The file cannot be used as an image; the message says why in one sentence."""


def is_video_path(path: str | Path) -> bool:
    return Path(path).suffix.lower() in VIDEO_EXTENSIONS


def load_image(
    source: str | Path | bytes | Image.Image, max_pixels: int = MAX_PIXELS
) -> Image.Image:
    """Decode ``source`` (path, bytes or an open image) into an RGB image, or raise ``BadImage``."""
    if isinstance(source, Image.Image):
        img = source
        if img.width * img.height > max_pixels:
            raise BadImage(f"image too large ({img.width}x{img.height} pixels, limit {max_pixels})")
        return img if img.mode == "RGB" else _to_rgb(img)
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        p = Path(source)
        try:
            st = p.stat()
        except OSError as exc:
            raise BadImage(f"cannot read file ({exc.strerror or exc})") from exc
        if not stat.S_ISREG(st.st_mode):
            raise BadImage("not a regular file")
        size = st.st_size
        if size > MAX_FILE_BYTES:
            raise BadImage(f"file too large ({size} bytes, limit {MAX_FILE_BYTES})")
        if size == 0:
            raise BadImage("empty file")
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise BadImage(f"cannot read file ({exc.strerror or exc})") from exc
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data))
            w, h = img.size
            if w <= 0 or h <= 0:
                raise BadImage("image has no pixels")
            if w * h > max_pixels:
                raise BadImage(
                    f"image too large ({w}x{h} pixels, limit {max_pixels}): possible decompression bomb"
                )
            img.seek(0)
            img.load()
        except BadImage:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise BadImage(f"image too large: possible decompression bomb ({exc})") from exc
        except UnidentifiedImageError as exc:
            raise BadImage("not an image (unknown or unsupported format)") from exc
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise BadImage(f"damaged or truncated image ({exc})") from exc
        except Exception as exc:  # noqa: BLE001 - decoders raise many types on hostile input
            raise BadImage(f"cannot decode image ({type(exc).__name__}: {exc})") from exc
    with contextlib.suppress(Exception):  # a broken EXIF block must not lose the picture
        img = ImageOps.exif_transpose(img) or img
    return _to_rgb(img)


def _to_rgb(img: Image.Image) -> Image.Image:
    if img.mode == "RGB":
        return img
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        bg = Image.new("RGB", rgba.size, (255, 255, 255))
        bg.paste(rgba, mask=rgba.getchannel("A"))
        return bg
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        img = img.point(lambda v: v / 256).convert("L")  # type: ignore[arg-type]
    return img.convert("RGB")
