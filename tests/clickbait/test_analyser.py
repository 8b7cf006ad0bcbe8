"""The ``clickbait`` analyser: one signal per item with a title, about the item itself."""

from __future__ import annotations

from pathlib import Path

from factwatch.analysers import REGISTRY, AnalysisContext
from factwatch.models import Item


def test_analyser_signals(tmp_path: Path, fake_embed: None) -> None:
    import factwatch.analysers.clickbait  # noqa: F401 - registers the factory

    factory = REGISTRY["clickbait"]
    analyser = factory(
        AnalysisContext(store=None, options={"clickbait_cache": str(tmp_path / "c.sqlite")})
    )  # type: ignore[arg-type]
    assert analyser.name == "clickbait"
    items = [
        Item(
            source="t",
            native_id="1",
            text="...",
            title="You Won't Believe What This Dog Did",
            lang="en",
            id=1,
        ),
        Item(source="t", native_id="2", text="Một bài đăng không có tiêu đề", id=2),
        Item(
            source="t",
            native_id="3",
            text="...",
            title="Senate Passes Budget Bill",
            lang="en",
            id=3,
        ),
        Item(source="t", native_id="4", text="...", title="   ", id=4),
        Item(
            source="t",
            native_id="5",
            text="...",
            title="Regardez ce que vous avez raté 😱",
            lang="fr",
            id=5,
        ),
    ]
    signals = analyser.analyse(items)
    assert [s.item_id for s in signals] == [1, 3, 5]
    for s in signals:
        assert s.kind == "clickbait" and s.target_type is None and s.target_id is None
        assert {"why", "clickbait", "title"} <= set(s.evidence)
        assert s.evidence["clickbait"] == (s.score >= 0.5)
    assert signals[0].evidence["clickbait"] is True
    assert signals[0].evidence["title"] == "You Won't Believe What This Dog Did"
    assert signals[1].evidence["clickbait"] is False
    assert signals[2].evidence["why"]


def test_pipeline_stores_clickbait_signals_without_cases(db_path: str) -> None:
    import factwatch.analysers.clickbait  # noqa: F401 - registers the factory
    from factwatch.pipeline import analyse_pending
    from factwatch.store import Store

    store = Store.open(db_path)
    try:
        store.add_items(
            [
                Item(
                    source="feed",
                    native_id="a",
                    text="Le chat...",
                    title="Vous ne croirez pas ce que ce chat a fait 😱",
                ),
                Item(
                    source="feed",
                    native_id="b",
                    text="Body",
                    title="Le Sénat adopte le budget 2025",
                    lang="fr",
                ),
                Item(source="feed", native_id="c", text="Một bài đăng không có tiêu đề"),
            ]
        )
        rep = analyse_pending(store, names=["clickbait"])
        assert rep.items == 3 and rep.signals == {"clickbait": 2}
        assert not rep.cases_touched
        sigs = {s.evidence["title"]: s for s in store.list_signals(kind="clickbait")}
        assert sigs["Vous ne croirez pas ce que ce chat a fait 😱"].evidence["clickbait"] is True
        assert sigs["Le Sénat adopte le budget 2025"].evidence["clickbait"] is False
        assert store.list_cases() == []
    finally:
        store.close()


def test_lead_is_the_first_line_of_text_that_is_not_the_title() -> None:
    from factwatch.analysers.clickbait import lead_of
    from factwatch.classify.clickbait import MAX_LEAD

    def item(text: str, title: str | None = "Tiêu đề") -> Item:
        return Item(source="t", native_id="1", text=text, title=title)

    assert (
        lead_of(item("\n  Tiêu đề \n\nĐoạn mở đầu của bài.\nĐoạn hai.")) == "Đoạn mở đầu của bài."
    )
    assert lead_of(item("Tiêu đề")) is None
    assert lead_of(item("   \n")) is None
    assert lead_of(item("Một dòng", title=None)) == "Một dòng"
    assert lead_of(item("x" * 5000)) == "x" * MAX_LEAD
