"""Dates from untrusted input: ISO 8601, RFC 2822, Unix epochs; always timezone-aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

MIN_YEAR = 1990
MAX_YEAR = 2100


def parse_datetime(value: object) -> datetime:
    """Parse ``value`` or raise ``ValueError`` naming what was expected."""
    if isinstance(value, bool):
        raise ValueError(f"impossible date {value!r}")
    dt: datetime | None = None
    if isinstance(value, int | float):
        ts = float(value)
        if ts > 1e11:  # milliseconds
            ts /= 1000.0
        try:
            dt = datetime.fromtimestamp(ts, UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise ValueError(f"impossible date {value!r}") from exc
    elif isinstance(value, str):
        s = value.strip()
        if s.isdigit():
            return parse_datetime(int(s))
        try:
            dt = datetime.fromisoformat(s.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            try:
                dt = parsedate_to_datetime(s)
            except (TypeError, ValueError, IndexError):
                dt = None
        if dt is None:
            raise ValueError(f"'published_at' is not a date (expected ISO 8601): {s[:40]!r}")
    else:
        raise ValueError(f"'published_at' must be a string or number, got {type(value).__name__}")
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    dt = dt.astimezone(UTC)
    if not MIN_YEAR <= dt.year <= MAX_YEAR:
        raise ValueError(f"impossible date {value!r} (year {dt.year})")
    return dt
