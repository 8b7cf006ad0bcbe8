"""``entities import``, ``lookalikes`` and ``accounts check`` end to end through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).parent.parent / "data" / "impersonation"


def _lines(out: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(x) for x in out.splitlines() if x.strip()]


def test_import_then_lookalikes_text_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli("entities", "import", str(DATA / "registry.yaml"))
    assert r.exit_code == 0, r.output
    r = cli("entities", "list")
    assert len(_lines(r.stdout)) == 36
    out = tmp_path / "out.jsonl"
    r = cli("lookalikes", "--input", str(DATA / "domains_to_check.txt"), "--output", str(out))
    # one line is not a domain: reported with file and line, the rest processed, exit 1
    assert r.exit_code == 1
    assert f"{DATA / 'domains_to_check.txt'}:14" in r.stderr
    rows = _lines(out.read_text(encoding="utf-8"))
    got = {row["domain"]: (row["entity_id"], row["technique"]) for row in rows}
    assert got["quangninh-gov-vn.com"] == ("quangninh-gov", "vn-gov-pattern")
    assert got["baoquangninh-news.net"] == ("baoquangninh", "combosquatting")
    assert got["who-int.org"] == ("who", "combosquatting")
    assert got["chinhphu.vn.example.com"] == ("chinhphu", "subdomain-abuse")
    assert got["login-who.int.example.net"] == ("who", "subdomain-abuse")
    assert got["vnexpres.net"] == ("vnexpress", "omission")
    assert got["quangninh.com.vn"] == ("quangninh-gov", "vn-gov-pattern")
    assert "vnexpress.net" not in got and "www.vnexpress.net" not in got and "tuoitre.vn" not in got
    assert "wikipedia.org" not in got
    # punycode input is reported in Unicode with its punycode in the evidence
    idn = [row for row in rows if row["evidence"]["punycode"] == "xn--vnxpress-d8g.net"]
    assert idn and idn[0]["entity_id"] == "vnexpress"
    # ids are input line numbers, in input order
    ids = [row["id"] for row in rows]
    assert ids == sorted(ids)
    for row in rows:
        assert set(row) >= {
            "id",
            "domain",
            "entity_id",
            "imitates",
            "technique",
            "score",
            "evidence",
        }


def test_lookalikes_from_posts(cli) -> None:  # type: ignore[no-untyped-def]
    cli("entities", "import", str(DATA / "registry.yaml"))
    r = cli("lookalikes", "--input", str(DATA / "posts.jsonl"))
    assert r.exit_code == 0, r.output
    rows = _lines(r.stdout)
    assert [(row["id"], row["domain"]) for row in rows] == [
        ("p1", "quangninh-gov-vn.com"),
        ("p2", "lemonde-actu.fr"),
        ("p3", "who-int.org"),
    ]


def test_accounts_check(cli) -> None:  # type: ignore[no-untyped-def]
    cli("entities", "import", str(DATA / "registry.yaml"))
    r = cli("accounts", "check", "--input", str(DATA / "accounts.jsonl"))
    assert r.exit_code == 1  # a10 has neither handle nor display name
    assert "accounts.jsonl:10" in r.stderr
    rows = {row["id"]: row for row in _lines(r.stdout)}
    assert "a1" not in rows  # the registered account itself
    assert "a6" not in rows and "a9" not in rows  # people and a food page
    assert rows["a2"]["entity_id"] == "tuoitre"
    assert rows["a3"]["entity_id"] == "vnexpress"
    assert rows["a4"]["entity_id"] == "baoquangninh"
    assert rows["a5"]["entity_id"] == "lefigaro"
    assert rows["a7"]["entity_id"] == "who" and rows["a7"]["technique"] == "unregistered-platform"
    assert rows["a8"]["entity_id"] == "reuters" and rows["a8"]["technique"] == "confusable"
    assert set(rows["a2"]) >= {
        "id",
        "account",
        "entity_id",
        "imitates",
        "technique",
        "score",
        "evidence",
    }


def test_no_registry_is_a_usage_error(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "d.txt"
    f.write_text("example.com\n", encoding="utf-8")
    r = cli("lookalikes", "--input", str(f))
    assert r.exit_code == 2
    assert "entities import" in r.stderr


def test_registry_option_and_stdin(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli(
        "lookalikes",
        "--input",
        "-",
        "--registry",
        str(DATA / "registry.yaml"),
        input="who-int.org\nexample.org\n",
    )
    assert r.exit_code == 0
    rows = _lines(r.stdout)
    assert [(x["id"], x["entity_id"]) for x in rows] == [(1, "who")]


def test_import_from_stdin_jsonl(cli) -> None:  # type: ignore[no-untyped-def]
    rec = {"id": "vtv", "name": "Đài Truyền hình Việt Nam", "kind": "media", "domains": ["vtv.vn"]}
    r = cli("entities", "import", "-", input=json.dumps(rec, ensure_ascii=False) + "\n{bad\n")
    assert r.exit_code == 1 and "<stdin>:2" in r.stderr
    assert [e["id"] for e in _lines(cli("entities", "list").stdout)] == ["vtv"]
