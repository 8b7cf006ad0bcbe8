from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factwatch.cli._io import Rejections
from factwatch.sources import SourceError, detect_format, read_source
from factwatch.sources.mapped import parse_time, read_mapped


def test_tiktok_csv_toml(data: Path, rej: Rejections) -> None:
    path = str(data / "mapped" / "tiktok.mapping.toml")
    assert detect_format(path).name == "mapped"
    items = list(read_source(path, rej))
    assert [it.native_id for it in items] == [
        "7312345678901234567",
        "7312345678901234999",
        "7312345678900000003",
    ]
    first = items[0]
    assert first.source == "tiktok:export-2024-03" and first.author == "@suckhoe.meo"
    assert first.published_at == datetime(2024, 3, 2, 14, 15, tzinfo=UTC)  # 21:15 in Hanoi
    assert first.engagement == {"likes": 12400, "shares": 3100}
    assert first.extra == {"music": "nhạc nền - suckhoe.meo"}
    csv = data / "mapped" / "tiktok_posts.csv"
    assert rej.items == [
        f"{csv}:4: empty text (column 'caption')",
        f"{csv}:5: bad time '31/02/2024 10:00' for format '%d/%m/%Y %H:%M' (day is out of range for month)",
    ]


def test_facebook_json_yaml(data: Path, rej: Rejections) -> None:
    items = list(read_source(str(data / "mapped" / "facebook_group.mapping.yaml"), rej))
    assert [(it.native_id, it.author, it.engagement) for it in items] == [
        ("10159_001", "100004", {"reactions": 57}),
        ("10159_002", "100007", {"reactions": 230}),
    ]
    assert items[1].published_at == datetime(
        2024, 3, 5, 2, 40, tzinfo=UTC
    )  # Unix time in an "iso" column
    assert items[0].extra["author_name"] == "Nguyễn Thị Mai"
    assert len(rej.items) == 2 and "record 2" in rej.items[0] and "record 3" in rej.items[1]


def test_jsonl_and_missing_id(tmp_path: Path) -> None:
    (tmp_path / "d.jsonl").write_text(
        '{"t": "a claim", "u": "x"}\n{"t": 5}\nnot json\n{"t": "another"}\n', encoding="utf-8"
    )
    (tmp_path / "m.toml").write_text(
        'input = "d.jsonl"\n[columns]\ntext = "t"\nauthor = "u"\n', encoding="utf-8"
    )
    rej = Rejections(quiet=True)
    items = list(read_mapped(str(tmp_path / "m.toml"), rej))
    assert [it.text for it in items] == ["a claim", "5", "another"]
    assert len({it.native_id for it in items}) == 3 and items[0].source == "mapped:m"
    assert rej.items == [f"{tmp_path / 'd.jsonl'}:3: invalid JSON (Expecting value at column 1)"]


def test_bad_mapping(tmp_path: Path) -> None:
    (tmp_path / "m.toml").write_text(
        'input = "nothing.csv"\n[columns]\ntext = "t"\n', encoding="utf-8"
    )
    with pytest.raises(SourceError, match="matches no file"):
        list(read_mapped(str(tmp_path / "m.toml"), Rejections(quiet=True)))
    (tmp_path / "n.toml").write_text("input = [[[", encoding="utf-8")
    with pytest.raises(SourceError, match="not a valid mapping"):
        list(read_mapped(str(tmp_path / "n.toml"), Rejections(quiet=True)))


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        ("2024-03-05T02:10:00Z", "iso", datetime(2024, 3, 5, 2, 10, tzinfo=UTC)),
        ("Tue, 05 Mar 2024 09:10:00 +0700", "iso", datetime(2024, 3, 5, 2, 10, tzinfo=UTC)),
        (1709604600, "unix", datetime(2024, 3, 5, 2, 10, tzinfo=UTC)),
        ("1709604600000", "unix_ms", datetime(2024, 3, 5, 2, 10, tzinfo=UTC)),
        ("05.03.2024 02:10", "%d.%m.%Y %H:%M", datetime(2024, 3, 5, 2, 10, tzinfo=UTC)),
    ],
)
def test_parse_time(value: object, fmt: str, expected: datetime) -> None:
    assert parse_time(value, fmt) == expected


@pytest.mark.parametrize("value", ["1e400", "3000-01-01", "0", "", "nan"])
def test_parse_time_rejects(value: str) -> None:
    with pytest.raises((ValueError, OverflowError)):
        parse_time(value, "unix" if value in ("1e400", "0", "nan") else "iso")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), min_size=0, max_size=5), max_size=8))
def test_hypothesis_csv(tmp_path_factory, rows: list[list[str]]) -> None:  # type: ignore[no-untyped-def]
    d = tmp_path_factory.mktemp("m")
    import csv

    with open(d / "x.csv", "w", newline="", encoding="utf-8", errors="surrogatepass") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text", "time"])
        w.writerows(rows)
    (d / "m.toml").write_text(
        'input = "x.csv"\n[columns]\nid = "id"\ntext = "text"\ntime = "time"\n', encoding="utf-8"
    )
    try:
        for it in read_mapped(str(d / "m.toml"), Rejections(quiet=True)):
            assert it.text and (it.published_at is None or it.published_at.tzinfo is not None)
    except UnicodeEncodeError:
        pass
