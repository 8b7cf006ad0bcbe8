"""The durable work queue that ``factwatch worker`` processes share (see ``docs/scaling.md``).

One row per item being analysed, not per item: a worker inserts the rows of the items it claims
(``lease_owner``, ``lease_expires``) and deletes them in the transaction that stores the batch's
signals and marks the items analysed.  A row whose lease has expired belongs to a worker that died
or stalled; another worker re-claims it.  Keeping leases out of ``items`` keeps the hot, frequently
updated rows small (PostgreSQL writes a new row version on every update).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Table, exists
from sqlalchemy.sql.elements import ColumnElement

from factwatch.store.schema import items, metadata

work_queue = Table(
    "work_queue",
    metadata,
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column("lease_owner", String(200), nullable=False),  # host:pid:random of the claiming worker
    Column("lease_expires", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False, default=1),  # claims so far (dead-letter after N)
    Column("claimed_at", DateTime(timezone=True), nullable=False),
    Index("ix_work_queue_expires", "lease_expires"),
    Index("ix_work_queue_owner", "lease_owner"),
)

# The queue's head: unanalysed items in id order, without scanning the analysed ones (a partial
# index stays as small as the backlog, however large the archive).
Index(
    "ix_items_pending",
    items.c.id,
    postgresql_where=items.c.analysed_at.is_(None),
    sqlite_where=items.c.analysed_at.is_(None),
)

DEFAULT_MAX_ATTEMPTS = 5  # claims after which an item is given up (left unanalysed, "dead")


def given_up(max_attempts: int, now: datetime) -> ColumnElement[bool]:
    """True for items (``items.id``) claimed ``max_attempts`` times whose last lease has expired."""
    return exists().where(
        work_queue.c.item_id == items.c.id,
        work_queue.c.attempts >= max_attempts,
        work_queue.c.lease_expires < now,
    )


__all__ = ["DEFAULT_MAX_ATTEMPTS", "given_up", "work_queue"]
