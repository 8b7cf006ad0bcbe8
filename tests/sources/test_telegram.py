from __future__ import annotations

import json
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from factwatch.cli._io import Rejections
from factwatch.sources import detect_format, read_source
from factwatch.sources.telegram import entities_text, read_telegram


def test_channel_export(data: Path, rej: Rejections) -> None:
    path = str(data / "telegram" / "result.json")
    assert detect_format(path).name == "telegram"
    items = list(read_source(path, rej))
    assert not rej.items
    # 7 messages: 2 service messages skipped.
    assert [it.native_id for it in items] == ["2", "3", "4", "5", "6"]
    by = {it.native_id: it for it in items}
    assert all(it.source == "telegram:1789012345" for it in items)
    assert by["2"].published_at == datetime(2024, 3, 1, 8, 15, tzinfo=UTC)
    assert by["2"].engagement == {"reactions": {"👍": 152, "😡": 12}, "reactions_total": 164}
    # Entity arrays are flattened; links kept; forward and edit recorded.
    assert (
        by["3"].text
        == "KHẨN: Ngân hàng Nhà nước sẽ đổi toàn bộ tiền mặt từ tháng sau, xem chi tiết tại đây."
    )
    assert by["3"].extra["links"] == ["https://sbv-gov.vn.example/thong-bao"]
    assert by["3"].extra["forwarded_from"] == "Sức Khỏe Việt"
    assert by["3"].extra["edited_at"] == "2024-03-01T09:10:00+00:00"
    assert by["3"].media == [
        {
            "type": "photo",
            "path": "photos/photo_1@01-03-2024_09-02-11.jpg",
            "width": 1280,
            "height": 720,
        }
    ]
    assert by["4"].media[0]["type"] == "video" and by["4"].media[0]["missing"] is True
    assert by["4"].extra["reply_to_message_id"] == 2
    assert by["5"].text == "" and by["5"].url == "https://t.me/c/1789012345/5"
    assert by["6"].text.startswith("Le gouvernement français")
    assert all(unicodedata.is_normalized("NFC", it.text) for it in items)


def test_full_account_export(data: Path, rej: Rejections) -> None:
    items = list(read_source(str(data / "telegram" / "full_export.json"), rej))
    assert not rej.items
    assert [(it.source, it.native_id, it.author) for it in items] == [
        ("telegram:4400123", "102", "user222"),
        ("telegram:4400123", "103", "user111"),
        ("telegram:555000111", "9", "user555000111"),
    ]
    assert items[1].extra["links"] == ["https://factcheck.example/vac-xin-soi-chip"]
    assert items[2].extra["saved_from"] == "Tin Nóng 24h"


def test_truncated_export_keeps_whole_messages(data: Path, tmp_path: Path) -> None:
    doc = (data / "telegram" / "result.json").read_text(encoding="utf-8")
    cut = doc.index('"id": 6')  # cut inside message 6
    p = tmp_path / "result.json"
    p.write_text(doc[:cut], encoding="utf-8")
    rej = Rejections(quiet=True)
    items = list(read_telegram(str(p), rej))
    assert [it.native_id for it in items] == ["2", "3", "4", "5"]
    assert (
        len(rej.items) == 1
        and rej.items[0].startswith(f"{p}:98:3: ")
        and "truncated" in rej.items[0]
    )


def test_bad_messages_rejected_good_kept(tmp_path: Path) -> None:
    chat = {
        "name": "x",
        "type": "public_channel",
        "id": 1,
        "messages": [
            {"id": 1, "type": "message", "date_unixtime": "1709280900", "text": "ok one"},
            {"id": 2, "type": "message", "date_unixtime": "99999999999999", "text": "bad date"},
            "junk",
            {"type": "message", "text": "no id"},
            {"id": 5, "type": "message", "date": "2024-13-45T00:00:00", "text": "bad iso"},
            {"id": 6, "type": "message", "date_unixtime": "1709280901", "text": "ok two"},
        ],
    }
    p = tmp_path / "result.json"
    p.write_text(json.dumps(chat), encoding="utf-8")
    rej = Rejections(quiet=True)
    items = list(read_telegram(str(p), rej))
    assert [it.text for it in items] == ["ok one", "ok two"]
    assert len(rej.items) == 4
    assert all(str(p) in r for r in rej.items)


def test_entities_text() -> None:
    assert entities_text("plain") == ("plain", [])
    assert entities_text(["a ", {"type": "link", "text": "http://x"}, {"type": "bold"}]) == (
        "a http://x",
        ["http://x"],
    )
    assert entities_text(None) == ("", [])


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda kids: (
        st.lists(kids, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "type",
                    "text",
                    "date",
                    "date_unixtime",
                    "from",
                    "photo",
                    "file",
                    "reactions",
                    "edited",
                    "messages",
                    "chats",
                    "list",
                    "name",
                ]
            ),
            kids,
            max_size=6,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None)
@given(_json)
def test_hypothesis_never_crashes(tmp_path_factory, doc) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path_factory.mktemp("tg") / "result.json"
    p.write_text(
        json.dumps(
            {
                "name": "h",
                "id": 3,
                "messages": [doc, {"id": 1, "text": "x", "date_unixtime": 1709280900}],
            }
        ),
        encoding="utf-8",
    )
    rej = Rejections(quiet=True)
    items = list(read_telegram(str(p), rej))
    assert any(it.text == "x" for it in items)
    for it in items:
        assert it.published_at is None or it.published_at.tzinfo is not None


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_hypothesis_garbage_bytes(tmp_path_factory, blob: bytes) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path_factory.mktemp("tg") / "result.json"
    p.write_bytes(b'{"messages": [' + blob)
    rej = Rejections(quiet=True)
    list(read_telegram(str(p), rej))  # must not raise
    try:
        valid = isinstance(json.loads(p.read_bytes().decode("utf-8")), dict)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        valid = False
    assert valid or rej.items
