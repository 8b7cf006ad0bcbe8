"""``factwatch media ocr|hash|match``: text in pictures, perceptual hashes, known-picture look-up.

Each input file gives one JSON line, in input order, carrying its ``file``; a file that cannot be
read as an image (missing, truncated, not an image, a decompression bomb) is reported on standard
error as ``FILE: message`` and the others are still processed (exit 1).  Video files (by
extension) are read through their keyframes.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from factwatch.cli._io import EXIT_USAGE, JsonlWriter, Rejections, err_console

OutputOpt = Annotated[
    str | None, typer.Option("--output", "-o", help="Write JSONL here instead of standard output.")
]


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="Images and video: OCR, perceptual hashes, matching.", no_args_is_help=True
    )
    app.add_typer(group, name="media")

    @group.command("ocr")
    def ocr(
        files: Annotated[list[str], typer.Argument(help="Image files.")],
        output: OutputOpt = None,
        langs: Annotated[str, typer.Option("--langs", help="Tesseract languages.")] = "vie+fra+eng",
        raw: Annotated[
            bool, typer.Option("--raw", help="Skip pre-processing (greyscale only).")
        ] = False,
    ) -> None:
        """Text in each image: {"file", "text", "lang", "confidence"}."""
        from factwatch.media.images import BadImage
        from factwatch.media.ocr import OcrUnavailable, ocr_image

        rej = Rejections()
        with JsonlWriter(output) as out:
            for f in files:
                try:
                    res = ocr_image(f, langs=langs, preprocess_image=not raw)
                except BadImage as exc:
                    rej.add(f, str(exc))
                    continue
                except OcrUnavailable as exc:
                    err_console.print(f"error: {exc}")
                    raise typer.Exit(EXIT_USAGE) from exc
                except RuntimeError as exc:
                    rej.add(f, str(exc))
                    continue
                out.write(
                    {"file": f, "text": res.text, "lang": res.lang, "confidence": res.confidence}
                )
        raise typer.Exit(rej.exit_code)

    @group.command("hash")
    def hash_(
        files: Annotated[list[str], typer.Argument(help="Image or video files.")],
        output: OutputOpt = None,
    ) -> None:
        """PDQ and pHash of each image: {"file", "pdq", "phash", "pdq_quality"} (+ "keyframes" for videos)."""
        rej = Rejections()
        with JsonlWriter(output) as out:
            for f in files:
                hashed = _hash(f, rej, with_crops=False)
                if hashed is None:
                    continue
                first = hashed[0]
                row: dict[str, Any] = {
                    "file": f,
                    "pdq": first.pdq,
                    "phash": first.phash,
                    "pdq_quality": first.pdq_quality,
                }
                if first.time_s is not None:
                    row["keyframes"] = [
                        {
                            "time_s": round(h.time_s or 0.0, 2),
                            "pdq": h.pdq,
                            "phash": h.phash,
                            "pdq_quality": h.pdq_quality,
                        }
                        for h in hashed
                    ]
                out.write(row)
        raise typer.Exit(rej.exit_code)

    @group.command("match")
    def match(
        queries: Annotated[list[str], typer.Argument(help="Image or video files to look up.")],
        against: Annotated[
            list[str],
            typer.Option("--against", help="Known image or video files (repeat the option)."),
        ],
        output: OutputOpt = None,
        pdq_threshold: Annotated[
            int | None, typer.Option("--pdq-threshold", min=0, max=256, help="Max PDQ distance.")
        ] = None,
        phash_threshold: Annotated[
            int | None, typer.Option("--phash-threshold", min=0, max=64, help="Max pHash distance.")
        ] = None,
    ) -> None:
        """Known images each query matches: {"file", "matches": [{"ref", "distance", "algorithm"}]}, best first."""
        from factwatch.media.hashing import PDQ_THRESHOLD, PHASH_THRESHOLD, hash_image
        from factwatch.media.images import BadImage, is_video_path
        from factwatch.media.matcher import MediaMatcher, Reference
        from factwatch.media.video import VideoError, hash_video

        if not against:
            err_console.print("error: give at least one --against file")
            raise typer.Exit(EXIT_USAGE)
        rej = Rejections()
        matcher = MediaMatcher(
            pdq_threshold=PDQ_THRESHOLD if pdq_threshold is None else pdq_threshold,
            phash_threshold=PHASH_THRESHOLD if phash_threshold is None else phash_threshold,
        )
        for ref in against:
            hashed = _hash(ref, rej)
            for h in hashed or []:
                matcher.add(
                    Reference(ref, h.pdq, h.phash, h.pdq_quality, payload=h.time_s, crops=h.crops)
                )
        with JsonlWriter(output) as out:
            for f in queries:
                try:
                    frames: list[tuple[float | None, Any]] = (
                        list(hash_video(f)) if is_video_path(f) else [(None, hash_image(f))]
                    )
                except (BadImage, VideoError) as exc:
                    rej.add(f, str(exc))
                    continue
                best: dict[tuple[str, Any], dict[str, Any]] = {}
                ranks: dict[tuple[str, Any], float] = {}
                for t, h in frames:
                    for m in matcher.match(h):
                        key = (m.ref.label, m.ref.payload)
                        if key in ranks and ranks[key] <= m.relative:
                            continue
                        row = m.as_dict()
                        if m.ref.payload is not None:
                            row["ref_time_s"] = round(float(m.ref.payload), 2)
                        if t is not None:
                            row["time_s"] = round(t, 2)
                        best[key], ranks[key] = row, m.relative
                ordered = sorted(best, key=lambda k: (ranks[k], k[0], k[1] or 0.0))
                out.write({"file": f, "matches": [best[k] for k in ordered]})
        raise typer.Exit(rej.exit_code)


def _hash(path: str, rej: Rejections, with_crops: bool = True) -> list[Any] | None:
    """Hashes of an image (one) or a video (per keyframe), or None after reporting the rejection."""
    from factwatch.media.images import BadImage
    from factwatch.media.refs import hash_file
    from factwatch.media.video import VideoError

    try:
        hashed = hash_file(path, with_crops=with_crops)
    except (BadImage, VideoError) as exc:
        rej.add(path, str(exc))
        return None
    if not hashed:
        rej.add(path, "no picture found")
        return None
    return hashed
