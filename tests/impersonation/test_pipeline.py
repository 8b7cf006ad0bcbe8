"""The ``lookalike`` analyser and the impersonation evidence package."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from factwatch.analysers import REGISTRY, AnalysisContext
from factwatch.models import Entity, Item
from factwatch.store import Store


@pytest.fixture
def db(tmp_path: Path, entities: list[Entity]):  # type: ignore[no-untyped-def]
    s = Store.open(str(tmp_path / "fw.db"))
    s.upsert_entities(entities)
    yield s
    s.close()


def _items() -> list[Item]:
    t = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    return [
        Item(
            source="facebook",
            native_id="1",
            text="Thông báo khẩn: xem https://quangninh-gov-vn.com/tb-123 ngay",
            author="ubnd.qn.fan",
            lang="vi",
            published_at=t,
        ),
        Item(
            source="facebook",
            native_id="2",
            text="Chia sẻ lại quangninh-gov-vn.com/tb-456 <script>alert(1)</script>",
            author="nguyen.van.an",
            lang="vi",
            published_at=t.replace(day=22),
        ),
        Item(
            source="x",
            native_id="3",
            text="Breaking: WHO confirms... who-int.org/news",
            author="who_official_news",
            extra={"author_display_name": "WHO Official News", "platform": "x"},
            lang="en",
            published_at=t,
        ),
        Item(
            source="facebook",
            native_id="4",
            text="Xem tin chính thức tại https://www.tuoitre.vn/abc",
            author="baotuoitre",
            extra={"platform": "facebook"},
            lang="vi",
            published_at=t,
        ),
        Item(
            source="tiktok",
            native_id="5",
            text="Tin nóng hôm nay",
            author="baotuoitre.official",
            extra={"author_display_name": "Báo Tuổi Trẻ Official", "platform": "tiktok"},
            lang="vi",
            published_at=t,
        ),
    ]


def test_analyser_signals(db: Store) -> None:
    import factwatch.analysers.lookalike  # noqa: F401 - registers the factory

    items = _items()
    db.add_items(items)
    an = REGISTRY["lookalike"](AnalysisContext(store=db))
    assert an.name == "lookalike"
    sigs = an.analyse(items)
    by = {(s.item_id, s.kind): s for s in sigs}
    ids = [it.id for it in items]
    s1 = by[(ids[0], "lookalike_domain")]
    assert s1.target_type == "lookalike" and s1.target_id == "quangninh-gov:quangninh-gov-vn.com"
    assert (
        s1.evidence["entity_id"] == "quangninh-gov" and s1.evidence["technique"] == "vn-gov-pattern"
    )
    # the second post with the same lookalike gets the same target: one Case
    assert by[(ids[1], "lookalike_domain")].target_id == s1.target_id
    assert by[(ids[2], "lookalike_domain")].target_id == "who:who-int.org"
    imp = by[(ids[2], "impersonation")]
    assert imp.target_id == "who:who_official_news" and imp.evidence["entity_id"] == "who"
    # the official site and the registered account are never flagged
    assert not any(s.item_id == ids[3] for s in sigs)
    assert by[(ids[4], "impersonation")].evidence["entity_id"] == "tuoitre"
    assert (ids[1], "impersonation") not in by  # a person's account


def test_report(db: Store, tmp_path: Path) -> None:
    import factwatch.analysers.lookalike  # noqa: F401
    from factwatch.publish.impersonation import write_impersonation_report

    items = _items()
    db.add_items(items)
    an = REGISTRY["lookalike"](AnalysisContext(store=db))
    db.add_signals(an.analyse(items))
    paths = write_impersonation_report(db, "quangninh-gov", tmp_path / "rep")
    assert [p.suffix for p in paths] == [".json", ".html"]
    data = json.loads(paths[0].read_text(encoding="utf-8"))
    assert data["entity"]["official_domains"] == ["quangninh.gov.vn"]
    (lk,) = data["lookalikes"]
    assert lk["lookalike"] == "quangninh-gov-vn.com" and lk["technique"] == "vn-gov-pattern"
    assert "gov.vn" in lk["technique_explained"]
    assert lk["first_seen"].startswith("2026-11-20") and lk["last_seen"].startswith("2026-11-22")
    assert [it["item_id"] for it in lk["items"]] == [items[0].id, items[1].id]
    page = paths[1].read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "quangninh-gov-vn[.]com" in page and "quangninh-gov-vn.com" not in page
    assert "src=" not in page and "href=" not in page and "@import" not in page
    # an entity with nothing recorded still gets a (short) report
    paths = write_impersonation_report(db, "lemonde", tmp_path / "rep")
    assert json.loads(paths[0].read_text(encoding="utf-8"))["lookalikes"] == []
    # accounts are reported too
    paths = write_impersonation_report(db, "who", tmp_path / "rep")
    kinds = {lk["kind"] for lk in json.loads(paths[0].read_text(encoding="utf-8"))["lookalikes"]}
    assert kinds == {"domain", "account"}


def test_pipeline_opens_one_case_per_entity_and_lookalike(db: Store) -> None:
    import factwatch.analysers.lookalike  # noqa: F401
    from factwatch.pipeline import analyse_pending, load_analysers

    db.add_items(_items())
    rep = analyse_pending(db, analysers=load_analysers(db, ["lookalike"]))
    assert rep.items == 5
    cases = {c.target_id: c for c in db.list_cases()}
    qn = cases["quangninh-gov:quangninh-gov-vn.com"]
    assert qn.kind == "impersonation" and qn.target_type == "lookalike"
    assert len(qn.item_ids) == 2  # two posts, one case
    assert qn.title.startswith("Lookalike of Cổng thông tin điện tử tỉnh Quảng Ninh")
    assert {"who:who-int.org", "who:who_official_news", "tuoitre:baotuoitre.official"} <= set(cases)
