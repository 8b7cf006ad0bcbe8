"""Known pictures and the look-up of a new one among them (used by the analyser and the CLI).

A reference is a picture (or a video keyframe) with its PDQ and pHash hashes and a label.  A query
matches a reference (its own hashes or those of its 5 % and 10 % centre crops) when, for the
query, its mirror image or the query without a caption bar (``strip_caption_bars``), PDQ distance <= ``pdq_threshold``
(only when both PDQ hashes have quality >= 50) or pHash distance <= ``phash_threshold``.  Each
matched reference is reported once, with the algorithm whose distance is smaller relative to its
threshold; matches are sorted best first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from factwatch.media.hashing import (
    PDQ_MIN_QUALITY,
    PDQ_THRESHOLD,
    PHASH_THRESHOLD,
    ImageHashes,
    hex_to_words,
)
from factwatch.media.index import HammingIndex


@dataclass(frozen=True, slots=True)
class Reference:
    label: str
    pdq: str | None = None
    phash: str | None = None
    pdq_quality: int | None = None
    payload: Any = None
    # Hashes of centre crops of the picture ((pdq, phash, quality), see reference_crops): they
    # are indexed under the same reference.
    crops: tuple[tuple[str | None, str | None, int | None], ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    ref: Reference
    distance: int
    algorithm: str  # "pdq" | "phash"
    variant: str  # which form of the query matched: "as_is" | "mirrored" | "caption_removed"
    relative: float  # distance / threshold (0 = identical)

    @property
    def mirrored(self) -> bool:
        return self.variant == "mirrored"

    def as_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref.label,
            "distance": self.distance,
            "algorithm": self.algorithm,
            "variant": self.variant,
        }


@dataclass
class MediaMatcher:
    pdq_threshold: int = PDQ_THRESHOLD
    phash_threshold: int = PHASH_THRESHOLD
    refs: list[Reference] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._pdq = HammingIndex(256)
        self._phash = HammingIndex(64)

    def __len__(self) -> int:
        return len(self.refs)

    def add(self, ref: Reference) -> None:
        """Add a reference; hashes are validated (ValueError on a malformed hash)."""
        pdq_words = hex_to_words(ref.pdq, 256) if ref.pdq else None
        ph_words = hex_to_words(ref.phash, 64) if ref.phash else None
        if pdq_words is None and ph_words is None:
            raise ValueError("a reference needs a PDQ or a pHash hash")
        crops = [
            (
                hex_to_words(p, 256) if p else None,
                hex_to_words(ph, 64) if ph else None,
                q,
            )
            for p, ph, q in ref.crops
        ]
        rid = len(self.refs)
        self.refs.append(ref)
        for pw, hw, q in [(pdq_words, ph_words, ref.pdq_quality), *crops]:
            if pw is not None and (q is None or q >= PDQ_MIN_QUALITY):
                self._pdq.add(pw[None, :], [rid])
            if hw is not None:
                self._phash.add(hw[None, :], [rid])

    def add_hashes(
        self,
        label: str,
        hashes: ImageHashes,
        payload: Any = None,
        crops: tuple[tuple[str | None, str | None, int | None], ...] = (),
    ) -> None:
        self.add(Reference(label, hashes.pdq, hashes.phash, hashes.pdq_quality, payload, crops))

    def match(self, h: ImageHashes) -> list[Match]:
        best: dict[int, Match] = {}

        def consider(rid: int, dist: int, alg: str, variant: str, thr: int) -> None:
            rel = dist / max(1, thr)
            cur = best.get(rid)
            if cur is None or rel < cur.relative:
                best[rid] = Match(self.refs[rid], dist, alg, variant, rel)

        if h.pdq_quality >= PDQ_MIN_QUALITY and len(self._pdq):
            for variant, hx in _variants(h.pdq, h.pdq_mirror, h.pdq_stripped):
                for rid, dist in self._pdq.query_hex(hx, self.pdq_threshold):
                    consider(rid, dist, "pdq", variant, self.pdq_threshold)
        if len(self._phash):
            for variant, hx in _variants(h.phash, h.phash_mirror, h.phash_stripped):
                for rid, dist in self._phash.query_hex(hx, self.phash_threshold):
                    consider(rid, dist, "phash", variant, self.phash_threshold)
        order = {"as_is": 0, "mirrored": 1, "caption_removed": 2}
        return sorted(best.values(), key=lambda m: (m.relative, order[m.variant], m.ref.label))


def _variants(as_is: str, mirrored: str, stripped: str | None) -> list[tuple[str, str]]:
    out = [("as_is", as_is)]
    if mirrored != as_is:
        out.append(("mirrored", mirrored))
    if stripped is not None:
        out.append(("caption_removed", stripped))
    return out
