"""The pictures a fact-check debunks, and the pictures an item carries.

**Fact-checks** carry the images (or videos) they debunk in ``FactCheck.extra["images"]``, a list
whose entries are either

- a string: a local file path (image or video, by extension), a 64-hex-digit PDQ hash, or a
  16-hex-digit pHash; or
- an object: ``{"path": "...", "url": "...", "pdq": "<64 hex>", "phash": "<16 hex>",
  "caption": "..."}`` where every key is optional but at least ``path``, ``pdq`` or ``phash`` must
  be present.  Hashes given are used as they are; otherwise the file at ``path`` is hashed (video
  files: every keyframe).  ``url`` is only a label: nothing is downloaded.

For example::

    {"images": ["/data/fc/flood-2019.jpg",
                {"url": "https://example.org/fake.jpg", "pdq": "f8f8...", "phash": "c3d4e5f6a7b8c9d0"}]}

**Items** carry media in ``Item.media`` as ``{"type": "image" | "video", "path": "..."}`` (entries
without a local ``path`` are skipped; the type is guessed from the extension when missing).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factwatch.media.hashing import (
    ImageHashes,
    hash_pil,
    is_pdq_hex,
    is_phash_hex,
    reference_crops,
)
from factwatch.media.images import BadImage, is_video_path, load_image
from factwatch.media.video import VideoError, hash_video
from factwatch.models import FactCheck, Item


@dataclass(frozen=True, slots=True)
class HashedMedia:
    """One picture or keyframe with its hashes; ``label`` names it (path, url, ``path@t=1.6s``)."""

    label: str
    pdq: str | None
    phash: str | None
    pdq_quality: int | None
    time_s: float | None = None
    crops: tuple[tuple[str | None, str | None, int | None], ...] = ()


def hash_file(
    path: str | Path, kind: str | None = None, with_crops: bool = True
) -> list[HashedMedia]:
    """Hashes of an image file (one entry, with its centre crops) or a video (one per keyframe)."""
    p = str(path)
    if kind == "video" or (kind is None and is_video_path(p)):
        return [
            HashedMedia(f"{p}@t={t:.2f}s", h.pdq, h.phash, h.pdq_quality, t)
            for t, h in hash_video(p)
        ]
    img = load_image(p)
    h = hash_pil(img)
    crops = tuple(reference_crops(img)) if with_crops else ()
    return [HashedMedia(p, h.pdq, h.phash, h.pdq_quality, None, crops)]


def hashes_of(m: HashedMedia) -> ImageHashes | None:
    """An ``ImageHashes`` to query with, when both hashes are known (mirrors unknown: reuse)."""
    if m.pdq is None or m.phash is None:
        return None
    return ImageHashes(m.pdq, m.pdq_quality or 0, m.phash, m.pdq, m.phash)


def factcheck_media(
    fc: FactCheck, cache: dict[str, list[dict[str, Any]]] | None = None
) -> tuple[list[HashedMedia], list[str]]:
    """The hashed pictures of a fact-check and a list of problems (one sentence each)."""
    entries = fc.extra.get("images") if isinstance(fc.extra, dict) else None
    if entries is None:
        return [], []
    if not isinstance(entries, list):
        return [], [f"fact-check {fc.id}: extra.images must be a list"]
    out: list[HashedMedia] = []
    problems: list[str] = []
    for n, e in enumerate(entries):
        where = f"fact-check {fc.id} image {n}"
        if isinstance(e, str):
            if is_pdq_hex(e):
                out.append(HashedMedia(f"{fc.id}#{n}", e.lower(), None, None))
                continue
            if is_phash_hex(e):
                out.append(HashedMedia(f"{fc.id}#{n}", None, e.lower(), None))
                continue
            e = {"path": e}
        if not isinstance(e, dict):
            problems.append(f"{where}: expected a string or an object")
            continue
        pdq, phash = e.get("pdq"), e.get("phash")
        label = str(e.get("url") or e.get("path") or f"{fc.id}#{n}")
        if pdq is not None and not is_pdq_hex(pdq):
            problems.append(f"{where}: pdq must be 64 hex digits")
            pdq = None
        if phash is not None and not is_phash_hex(phash):
            problems.append(f"{where}: phash must be 16 hex digits")
            phash = None
        if pdq or phash:
            out.append(
                HashedMedia(
                    label, pdq.lower() if pdq else None, phash.lower() if phash else None, None
                )
            )
            continue
        path = e.get("path")
        if not isinstance(path, str) or not path:
            problems.append(f"{where}: needs a path, a pdq or a phash")
            continue
        try:
            out.extend(_cached_hash(path, cache))
        except (BadImage, VideoError) as exc:
            problems.append(f"{where} ({path}): {exc}")
    return out, problems


def _cached_hash(path: str, cache: dict[str, list[dict[str, Any]]] | None) -> list[HashedMedia]:
    p = Path(path)
    try:
        st = p.stat()
        key = f"{p.resolve()}|{st.st_size}|{st.st_mtime_ns}"
    except OSError as exc:
        raise BadImage(f"cannot read file ({exc.strerror or exc})") from exc
    if cache is not None and key in cache:
        try:
            return [
                HashedMedia(**{**d, "crops": tuple(tuple(c) for c in d.get("crops", ()))})
                for d in cache[key]
            ]
        except TypeError:
            pass  # an entry written by another version: hash again
    hashed = hash_file(path)
    if cache is not None:
        cache[key] = [
            {
                "label": h.label,
                "pdq": h.pdq,
                "phash": h.phash,
                "pdq_quality": h.pdq_quality,
                "time_s": h.time_s,
                "crops": [list(c) for c in h.crops],
            }
            for h in hashed
        ]
    return hashed


def item_media(item: Item) -> Iterator[tuple[int, str, str]]:
    """``(index, kind, path)`` of every local image or video an item carries."""
    for n, m in enumerate(item.media or []):
        if not isinstance(m, dict):
            continue
        path = m.get("path")
        if not isinstance(path, str) or not path:
            continue
        kind = m.get("type")
        if kind not in ("image", "video"):
            kind = "video" if is_video_path(path) else "image"
        yield n, kind, path
