"""``factwatch ingest`` on every sample export at once: each recognised by its content."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from factwatch.cli.main import app
from factwatch.store import Store


def test_ingest_all_samples(data: Path, tmp_path: Path) -> None:
    files = [
        data / "telegram" / "result.json",
        data / "telegram" / "full_export.json",
        data / "whatsapp" / "WhatsApp Chat with Gia đình.txt",
        data / "whatsapp" / "WhatsApp Chat with Neighbours.txt",
        data / "whatsapp" / "WhatsApp Chat - Famille Dupont" / "_chat.txt",
        data / "email" / "phishing_vi_cp1258.eml",
        data / "email" / "newsletter_fr_html.eml",
        data / "email" / "chain_letters.mbox",
        data / "video" / "Sự thật về nước chanh nóng [dQw4w9WgXcQ].info.json",
        data / "video" / "Vaccine 5G truth [x7Yz_9aBcD0].info.json",
        data / "mapped" / "tiktok.mapping.toml",
        data / "mapped" / "facebook_group.mapping.yaml",
    ]
    db = str(tmp_path / "t.db")
    res = CliRunner().invoke(app, ["--db", db, "ingest", *map(str, files)])
    # chain_letters.mbox holds one broken message and the mapped exports 4 bad rows: exit 1
    assert res.exit_code == 1, res.output
    with Store.open(db) as s:
        items = list(s.iter_items())
    by_source: dict[str, int] = {}
    for it in items:
        by_source[it.source.split(":")[0]] = by_source.get(it.source.split(":")[0], 0) + 1
    assert by_source == {
        "telegram": 8,
        "whatsapp": 10,
        "email": 4,
        "video": 2,
        "tiktok": 3,
        "facebook": 2,
    }
    # a second run stores nothing new
    again = CliRunner().invoke(app, ["--db", db, "ingest", *map(str, files)])
    assert "0 new" in again.output
    with Store.open(db) as s:
        assert s.count_items() == len(items)


def test_format_forced(data: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    # a WhatsApp chat read as a Telegram export: rejected, nothing stored
    res = CliRunner().invoke(
        app,
        [
            "--db",
            db,
            "ingest",
            "--format",
            "telegram",
            str(data / "whatsapp" / "WhatsApp Chat with Neighbours.txt"),
        ],
    )
    assert res.exit_code == 1
    res = CliRunner().invoke(
        app,
        [
            "--db",
            db,
            "ingest",
            "--format",
            "whatsapp",
            str(data / "whatsapp" / "WhatsApp Chat with Neighbours.txt"),
        ],
    )
    assert res.exit_code == 0
