from datetime import UTC, datetime

from sqlalchemy import text

from factwatch.models import Entity, FactCheck, Item, Signal


def test_migrations_applied_and_sqlite_in_wal_mode(store):
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if store.dialect == "sqlite":
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_items_are_idempotent_by_native_id_and_content(store):
    a = Item(source="s", native_id="1", text="Hello world")
    r = store.add_items([a, Item(source="s", native_id="1", text="changed text")])
    assert (r.inserted, r.unchanged) == (1, 1)
    # The same content re-exported under a new id in the same source is stored once...
    r = store.add_items([Item(source="s", native_id="2", text="Hello  world")])
    assert (r.inserted, r.unchanged) == (0, 1)
    # ...but copies by other accounts or in other sources are kept (campaigns are copies).
    r = store.add_items(
        [
            Item(source="other", native_id="9", text="Hello world"),
            Item(source="s", native_id="3", text="Hello world", author="@b"),
        ]
    )
    assert (r.inserted, r.unchanged) == (2, 0)
    # Items without text or URL never collide by content.
    r = store.add_items(
        [Item(source="s", native_id="e1", text=""), Item(source="s", native_id="e2", text="")]
    )
    assert r.inserted == 2
    assert store.count_items() == 5


def test_factchecks_upsert_updates_and_never_duplicates(store):
    fc = FactCheck(id="x", claim="A claim", rating="False")
    assert store.upsert_factchecks([fc]).inserted == 1
    assert store.upsert_factchecks([fc]).unchanged == 1
    fc2 = FactCheck(id="x", claim="A claim", rating="Mostly false")
    assert store.upsert_factchecks([fc2]).updated == 1
    got = store.list_factchecks()
    assert len(got) == 1 and got[0].rating == "Mostly false"


def test_signals_cases_roundtrip(store):
    it = Item(source="s", native_id="n1", text="t", published_at=datetime(2026, 1, 1, tzinfo=UTC))
    store.add_items([it])
    [sig] = store.add_signals(
        [
            Signal(
                item_id=it.id,
                kind="claim_match",
                score=0.9,
                target_type="factcheck",
                target_id="fc1",
                evidence={"dense": 0.9},
            )
        ]
    )
    cid = store.open_case("claim", "factcheck", "fc1", "A claim", it.id, sig.id)
    assert store.open_case("claim", "factcheck", "fc1", "A claim", it.id, sig.id) == cid
    case = store.get_case(cid)
    assert case.item_ids == [it.id] and case.signal_ids == [sig.id] and case.status == "new"
    # the same signal again updates rather than duplicates
    store.add_signals(
        [
            Signal(
                item_id=it.id,
                kind="claim_match",
                score=0.95,
                target_type="factcheck",
                target_id="fc1",
            )
        ]
    )
    assert [s.score for s in store.signals_for_items([it.id])] == [0.95]
    assert store.get_items([it.id])[0].published_at == datetime(2026, 1, 1, tzinfo=UTC)


def test_entities_and_state(store):
    store.upsert_entities([Entity(id="who", name="WHO", kind="agency", domains=["who.int"])])
    assert store.list_entities()[0].domains == ["who.int"]
    store.put_state("x", b"abc")
    store.put_state("x", b"def")
    assert store.get_state("x") == b"def"
    assert store.get_state("missing") is None


def test_feedback_pairs(store):
    store.add_feedback("h1", "fc1", "not_about", "alice")
    store.add_feedback("h2", "fc1", "confirmed", "alice")
    assert store.rejected_pairs() == {("h1", "fc1")}


def test_cli_on_postgresql_is_idempotent(pg_url):
    from typer.testing import CliRunner

    from factwatch.cli.main import app

    data = __import__("pathlib").Path(__file__).parent.parent / "data" / "core"
    run = CliRunner().invoke
    r = run(
        app, ["--db", pg_url, "factchecks", "import", "--no-embed", str(data / "factchecks.jsonl")]
    )
    assert r.exit_code == 0 and "6 imported" in r.stderr
    r = run(app, ["--db", pg_url, "ingest", str(data / "posts.jsonl")])
    r = run(app, ["--db", pg_url, "ingest", str(data / "posts.jsonl")])
    assert "0 new, 6 already stored" in r.stderr
