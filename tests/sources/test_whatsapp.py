from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factwatch.cli._io import Rejections
from factwatch.sources import detect_format, read_source
from factwatch.sources.whatsapp import parse_chat, read_whatsapp

WA = "whatsapp"


def test_android_vietnamese_24h(data: Path, rej: Rejections) -> None:
    path = str(data / WA / "WhatsApp Chat with Gia đình.txt")
    assert detect_format(path).name == "whatsapp"
    items = list(read_source(path, rej))
    assert not rej.items
    assert [it.author for it in items] == ["Bố", "Linh", "Bố", "Linh"]
    assert all(it.source == "whatsapp:WhatsApp Chat with Gia đình" for it in items)
    assert items[0].published_at == datetime(2024, 2, 14, 20, 2, tzinfo=UTC)
    # multi-line message kept whole
    assert items[1].text.splitlines() == [
        "Bố ơi tin này sai rồi ạ.",
        "Bộ Y tế đã bác bỏ từ năm ngoái.",
        "Link: https://moh.gov.vn.example/bac-bo",
    ]
    # attachment with caption; deleted message and system lines skipped; edit marker removed
    assert items[2].media == [{"type": "image", "path": "IMG-20240215-WA0003.jpg"}]
    assert items[2].text == "Ảnh chụp màn hình bản tin"
    assert items[3].text == "Con gửi lại bài kiểm chứng nhé" and items[3].extra["edited"] is True
    assert items[0].extra["date_order"] == "dmy"


def test_android_us_12h(data: Path, rej: Rejections) -> None:
    items = list(read_source(str(data / WA / "WhatsApp Chat with Neighbours.txt"), rej))
    assert not rej.items
    assert [(it.author, it.published_at) for it in items] == [
        ("Dave", datetime(2024, 3, 7, 21, 42, tzinfo=UTC)),
        ("Priya", datetime(2024, 3, 7, 21, 46, tzinfo=UTC)),
        ("Dave", datetime(2024, 3, 14, 0, 5, tzinfo=UTC)),  # 12:05 AM
    ]
    assert items[0].extra["date_order"] == "mdy"


def test_ios_french(data: Path, rej: Rejections) -> None:
    path = data / WA / "WhatsApp Chat - Famille Dupont" / "_chat.txt"
    items = list(read_source(str(path), rej))
    assert not rej.items
    assert all(it.source == "whatsapp:WhatsApp Chat - Famille Dupont" for it in items)
    assert [it.author for it in items] == ["Jean-Pierre", "Sophie", "Sophie"]
    assert items[0].published_at == datetime(2024, 1, 22, 18, 2, 40, tzinfo=UTC)
    assert items[1].text == "C'est faux, l'Assurance maladie a démenti.\nSource : ameli.fr"
    assert items[2].media == [{"type": "image", "path": "00000012-PHOTO-2024-01-22-18-11-30.jpg"}]


def test_ids_are_stable_and_repeats_distinct(tmp_path: Path) -> None:
    p = tmp_path / "chat.txt"
    p.write_text(
        "01/02/2024, 10:00 - A: hi\n01/02/2024, 10:00 - A: hi\n01/02/2024, 10:01 - B: yo\n",
        encoding="utf-8",
    )
    a = [it.native_id for it in read_whatsapp(str(p), Rejections(quiet=True))]
    p.write_text(p.read_text(encoding="utf-8") + "02/02/2024, 09:00 - B: later\n", encoding="utf-8")
    b = [it.native_id for it in read_whatsapp(str(p), Rejections(quiet=True))]
    assert len(set(a)) == 3 and b[:3] == a  # a longer re-export keeps the earlier ids


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("13/03/2024, 21:05 - X: a", datetime(2024, 3, 13, 21, 5, tzinfo=UTC)),
        ("03/13/2024, 9:05 PM - X: a", datetime(2024, 3, 13, 21, 5, tzinfo=UTC)),
        ("13.03.24, 21:05 - X: a", datetime(2024, 3, 13, 21, 5, tzinfo=UTC)),
        ("2024-03-13, 21:05 - X: a", datetime(2024, 3, 13, 21, 5, tzinfo=UTC)),
        ("13/03/2024, 9:05 CH - X: a", datetime(2024, 3, 13, 21, 5, tzinfo=UTC)),
        ("13/03/2024 09:05 SA - X: a", datetime(2024, 3, 13, 9, 5, tzinfo=UTC)),
        ("[13/03/2024, 21:05:09] X: a", datetime(2024, 3, 13, 21, 5, 9, tzinfo=UTC)),
        ("\u200e[3/13/24, 9:05:09\u202fPM] X: a", datetime(2024, 3, 13, 21, 5, 9, tzinfo=UTC)),
        ("13/03/2024 à 21:05 - X: a", None),  # not a header: dropped as preamble
    ],
)
def test_date_styles(tmp_path: Path, line: str, expected: datetime | None) -> None:
    p = tmp_path / "c.txt"
    p.write_text(line + "\n", encoding="utf-8")
    items = list(read_whatsapp(str(p), Rejections(quiet=True)))
    assert [it.published_at for it in items] == ([expected] if expected else [])


def test_bad_lines_rejected_with_line_numbers(tmp_path: Path) -> None:
    p = tmp_path / "chat.txt"
    p.write_bytes(
        b"01/02/2024, 10:00 - A: first\n"
        + b"01/02/2024, 10:01 - B: has \x00 NUL\n"
        + b"01/02/2024, 10:02 - C: bad \xff\xfe bytes\n"
        + b"31/02/2024, 10:03 - D: impossible date\n"
        + b"01/02/2024, 10:04 - E: last\n"
    )
    rej = Rejections(quiet=True)
    items = list(read_whatsapp(str(p), rej))
    assert [it.text for it in items] == ["first", "last"]
    joined = "\n".join(rej.items)
    assert (
        f"{p}:2: NUL byte" in joined
        and f"{p}:3: not UTF-8" in joined
        and f"{p}:4: impossible date" in joined
    )


def test_zip_export_and_zip_bomb(data: Path, tmp_path: Path) -> None:
    z = tmp_path / "WhatsApp Chat - Famille Dupont.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(data / WA / "WhatsApp Chat - Famille Dupont" / "_chat.txt", "_chat.txt")
        zf.writestr("00000012-PHOTO-2024-01-22-18-11-30.jpg", b"\xff\xd8\xff")
    assert detect_format(str(z)).name == "whatsapp"
    items = list(read_source(str(z), Rejections(quiet=True)))
    assert len(items) == 3 and items[0].source == "whatsapp:WhatsApp Chat - Famille Dupont"
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("_chat.txt", b"0" * 50_000_000)
    rej = Rejections(quiet=True)
    assert list(read_whatsapp(str(bomb), rej)) == []
    assert "zip bomb" in rej.items[0] and str(bomb) in rej.items[0]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=60),
            st.builds(
                lambda d, m, y, h, mi, t: f"{d}/{m}/{y}, {h}:{mi:02d} - A: {t}",
                st.integers(0, 40),
                st.integers(0, 14),
                st.integers(0, 2100),
                st.integers(0, 30),
                st.integers(0, 70),
                st.text(max_size=30),
            ),
            st.builds(lambda d, t: f"[{d}] B: {t}", st.text(max_size=25), st.text(max_size=20)),
        ),
        max_size=15,
    )
)
def test_hypothesis_any_text(tmp_path_factory, lines: list[str]) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path_factory.mktemp("wa") / "chat.txt"
    p.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    rej = Rejections(quiet=True)
    for it in parse_chat(str(p), rej):
        assert it.published_at is not None and it.published_at.tzinfo is not None
        assert it.author and it.source.startswith("whatsapp:")


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=500))
def test_hypothesis_any_bytes(tmp_path_factory, blob: bytes) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path_factory.mktemp("wa") / "chat.txt"
    p.write_bytes(b"01/02/2024, 10:00 - A: ok\n" + blob)
    list(read_whatsapp(str(p), Rejections(quiet=True)))
