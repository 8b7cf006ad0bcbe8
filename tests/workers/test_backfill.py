"""``factwatch backfill`` on a Dask LocalCluster: results land in the database, analysers are built
once per worker process (not per task), archive loads are idempotent."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from workers_support import posts, probe_counts, write_jsonl

from factwatch.store import Store
from factwatch.workers.backfill import backfill

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_archive_backfill_stores_items_and_signals_once(
    store_url: str, client: Any, tmp_path: Path
) -> None:
    archive = tmp_path / "archive.jsonl"
    write_jsonl(archive, posts(40))
    rep = backfill(
        store_url, inputs=[str(archive)], names=["probe"], partition_size=5, client=client
    )
    assert (rep.items, rep.partitions, rep.failed) == (40, 8, [])
    # 8 tasks on 2 processes, analysers built at most once in each
    assert sum(rep.loads_per_worker.values()) <= 2 and max(rep.loads_per_worker.values()) == 1
    with Store.open(store_url) as store:
        assert store.count_items() == 40 and store.count_items(unanalysed=True) == 0
        assert set(probe_counts(store).values()) == {1} and len(probe_counts(store)) == 40
        langs = {it.lang for it in store.iter_items()}
        assert {"vi", "fr", "en"} <= langs  # detected where the archive had none, and kept
    again = backfill(
        store_url, inputs=[str(archive)], names=["probe"], partition_size=5, client=client
    )
    assert again.items == 40 and again.failed == []
    assert again.loads_per_worker == rep.loads_per_worker  # the cache outlives a run
    with Store.open(store_url) as store:
        assert store.count_items() == 40  # the same posts are not stored twice


def test_database_backfill_covers_every_item(store_url: str, client: Any) -> None:
    with Store.open(store_url) as store:
        store.add_items(posts(23))
    rep = backfill(store_url, names=["probe"], partition_size=4, client=client)
    assert (rep.items, rep.partitions) == (23, 6)
    with Store.open(store_url) as store:
        assert store.count_items(unanalysed=True) == 0
        assert len(probe_counts(store)) == 23


def test_parquet_archive(db_path: str, client: Any, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    items = posts(12)
    table = pa.table({"id": [it.native_id for it in items], "text": [it.text for it in items]})
    pq.write_table(table, tmp_path / "archive.parquet")
    bad = pa.table({"id": ["x"], "text": [None]})
    pq.write_table(bad, tmp_path / "bad.parquet")
    from factwatch.cli._io import Rejections

    rej = Rejections(quiet=True)
    paths = [str(tmp_path / "archive.parquet"), str(tmp_path / "bad.parquet")]
    rep = backfill(db_path, inputs=paths, names=["noop"], client=client, rejections=rej)
    assert rep.items == 12 and rej.items == [
        f"{tmp_path / 'bad.parquet'}:row 1: missing 'text' (and no 'title')"
    ]


def test_cli_usage_errors(cli: Any, tmp_path: Path) -> None:
    archive = tmp_path / "a.jsonl"
    write_jsonl(archive, posts(2))
    r = cli("backfill", "--input", str(archive), "--only", "no-such-analyser")
    assert r.exit_code == 2 and "no-such-analyser" in r.stderr
    r = cli("backfill", "--input", str(archive), "--since", "2024-01-01")
    assert r.exit_code == 2
    r = cli("worker", "--only", "nope", "--exit-when-idle")
    assert r.exit_code == 2 and "nope" in r.stderr
    r = cli("backfill", "--scheduler", "tcp://127.0.0.1:1")
    assert r.exit_code == 2 and "postgresql" in r.stderr
