import json
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factwatch.cli._io import Rejections
from factwatch.sources import detect_format, read_source

DATA = Path(__file__).parent.parent / "data" / "core"


def test_formats_are_detected_by_content(tmp_path):
    assert detect_format(str(DATA / "posts.jsonl")).name == "jsonl"
    assert detect_format(str(DATA / "posts.csv")).name == "csv"
    assert detect_format(str(DATA / "feed.xml")).name == "feed"
    odd = tmp_path / "export.dat"
    odd.write_bytes((DATA / "atom.xml").read_bytes())
    assert detect_format(str(odd)).name == "feed"


def test_feed_items():
    rej = Rejections(quiet=True)
    items = list(read_source(str(DATA / "feed.xml"), rej))
    assert len(items) == 2 and not rej.items
    assert items[0].title == "Không có lệnh sơ tán quận Hoàn Kiếm"
    assert "<p>" not in items[0].text and items[0].published_at.hour == 3  # 10:00 +07:00 in UTC
    atom = list(read_source(str(DATA / "atom.xml"), rej))
    assert (
        atom[0].text == "Heavy rain expected tomorrow." and atom[0].url == "https://atom.example/1"
    )


def test_ingest_is_idempotent_and_reports_bad_rows(cli):
    r = cli("ingest", str(DATA / "posts.jsonl"), str(DATA / "posts.csv"))
    assert r.exit_code == 1  # c3 has no text
    assert "8 new, 0 already stored, 1 rejected" in r.stderr
    assert "posts.csv:4" in r.stderr
    r = cli("ingest", str(DATA / "posts.jsonl"), str(DATA / "posts_mixed.jsonl"))
    # p1 again (by id) and 6 known posts; 'bad' and the id-less line rejected; p7 new
    assert "1 new, 7 already stored, 2 rejected" in r.stderr
    assert "posts_mixed.jsonl:2" in r.stderr and "posts_mixed.jsonl:3" in r.stderr
    items = [json.loads(x) for x in cli("items", "list", "--format", "jsonl").stdout.splitlines()]
    assert [i["id"] for i in items] == ["p1", "p2", "p3", "p4", "p5", "p6", "c1", "c2", "p7"]
    assert items[2]["published_at"] == "2026-10-02T07:00:00+00:00"


def test_nfd_post_is_stored_as_nfc(cli, tmp_path):
    p = tmp_path / "nfd.jsonl"
    p.write_text(
        json.dumps({"id": "n", "text": unicodedata.normalize("NFD", "Hà Nội mưa to")}) + "\n"
    )
    cli("ingest", str(p))
    item = json.loads(cli("items", "list").stdout.splitlines()[0])
    assert item["text"] == "Hà Nội mưa to" and unicodedata.is_normalized("NFC", item["text"])


def test_missing_file_and_unknown_format(cli, tmp_path):
    r = cli("ingest", str(tmp_path / "nope.jsonl"))
    assert r.exit_code == 1 and "no such file" in r.stderr
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01\x02binary")
    r = cli("ingest", str(junk))
    assert r.exit_code == 1 and "not recognised" in r.stderr


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.one_of(
            st.binary(max_size=200),
            st.builds(
                lambda d: json.dumps(d).encode(),
                st.dictionaries(
                    st.sampled_from(
                        ["id", "text", "title", "url", "published_at", "lang", "author"]
                    ),
                    st.one_of(st.none(), st.integers(), st.text(max_size=30), st.floats()),
                    max_size=7,
                ),
            ),
        ),
        max_size=10,
    )
)
def test_fuzz_jsonl_posts(tmp_path_factory, lines):
    p = tmp_path_factory.mktemp("fz") / "posts.jsonl"
    p.write_bytes(b"\n".join(x.replace(b"\n", b" ") for x in lines))
    rej = Rejections(quiet=True)
    n = 0
    for item in read_source(str(p), rej, fmt="jsonl"):
        assert item.native_id and (item.text or item.title)
        n += 1
    nonblank = sum(1 for x in lines if x.replace(b"\n", b" ").strip())
    assert n + len(rej) >= nonblank - sum(1 for x in lines if not x.strip())


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=3000))
def test_fuzz_csv_and_feed(tmp_path_factory, data):
    d = tmp_path_factory.mktemp("fz")
    (d / "p.csv").write_bytes(b"id,text\n" + data)
    (d / "f.xml").write_bytes(b"<?xml version='1.0'?><rss>" + data)
    rej = Rejections(quiet=True)
    list(read_source(str(d / "p.csv"), rej, fmt="csv"))
    list(read_source(str(d / "f.xml"), rej, fmt="feed"))
