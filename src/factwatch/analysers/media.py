"""The "media" analyser: pictures (and video keyframes) already debunked by a fact-check.

Index: every picture listed in a fact-check's ``extra["images"]`` (shape in
``factwatch.media.refs``), hashed with PDQ and pHash.  Hashes of reference files are cached in the
store (state ``media.refs``, keyed by path, size and modification time) so that a new run does not
decode them again.

For each item, every local picture or video in ``item.media`` is hashed (videos: keyframes) and
looked up; a picture within the tuned Hamming distance of a known one gives one signal per
fact-check: ``kind="image_match"``, ``target_type="factcheck"``, ``target_id`` the fact-check id,
``score`` = 1 - distance / (threshold + 1), and evidence ``{"distance", "algorithm", "ref",
"threshold", "variant", "media_index", "media_path", "time_s"}`` (``time_s`` for video keyframes).
Pictures that cannot be decoded are skipped (logged), never fatal.

Options (``AnalysisContext.options``): ``media_pdq_threshold``, ``media_phash_threshold``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from factwatch.analysers import register
from factwatch.analysers.base import Analyser, AnalysisContext
from factwatch.media.hashing import PDQ_THRESHOLD, PHASH_THRESHOLD, hash_pil
from factwatch.media.images import BadImage, load_image
from factwatch.media.matcher import Match, MediaMatcher, Reference
from factwatch.media.refs import factcheck_media, item_media
from factwatch.media.video import VideoError, extract_keyframes
from factwatch.models import FactCheck, Item, Signal

log = logging.getLogger(__name__)
STATE_KEY = "media.refs"


class MediaAnalyser:
    name = "media"

    def __init__(self, matcher: MediaMatcher) -> None:
        self.matcher = matcher

    @classmethod
    def from_factchecks(
        cls,
        factchecks: Sequence[FactCheck],
        pdq_threshold: int = PDQ_THRESHOLD,
        phash_threshold: int = PHASH_THRESHOLD,
        cache: dict[str, list[dict[str, Any]]] | None = None,
    ) -> MediaAnalyser:
        matcher = MediaMatcher(pdq_threshold=pdq_threshold, phash_threshold=phash_threshold)
        for fc in factchecks:
            media, problems = factcheck_media(fc, cache)
            for p in problems:
                log.warning("media: %s", p)
            for m in media:
                matcher.add(
                    Reference(m.label, m.pdq, m.phash, m.pdq_quality, payload=fc.id, crops=m.crops)
                )
        return cls(matcher)

    def analyse(self, items: Sequence[Item]) -> list[Signal]:
        signals: list[Signal] = []
        if not len(self.matcher):
            return signals
        for item in items:
            if item.id is None:
                continue
            best: dict[str, tuple[Match, dict[str, Any]]] = {}
            for idx, kind, path in item_media(item):
                try:
                    frames = self._frames(kind, path)
                except (BadImage, VideoError) as exc:
                    log.info("media: item %s media %d (%s) skipped: %s", item.id, idx, path, exc)
                    continue
                for time_s, img in frames:
                    for m in self.matcher.match(hash_pil(img)):
                        fc_id = str(m.ref.payload)
                        where = {"media_index": idx, "media_path": path, "time_s": time_s}
                        if fc_id not in best or m.relative < best[fc_id][0].relative:
                            best[fc_id] = (m, where)
            for fc_id, (m, where) in best.items():
                thr = (
                    self.matcher.pdq_threshold
                    if m.algorithm == "pdq"
                    else self.matcher.phash_threshold
                )
                evidence: dict[str, Any] = {
                    "distance": m.distance,
                    "algorithm": m.algorithm,
                    "threshold": thr,
                    "ref": m.ref.label,
                    "variant": m.variant,
                    **{k: v for k, v in where.items() if v is not None},
                }
                signals.append(
                    Signal(
                        item_id=item.id,
                        kind="image_match",
                        score=round(1.0 - m.distance / (thr + 1), 4),
                        target_type="factcheck",
                        target_id=fc_id,
                        evidence=evidence,
                    )
                )
        return signals

    @staticmethod
    def _frames(kind: str, path: str) -> list[tuple[float | None, Any]]:
        if kind == "video":
            return [(round(k.time_s, 2), k.image) for k in extract_keyframes(path)]
        return [(None, load_image(path))]


@register("media")
def make_media_analyser(ctx: AnalysisContext) -> Analyser:
    store = ctx.store
    cache: dict[str, list[dict[str, Any]]] = {}
    raw = store.get_state(STATE_KEY)
    if raw:
        try:
            loaded = json.loads(raw.decode("utf-8"))
            if isinstance(loaded, dict):
                cache = loaded
        except (ValueError, UnicodeDecodeError):
            cache = {}
    before = len(cache)
    analyser = MediaAnalyser.from_factchecks(
        store.list_factchecks(),
        pdq_threshold=int(ctx.options.get("media_pdq_threshold", PDQ_THRESHOLD)),
        phash_threshold=int(ctx.options.get("media_phash_threshold", PHASH_THRESHOLD)),
        cache=cache,
    )
    if len(cache) != before:
        store.put_state(STATE_KEY, json.dumps(cache).encode("utf-8"))
    return analyser
