"""The "media" analyser end to end over a store: fact-check images in, image_match signals out."""

from __future__ import annotations

from pathlib import Path

from factwatch.analysers import REGISTRY
from factwatch.analysers.base import AnalysisContext
from factwatch.media.hashing import hash_image
from factwatch.models import FactCheck, Item


def test_image_match_signals(tmp_path: Path, pictures: dict[str, Path]) -> None:
    import factwatch.analysers.media  # noqa: F401  (registers "media")
    from factwatch.store import Store

    b_hash = hash_image(pictures["b"])
    store = Store.open(str(tmp_path / "fw.db"))
    store.upsert_factchecks(
        [
            FactCheck(
                id="fc-flood", claim="Ảnh lũ lụt năm 2024", extra={"images": [str(pictures["a"])]}
            ),
            FactCheck(
                id="fc-hash",
                claim="Photo truquée",
                extra={
                    "images": [
                        {
                            "url": "https://example.org/b.jpg",
                            "pdq": b_hash.pdq,
                            "phash": b_hash.phash,
                        }
                    ]
                },
            ),
            FactCheck(
                id="fc-broken",
                claim="x",
                extra={"images": [str(pictures["not_image"]), {"pdq": "zz"}, 5]},
            ),
            FactCheck(id="fc-none", claim="no images"),
        ]
    )
    items = [
        Item(
            source="t",
            native_id="1",
            text="lũ",
            media=[{"type": "image", "path": str(pictures["a_jpeg"])}],
        ),
        Item(
            source="t",
            native_id="2",
            text="miroir",
            media=[
                {"type": "image", "path": str(pictures["truncated"])},
                {"type": "image", "path": str(pictures["a_mirror"])},
                {"path": str(pictures["b"])},
                {"type": "image", "url": "https://example.org/remote.jpg"},
            ],
        ),
        Item(
            source="t",
            native_id="3",
            text="other",
            media=[{"type": "image", "path": str(pictures["unrelated"])}],
        ),
        Item(source="t", native_id="4", text="no media"),
    ]
    store.add_items(items)
    analyser = REGISTRY["media"](AnalysisContext(store=store))
    assert analyser.name == "media"
    signals = analyser.analyse(items)
    by_item = {(s.item_id, s.target_id): s for s in signals}
    assert set(by_item) == {
        (items[0].id, "fc-flood"),
        (items[1].id, "fc-flood"),
        (items[1].id, "fc-hash"),
    }
    s = by_item[(items[0].id, "fc-flood")]
    assert s.kind == "image_match" and s.target_type == "factcheck"
    assert s.evidence["ref"] == str(pictures["a"])
    assert s.evidence["algorithm"] in ("pdq", "phash")
    assert 0 <= s.evidence["distance"] <= s.evidence["threshold"]
    assert 0 < s.score <= 1
    mirrored = by_item[(items[1].id, "fc-flood")]
    assert mirrored.evidence["variant"] == "mirrored" and mirrored.evidence["media_index"] == 1
    exact = by_item[(items[1].id, "fc-hash")]
    assert exact.evidence["distance"] == 0 and exact.evidence["ref"] == "https://example.org/b.jpg"
    # The reference hashes are cached in the store for the next run.
    assert store.get_state("media.refs")
    again = REGISTRY["media"](AnalysisContext(store=store)).analyse(items[:1])
    assert [(x.target_id, x.evidence["distance"]) for x in again] == [
        ("fc-flood", s.evidence["distance"])
    ]
    store.close()


def test_no_reference_images_no_signals(tmp_path: Path, pictures: dict[str, Path]) -> None:
    from factwatch.analysers.media import MediaAnalyser

    item = Item(
        source="t",
        native_id="1",
        text="x",
        media=[{"type": "image", "path": str(pictures["a"])}],
        id=1,
    )
    assert MediaAnalyser.from_factchecks([FactCheck(id="f", claim="c")]).analyse([item]) == []
