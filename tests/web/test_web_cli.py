"""``factwatch users add``, ``factwatch report`` (HTML and PDF) and the 0002 migration."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from web_support import seed

from factwatch.store import Store
from factwatch.store import review as rv


def test_users_add_password_from_env_or_stdin(
    cli, db_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from argon2 import PasswordHasher

    monkeypatch.setattr(rv, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setenv("FACTWATCH_PASSWORD", "s3cret-enough")
    r = cli("users", "add", "Lan", "--role", "editor")
    assert r.exit_code == 0, r.stderr
    monkeypatch.delenv("FACTWATCH_PASSWORD")
    r = cli("users", "add", "Marc", "--role", "viewer", input="another-pass\n")
    assert r.exit_code == 0, r.stderr
    assert cli("users", "add", "X", "--role", "boss", input="whatever-pass\n").exit_code == 2
    assert cli("users", "add", "Y", "--role", "viewer", input="short\n").exit_code == 2
    s = Store.open(db_path)
    try:
        assert rv.authenticate(s, "Lan", "s3cret-enough").role == "editor"  # type: ignore[union-attr]
        assert rv.authenticate(s, "Marc", "another-pass").role == "viewer"  # type: ignore[union-attr]
        assert rv.authenticate(s, "Marc", "s3cret-enough") is None
    finally:
        s.close()
    listed = cli("users", "list")
    assert '"name": "Lan"' in listed.stdout and "argon2" not in listed.stdout


def test_report_html(cli, db_path: str, tmp_path: Path) -> None:
    s = Store.open(db_path)
    seed(s)
    s.close()
    out = tmp_path / "r.html"
    today = __import__("datetime").date.today().isoformat()
    r = cli(
        "report", "--from", "2026-01-01", "--to", today, "--format", "html", "--output", str(out)
    )
    assert r.exit_code == 0, r.stderr
    html = out.read_text(encoding="utf-8")
    assert "<svg" in html and "Top spreading claims" in html and "Uống nước nóng" in html
    assert "<script" not in html and 'src="http' not in html  # standalone, nothing fetched
    assert cli("report", "--from", "nope", "--output", str(out)).exit_code == 2
    assert cli("report", "--format", "doc", "--output", str(out)).exit_code == 2


@pytest.mark.browser
@pytest.mark.skipif(
    not os.path.exists("/usr/bin/chromium") and not shutil.which("chromium"),
    reason="/usr/bin/chromium absent: apt-get install chromium",
)
def test_report_pdf(cli, db_path: str, tmp_path: Path) -> None:
    s = Store.open(db_path)
    seed(s)
    s.close()
    out = tmp_path / "r.pdf"
    r = cli(
        "report",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--format",
        "pdf",
        "--output",
        str(out),
    )
    assert r.exit_code == 0, r.stderr
    assert out.read_bytes()[:5] == b"%PDF-" and out.stat().st_size > 5000


def test_migration_0002_down_and_up(db_path: str) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect

    from factwatch.store.core import MIGRATIONS

    s = Store.open(db_path)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with s.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    assert "verdicts" not in inspect(s.engine).get_table_names()
    s.migrate()
    names = set(inspect(s.engine).get_table_names())
    assert {
        "users",
        "sessions",
        "comments",
        "verdicts",
        "audit_log",
        "case_stats",
        "case_facets",
    } <= names
    s.close()


def test_case_stats_follow_new_items(store: Store) -> None:
    cases = seed(store)
    assert rv.refresh_case_stats(store) == 3
    assert (
        rv.refresh_case_stats(store) == 3
    )  # the 5 s slack re-reads just-updated cases; idempotent
    rows, total = rv.queue(store, rv.QueueFilter())
    assert total == 3 and [r["n_items"] for r in rows] == [3, 2, 1]
    from factwatch.models import Item

    extra = [
        Item(source="rss", native_id=f"e{i}", text=f"more water {i}", author="same", lang="en")
        for i in range(3)
    ]
    store.add_items(extra)
    for it in extra:
        store.open_case("claim", "factcheck", "fc-en-003", "x", int(it.id or 0), None)
    rv.refresh_case_stats(store)
    rows, _ = rv.queue(store, rv.QueueFilter())
    assert (
        rows[0]["id"] == cases["fc-en-003"]
        and rows[0]["n_items"] == 4
        and rows[0]["n_accounts"] == 2
    )
    rows, total = rv.queue(store, rv.QueueFilter(sort="accounts", lang="vi"))
    assert total == 1 and rows[0]["n_accounts"] == 3


def test_report_impersonation_subcommand_is_wired(cli, tmp_path: Path) -> None:
    pytest.importorskip("factwatch.publish.impersonation")
    r = cli("report", "impersonation", "some-entity", "--output", str(tmp_path / "imp"))
    assert r.exit_code == 0, r.stderr
    assert sorted(p.suffix for p in (tmp_path / "imp").iterdir()) == [".html", ".json"]
