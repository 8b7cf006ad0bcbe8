"""Write transactions that behave the same on both backends.

On SQLite a write transaction takes the database's single write lock up front (``BEGIN
IMMEDIATE``): a transaction that starts as a reader and later writes can fail with "database is
locked" however long the busy timeout, while one that waits for the lock first simply queues.
On PostgreSQL it is an ordinary (READ COMMITTED) transaction; row locks do the rest.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError

from factwatch.store import Store


@contextlib.contextmanager
def write_txn(store: Store) -> Iterator[Connection]:
    """A transaction that commits when the block ends and rolls back if it raises."""
    if store.dialect != "sqlite":
        with store.engine.begin() as conn:
            yield conn
        return
    with store.engine.connect() as raw:
        conn = raw.execution_options(isolation_level="AUTOCOMMIT")
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.exec_driver_sql("ROLLBACK")
            raise
        conn.exec_driver_sql("COMMIT")


T = TypeVar("T")


def retrying(fn: Callable[[], T], attempts: int = 5) -> T:
    """Run a write transaction again when it lost a race another one won: two workers opening the
    same case at once (unique violation), a deadlock, a serialization failure, a busy SQLite."""
    for n in range(attempts):
        try:
            return fn()
        except (IntegrityError, OperationalError):
            if n == attempts - 1:
                raise
            time.sleep(random.uniform(0.01, 0.05) * (2**n))
    raise AssertionError("unreachable")
