"""How a case spreads: items over time, accounts, engagement, and whether the verdict caught up.

``case_spread(store, case_id)`` returns a JSON-serialisable dict (the ``factwatch spread``
command prints it; the web app charts its ``series``).

Verdict time, first found wins:

1. ``store.case_verdict_time(case_id)`` if the store has that method and it returns a dict with a
   ``published_at`` key (datetime or ISO 8601 string) - the hook for the publication workflow;
2. ``case.extra["verdict_published_at"]`` or ``case.extra["published_at"]`` if the Case carries an
   ``extra`` dict;
3. ``case.updated_at`` when ``case.status == "published"`` (an approximation: the last change of
   a published case is usually its publication).

Items without ``published_at`` are counted (``undated_items``) but left out of the time series.
The series buckets by hour when the dated items span at most 3 days, else by day (every bucket
from first to last sighting, empty ones included, unless there would be more than 2,000: then only
the non-empty ones).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

HOURLY_MAX_SPAN = timedelta(days=3)
MAX_BUCKETS = 2000


def _parse_time(v: Any) -> datetime | None:
    if isinstance(v, datetime):
        return v if v.tzinfo else v.replace(tzinfo=UTC)
    if isinstance(v, str) and v.strip():
        try:
            d = datetime.fromisoformat(v.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        return d if d.tzinfo else d.replace(tzinfo=UTC)
    return None


def verdict_time(store: Any, case: Any) -> tuple[datetime | None, str | None]:
    """(verdict publication time, where it came from) - see the module docstring."""
    hook = getattr(store, "case_verdict_time", None)
    if callable(hook):
        try:
            got = hook(case.id)
        except Exception:  # noqa: BLE001 - a broken hook must not break the report
            got = None
        if isinstance(got, dict):
            t = _parse_time(got.get("published_at"))
            if t is not None:
                return t, "store.case_verdict_time"
    extra = getattr(case, "extra", None)
    if isinstance(extra, dict):
        for k in ("verdict_published_at", "published_at"):
            t = _parse_time(extra.get(k))
            if t is not None:
                return t, f"case.extra.{k}"
    if case.status == "published" and case.updated_at is not None:
        return _parse_time(case.updated_at), "case.updated_at"
    return None, None


def _engagement_total(e: dict[str, Any]) -> tuple[float, dict[str, float]]:
    parts: dict[str, float] = {}
    for k, v in (e or {}).items():
        if isinstance(v, bool) or not isinstance(v, int | float):
            continue
        if v != v or v < 0 or v > 1e15:  # NaN, negative, absurd
            continue
        parts[str(k)] = float(v)
    return sum(parts.values()), parts


def _iso(d: datetime | None) -> str | None:
    return d.astimezone(UTC).isoformat().replace("+00:00", "Z") if d else None


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else round(x, 3)


def case_spread(store: Any, case_id: int) -> dict[str, Any]:
    """Spread of one case; raises ``LookupError`` when there is no such case."""
    case = store.get_case(case_id)
    if case is None:
        raise LookupError(f"no case {case_id}")
    items = store.get_items(list(case.item_ids)) if case.item_ids else []
    vt, vt_source = verdict_time(store, case)

    dated: list[tuple[datetime, Any]] = []
    for it in items:
        t = _parse_time(it.published_at)
        if t is not None:
            dated.append((t, it))
    dated.sort(key=lambda x: (x[0], x[1].id or 0))
    accounts: set[str] = set()
    eng_total = 0.0
    eng_by_kind: dict[str, float] = defaultdict(float)
    for it in items:
        if it.author:
            accounts.add(it.author)
        tot, parts = _engagement_total(it.engagement)
        eng_total += tot
        for k, v in parts.items():
            eng_by_kind[k] += v

    first = dated[0][0] if dated else None
    last = dated[-1][0] if dated else None
    unit = "hour"
    if first and last and last - first > HOURLY_MAX_SPAN:
        unit = "day"
    series: list[dict[str, Any]] = []
    if first and last:
        step = timedelta(hours=1) if unit == "hour" else timedelta(days=1)
        start = first.replace(minute=0, second=0, microsecond=0)
        if unit == "day":
            start = start.replace(hour=0)
        buckets: dict[int, list[Any]] = defaultdict(list)
        for t, it in dated:
            buckets[int((t - start) / step)].append(it)
        seen: set[str] = set()
        cum_items = 0
        n_buckets = int((last - start) / step) + 1
        # absurd spans (hostile dates): only the non-empty buckets
        indices = range(n_buckets) if n_buckets <= MAX_BUCKETS else sorted(buckets)
        for b in indices:
            its = buckets.get(b, [])
            new_acc = {it.author for it in its if it.author} - seen
            seen |= new_acc
            cum_items += len(its)
            series.append(
                {
                    "t": _iso(start + b * step),
                    "items": len(its),
                    "accounts": len({it.author for it in its if it.author}),
                    "new_accounts": len(new_acc),
                    "engagement": _num(sum(_engagement_total(it.engagement)[0] for it in its)),
                    "cumulative_items": cum_items,
                    "cumulative_accounts": len(seen),
                    "after_verdict": bool(vt is not None and start + b * step >= vt),
                }
            )
    after = [it for t, it in dated if vt is not None and t > vt]
    return {
        "case_id": case.id,
        "kind": case.kind,
        "title": case.title,
        "status": case.status,
        "items": len(items),
        "dated_items": len(dated),
        "undated_items": len(items) - len(dated),
        "distinct_accounts": len(accounts),
        "engagement": {
            "total": _num(eng_total),
            **{k: _num(v) for k, v in sorted(eng_by_kind.items())},
        },
        "first_seen": _iso(first),
        "last_seen": _iso(last),
        "verdict_published_at": _iso(vt),
        "verdict_source": vt_source,
        "time_to_verdict_seconds": (vt - first).total_seconds() if vt and first else None,
        "items_after_verdict": len(after),
        "accounts_after_verdict": len({it.author for it in after if it.author}),
        "still_spreading_after_verdict": bool(after),
        "bucket": unit,
        "series": series,
    }
