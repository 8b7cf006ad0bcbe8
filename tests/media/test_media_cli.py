"""``factwatch media ocr|hash|match``: JSONL out, bad files rejected, the rest processed."""

from __future__ import annotations

import json
from pathlib import Path

from media_support import jpeg_bytes, needs_tesseract, text_picture


def _lines(out: str) -> list[dict]:
    return [json.loads(x) for x in out.splitlines() if x.strip()]


def test_hash_rejects_bad_files_and_keeps_going(cli, pictures: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    files = [
        pictures["a"],
        pictures["truncated"],
        pictures["not_image"],
        pictures["bomb"],
        pictures["b"],
    ]
    res = cli("media", "hash", *map(str, files), "does-not-exist.png")
    assert res.exit_code == 1
    rows = _lines(res.stdout)
    assert [r["file"] for r in rows] == [str(pictures["a"]), str(pictures["b"])]
    assert all(len(r["pdq"]) == 64 and len(r["phash"]) == 16 for r in rows)
    err = res.stderr
    assert f"{pictures['truncated']}: damaged or truncated image" in err
    assert f"{pictures['not_image']}: not an image" in err
    assert "decompression bomb" in err and "does-not-exist.png: cannot read file" in err


def test_match_best_first_and_empty(cli, pictures: dict[str, Path], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "m.jsonl"
    res = cli(
        "media",
        "match",
        str(pictures["a_jpeg"]),
        str(pictures["unrelated"]),
        str(pictures["a_mirror"]),
        "--against",
        str(pictures["b"]),
        "--against",
        str(pictures["a"]),
        "--output",
        str(out),
    )
    assert res.exit_code == 0, res.stderr
    rows = _lines(out.read_text())
    assert [r["file"] for r in rows] == [
        str(pictures[k]) for k in ("a_jpeg", "unrelated", "a_mirror")
    ]
    assert rows[0]["matches"][0]["ref"] == str(pictures["a"])
    assert {"ref", "distance", "algorithm"} <= set(rows[0]["matches"][0])
    assert rows[1]["matches"] == []
    assert rows[2]["matches"][0]["variant"] == "mirrored"
    d = [m["distance"] for m in rows[0]["matches"]]
    assert d == sorted(d) or len(d) == 1


def test_match_needs_against(cli, pictures: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    res = cli("media", "match", str(pictures["a"]))
    assert res.exit_code == 2


@needs_tesseract
def test_ocr_command(cli, tmp_path: Path, pictures: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    img = tmp_path / "shot.jpg"
    img.write_bytes(jpeg_bytes(text_picture("Ne partagez pas cette image", size=30), 80))
    res = cli("media", "ocr", str(img), str(pictures["not_image"]))
    assert res.exit_code == 1
    (row,) = _lines(res.stdout)
    assert row["file"] == str(img) and row["lang"] == "fr"
    assert "partagez pas cette image" in row["text"]
