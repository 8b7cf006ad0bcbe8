"""Ingest throughput per connector, in items per second.

``python benchmarks/ingest_throughput.py [--items 5000]`` writes synthetic but realistic inputs
(vi/fr/en) for each connector, then measures (a) parsing alone (``read_source``) and (b) the
whole ingest as ``factwatch ingest`` does it (parse, then ``Store.add_items`` in batches of 500
into a fresh SQLite database).  Prints a markdown table and writes
benchmarks/results/ingest_throughput.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from factwatch.cli._io import Rejections
from factwatch.sources import read_source

HERE = Path(__file__).resolve().parent
TEXTS = [
    "Tin đồn số {i}: uống nước chanh nóng mỗi sáng giúp diệt virus, Bộ Y tế đã bác bỏ.",
    "Rumeur n°{i} : le gouvernement interdirait les paiements en espèces dès lundi.",
    "Rumour #{i}: the council will ban petrol cars from the city centre next month.",
]


def text(i: int) -> str:
    return TEXTS[i % 3].format(i=i)


def make_jsonl(d: Path, n: int) -> list[str]:
    p = d / "posts.jsonl"
    with open(p, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(
                json.dumps(
                    {
                        "id": f"p{i}",
                        "text": text(i),
                        "author": f"user{i % 97}",
                        "published_at": 1709280000 + i,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    return [str(p)]


def make_telegram(d: Path, n: int) -> list[str]:
    msgs = [
        {"id": i + 1, "type": "message", "date": "2024-03-01T08:00:00", "date_unixtime": str(1709280000 + i), "from": "Kênh", "from_id": "channel42",
         "text": [{"type": "bold", "text": "TIN NÓNG:"}, " " + text(i)], "text_entities": [], "reactions": [{"type": "emoji", "count": i % 50, "emoji": "👍"}]}
        for i in range(n)
    ]  # fmt: skip
    p = d / "result.json"
    p.write_text(
        json.dumps(
            {"name": "Kênh", "type": "public_channel", "id": 42, "messages": msgs},
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    return [str(p)]


def make_whatsapp(d: Path, n: int) -> list[str]:
    p = d / "WhatsApp Chat with Bench.txt"
    with open(p, "w", encoding="utf-8") as fh:
        for i in range(n):
            day, minute = 1 + (i // 1440) % 28, i % 1440
            fh.write(
                f"{day:02d}/02/2024, {minute // 60:02d}:{minute % 60:02d} - Người {i % 13}: {text(i)}\n"
            )
            if i % 5 == 0:
                fh.write("dòng thứ hai của tin nhắn\n")
    return [str(p)]


def make_mbox(d: Path, n: int) -> list[str]:
    p = d / "bench.mbox"
    with open(p, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(
                f"From s{i}@example.org Thu Jan 18 10:00:00 2024\nFrom: s{i}@example.org\nTo: desk@example.org\n"
                f"Subject: =?utf-8?q?Th=C6=B0_{i}?=\nMessage-ID: <b{i}@example.org>\nDate: Thu, 18 Jan 2024 10:00:00 +0700\n"
                f"Content-Type: text/plain; charset=utf-8\n\n{text(i)}\n\n"
            )
    return [str(p)]


def make_video(d: Path, n: int) -> list[str]:
    out = []
    for i in range(n):
        base = d / f"Video {i} [v{i:06d}]"
        Path(f"{base}.info.json").write_text(
            json.dumps(
                {
                    "id": f"v{i:06d}",
                    "title": f"Video {i}",
                    "description": text(i),
                    "timestamp": 1709280000 + i,
                    "webpage_url": f"https://www.youtube.com/watch?v=v{i:06d}",
                    "extractor_key": "Youtube",
                    "view_count": i,
                }
            ),
            encoding="utf-8",
        )
        cues = "".join(
            f"00:00:{k * 3:02d}.000 --> 00:00:{k * 3 + 3:02d}.000\n{text(i + k)}\n\n"
            for k in range(10)
        )
        Path(f"{base}.vi.vtt").write_text("WEBVTT\n\n" + cues, encoding="utf-8")
        out.append(f"{base}.info.json")
    return out


def make_mapped(d: Path, n: int) -> list[str]:
    with open(d / "export.csv", "w", encoding="utf-8") as fh:
        fh.write("video_id,caption,author_handle,created_at,digg_count\n")
        for i in range(n):
            fh.write(f'{i},"{text(i)}",@u{i % 101},02/03/2024 21:{i % 60:02d},{i}\n')
    m = d / "export.mapping.toml"
    m.write_text(
        'input = "export.csv"\nsource = "tiktok:bench"\n[columns]\nid = "video_id"\ntext = "caption"\nauthor = "author_handle"\ntime = "created_at"\n[time]\nformat = "%d/%m/%Y %H:%M"\ntimezone = "Asia/Ho_Chi_Minh"\n[engagement]\nlikes = "digg_count"\n',
        encoding="utf-8",
    )
    return [str(m)]


CONNECTORS: list[tuple[str, Callable[[Path, int], list[str]], float]] = [
    ("jsonl (posts)", make_jsonl, 1.0),
    ("telegram", make_telegram, 1.0),
    ("whatsapp", make_whatsapp, 1.0),
    ("mbox", make_mbox, 1.0),
    ("video (info.json + vtt)", make_video, 0.1),
    ("mapped (CSV)", make_mapped, 1.0),
]


def measure(paths: list[str], db: str | None) -> tuple[int, float]:
    from factwatch.store import Store

    store = Store.open(db) if db else None
    rej = Rejections(quiet=True)
    n = 0
    t0 = time.perf_counter()
    batch = []
    for p in paths:
        for it in read_source(p, rej):
            n += 1
            if store is not None:
                batch.append(it)
                if len(batch) >= 500:
                    store.add_items(batch)
                    batch = []
    if store is not None and batch:
        store.add_items(batch)
    dt = time.perf_counter() - t0
    if store is not None:
        store.close()
    return n, dt


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=5000)
    args = ap.parse_args()
    rows = [
        "| connector | items | parse only (items/s) | parse + store in SQLite (items/s) |",
        "|---|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for name, make, scale in CONNECTORS:
            d = Path(tmp) / name.split()[0]
            d.mkdir()
            n = max(50, int(args.items * scale))
            paths = make(d, n)
            got, t_parse = measure(paths, None)
            got2, t_all = measure(paths, str(d / "bench.db"))
            assert got == got2
            rows.append(f"| {name} | {got} | {got / t_parse:,.0f} | {got2 / t_all:,.0f} |")
            print(rows[-1], file=sys.stderr)
    text_out = (
        "# Ingest throughput per connector\n\n"
        f"`python benchmarks/ingest_throughput.py --items {args.items}` on the shared 2-core machine "
        "(other work running: figures are lower bounds)\n\n" + "\n".join(rows) + "\n"
    )
    print(text_out)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "ingest_throughput.md").write_text(text_out, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
