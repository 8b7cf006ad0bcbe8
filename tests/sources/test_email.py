from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from factwatch.cli._io import Rejections
from factwatch.sources import detect_format, read_source
from factwatch.sources.email import html_to_text, message_item, parse_imap_url, read_eml, read_mbox


def test_windows_1258_quoted_printable(data: Path, rej: Rejections) -> None:
    path = str(data / "email" / "phishing_vi_cp1258.eml")
    raw = Path(path).read_bytes()
    assert b"windows-1258" in raw and b"=D2" in raw  # combining hook above, as cp1258 writes it
    assert detect_format(path).name == "eml"
    [it] = list(read_source(path, rej))
    assert not rej.items
    assert it.title == "Thông báo khóa tài khoản"
    assert "tài khoản của quý khách sẽ bị khóa trong 24 giờ" in it.text
    assert unicodedata.is_normalized("NFC", it.text) and unicodedata.is_normalized("NFC", it.title)
    assert it.author == "thongbao@vietcombank-xacminh.example"
    assert it.published_at == datetime(2024, 3, 5, 2, 12, 40, tzinfo=UTC)
    assert it.native_id == "20240305091240.4F2@vietcombank-xacminh.example"
    assert it.source == "email:email"


def test_html_only_base64_with_attachment(data: Path, rej: Rejections) -> None:
    [it] = list(read_source(str(data / "email" / "newsletter_fr_html.eml"), rej))
    assert it.title == "Alerte : les compteurs Linky"
    lines = it.text.splitlines()
    assert lines[0] == "Alerte : les compteurs Linky provoquent des cancers"
    assert "Une étude secrète prouverait que les ondes des compteurs sont dangereuses." in lines
    assert "alert(1)" not in it.text and "color:red" not in it.text
    assert "(https://linky-verite.example/etude)" in it.text
    assert it.media == [
        {"type": "image", "name": "graphique.png", "mime_type": "image/png", "size": 72}
    ]
    assert it.extra["list_id"].startswith("Lettre du collectif")


def test_mbox(data: Path, rej: Rejections) -> None:
    path = str(data / "email" / "chain_letters.mbox")
    assert detect_format(path).name == "mbox"
    items = list(read_source(path, rej))
    assert [it.native_id for it in items] == ["fw-fw-245@example.com", "tt-190124@example.vn"]
    en, vi = items
    assert en.text.startswith("Bill Gates is sharing his fortune.")
    assert "From what I heard this is real." in en.text  # mboxrd ">From " un-quoted
    assert "<p>" not in en.text  # text/plain preferred over text/html
    assert vi.title == "Giá xăng sẽ tăng gấp đôi"
    # no Date header: the mbox "From " line's date is used
    assert vi.published_at == datetime(2024, 1, 19, 7, 0, tzinfo=UTC)
    assert rej.items == [
        f"{path}:33: no From, To, Subject, Date or Message-ID header: not an e-mail message"
    ]


def test_no_message_id_gets_stable_hash(tmp_path: Path) -> None:
    m = EmailMessage()
    m["From"] = "a@example.org"
    m["Subject"] = "Sujet"
    m.set_content("Corps du message")
    raw = m.as_bytes()
    a = message_item(raw, "box")
    b = message_item(raw, "box")
    assert a.native_id == b.native_id and a.native_id.startswith("sha256:")


def test_html_to_text() -> None:
    assert html_to_text("<p>a<br>b</p><div>c</div>").split() == ["a", "b", "c"]
    assert html_to_text("") == ""


def test_imap_url() -> None:
    cfg = parse_imap_url(
        "imaps://fact%40desk@mail.example:994/Signalements%20lecteurs", password="pw"
    )
    assert (cfg.user, cfg.host, cfg.port, cfg.mailbox, cfg.tls) == (
        "fact@desk",
        "mail.example",
        994,
        "Signalements lecteurs",
        True,
    )
    assert parse_imap_url("imap://u@h", password="x").port == 143


def test_bad_eml_rejected(tmp_path: Path) -> None:
    p = tmp_path / "x.eml"
    p.write_bytes(b"\x00\x01binary junk\xff\xfe")
    rej = Rejections(quiet=True)
    assert list(read_eml(str(p), rej)) == []
    assert rej.items and rej.items[0].startswith(str(p))


_header = st.sampled_from(
    [
        "From",
        "To",
        "Subject",
        "Date",
        "Message-ID",
        "Content-Type",
        "Content-Transfer-Encoding",
        "MIME-Version",
    ]
)
_value = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "multipart/mixed; boundary=b",
            "text/html; charset=windows-1258",
            "base64",
            "quoted-printable",
            "text/plain; charset=x-unknown",
            "=?utf-8?B?////?=",
            "Thu, 31 Feb 2024 99:99:99 +9999",
        ]
    ),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_header, _value), max_size=8), st.binary(max_size=300))
def test_hypothesis_messages(headers: list[tuple[str, str]], body: bytes) -> None:
    raw = (
        b"".join(
            f"{k}: {v}".encode("utf-8", "surrogatepass").replace(b"\n", b" ").replace(b"\r", b" ")
            + b"\n"
            for k, v in headers
        )
        + b"\n"
        + body
    )
    try:
        it = message_item(raw, "h")
    except (ValueError, TypeError, LookupError, IndexError):
        return
    assert it.text and it.source == "email:h"
    assert it.published_at is None or it.published_at.tzinfo is not None
    assert unicodedata.is_normalized("NFC", it.text)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.binary(max_size=120), max_size=6))
def test_hypothesis_mbox(tmp_path_factory, chunks: list[bytes]) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path_factory.mktemp("mb") / "x.mbox"
    good = b"From a@b Thu Jan 18 10:00:00 2024\nFrom: a@b\nSubject: ok\n\nbody\n\n"
    p.write_bytes(
        good + b"".join(b"From x@y Thu Jan 18 10:00:00 2024\n" + c + b"\n\n" for c in chunks)
    )
    rej = Rejections(quiet=True)
    items = list(read_mbox(str(p), rej))
    assert items and items[0].title == "ok"
