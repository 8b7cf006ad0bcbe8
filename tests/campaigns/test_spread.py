"""Spread of a case: series, accounts, engagement, verdict timing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from factwatch.analysers.spread import case_spread
from factwatch.models import Item

T0 = datetime(2026, 3, 2, 8, 10, tzinfo=UTC)


def _case(store, offsets_h: list[float], authors: list[str], engagement: list[dict]) -> int:  # type: ignore[no-untyped-def]
    items = [
        Item(
            source="test",
            native_id=f"s{i}",
            text=f"Uống nước chanh nóng chữa ung thư (bản {i})",
            author=a,
            published_at=T0 + timedelta(hours=h),
            engagement=e,
        )
        for i, (h, a, e) in enumerate(zip(offsets_h, authors, engagement, strict=True))
    ]
    store.add_items(items)
    cid = 0
    for it in items:
        cid = store.open_case(
            "claim", "factcheck", "fc-chanh", "Nước chanh nóng chữa ung thư", it.id, None
        )
    return cid


def test_spread_before_verdict(store) -> None:  # type: ignore[no-untyped-def]
    cid = _case(
        store,
        [0, 0.2, 1.5, 5],
        ["a", "b", "a", "c"],
        [{"likes": 10, "shares": 2}, {"likes": 1}, {}, {"likes": 3, "note": "x", "bad": -5}],
    )
    d = case_spread(store, cid)
    json.dumps(d)
    assert d["items"] == 4 and d["distinct_accounts"] == 3
    assert d["engagement"] == {"total": 16, "likes": 14, "shares": 2}
    assert d["first_seen"] == "2026-03-02T08:10:00Z" and d["last_seen"] == "2026-03-02T13:10:00Z"
    assert d["bucket"] == "hour"
    assert [r["items"] for r in d["series"]] == [2, 1, 0, 0, 0, 1]
    assert d["series"][-1]["cumulative_accounts"] == 3
    assert d["verdict_published_at"] is None and d["items_after_verdict"] == 0


def test_spread_after_published_verdict_uses_updated_at(store) -> None:  # type: ignore[no-untyped-def]
    cid = _case(store, [0, 1, 24 * 5], ["a", "b", "d"], [{}, {}, {"views": 7}])
    store.set_case_status(
        cid, "published"
    )  # updated_at = now (2026 clock or later): after the items
    d = case_spread(store, cid)
    assert d["bucket"] == "day" and len(d["series"]) == 6
    assert d["verdict_source"] == "case.updated_at" and d["status"] == "published"
    assert d["time_to_verdict_seconds"] is not None


class _WithHook:
    """A store whose publication workflow knows the verdict time."""

    def __init__(self, store, when: datetime) -> None:  # type: ignore[no-untyped-def]
        self._s, self._when = store, when

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._s, name)

    def case_verdict_time(self, case_id: int) -> dict:
        return {"published_at": self._when.isoformat()}


def test_spread_reads_verdict_time_hook_and_counts_items_after(store) -> None:  # type: ignore[no-untyped-def]
    cid = _case(store, [0, 2, 3, 30], ["a", "b", "c", "b"], [{}, {}, {}, {}])
    d = case_spread(_WithHook(store, T0 + timedelta(hours=2, minutes=30)), cid)
    assert d["verdict_source"] == "store.case_verdict_time"
    assert d["time_to_verdict_seconds"] == 2.5 * 3600
    assert d["items_after_verdict"] == 2 and d["accounts_after_verdict"] == 2
    assert d["still_spreading_after_verdict"] is True
    assert [r["after_verdict"] for r in d["series"]][:4] == [False, False, False, True]


def test_cli_spread(cli, db_path: str) -> None:  # type: ignore[no-untyped-def]
    from factwatch.store import Store

    with Store.open(db_path) as store:
        cid = _case(store, [0, 0.5], ["a", "[bold]b"], [{"likes": 1}, {"[red]x": 2}])
    r = cli("spread", str(cid))
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["items"] == 2
    r = cli("spread", str(cid), "--format", "table")
    assert r.exit_code == 0 and "distinct accounts" in r.stdout and "[red]x" in r.stdout
    assert cli("spread", "999").exit_code == 2
    assert cli("spread", str(cid), "--format", "xml").exit_code == 2
