"""Helpers of the workers suite: items made from the project's vi/fr/en test posts."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from factwatch.models import Item
from factwatch.store import Store
from factwatch.store import schema as t

POSTS = Path(__file__).parent.parent / "data" / "workers" / "posts.jsonl"


def posts(n: int) -> list[Item]:
    """``n`` distinct items: the test posts, repeated with a share counter (as reposts are)."""
    base = [
        json.loads(line) for line in POSTS.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    out = []
    for i in range(n):
        rec = base[i % len(base)]
        out.append(
            Item(
                source=rec.get("source", "test"),
                native_id=f"{rec['id']}#{i}",
                text=f"{rec['text']} [{i}]",
                title=rec.get("title"),
                lang=rec.get("lang"),
            )
        )
    return out


def write_jsonl(path: Path, items: list[Item]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for it in items:
            rec = {"id": it.native_id, "text": it.text, "source": it.source}
            if it.title:
                rec["title"] = it.title
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def probe_counts(store: Store) -> Counter[int]:
    """item id -> number of probe signals (one per process that analysed the item)."""
    with store.engine.connect() as conn:
        rows = (
            conn.execute(select(t.signals.c.item_id).where(t.signals.c.kind == "probe"))
            .scalars()
            .all()
        )
    return Counter(rows)
