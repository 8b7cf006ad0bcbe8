"""``factwatch classify clickbait`` and ``factwatch train clickbait`` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).parent.parent / "data" / "clickbait"


def write(tmp_path: Path, lines: list[str]) -> Path:
    p = tmp_path / "in.jsonl"
    p.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return p


def test_classify_output_in_order_with_rejections(cli, tmp_path: Path, fake_embed: None) -> None:
    p = write(
        tmp_path,
        [
            json.dumps(
                {"id": "a", "title": "17 Things Only Coffee Lovers Will Understand", "lang": "en"}
            ),
            "not json",
            json.dumps({"id": "b"}),
            json.dumps(
                {"id": 3, "title": "Quốc hội thông qua Luật Đất đai sửa đổi", "lead": "Sáng nay..."}
            ),
            json.dumps({"id": "c", "title": "Regardez ça 😱", "lang": "fr"}),
            json.dumps({"id": "d", "title": "x", "lang": 5}),
            "",
            json.dumps({"title": "no id"}),
        ],
    )
    r = cli("classify", "clickbait", "--input", str(p))
    assert r.exit_code == 1
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", 3, "c"]
    assert set(out[0]) == {"id", "clickbait", "score", "why", "lang"}
    assert out[0]["clickbait"] is True and out[0]["lang"] == "en"
    assert out[1]["lang"] == "vi"
    assert any(w.startswith("emoji") for w in out[2]["why"])
    for n in (2, 3, 6, 8):
        assert f"in.jsonl:{n}:" in r.stderr


def test_classify_stdin_and_output_file(cli, tmp_path: Path) -> None:
    src = json.dumps(
        {"id": "x", "title": "Senate Passes Budget Bill After Long Debate", "lang": "en"}
    )
    out = tmp_path / "out.jsonl"
    r = cli(
        "classify",
        "clickbait",
        "--input",
        "-",
        "--output",
        str(out),
        "--no-cache",
        input=src + "\n",
    )
    assert r.exit_code == 0, r.stderr
    rec = json.loads(out.read_text())
    assert rec["id"] == "x" and rec["clickbait"] is False


def test_classify_missing_file_is_usage_error(cli, tmp_path: Path) -> None:
    r = cli("classify", "clickbait", "--input", str(tmp_path / "nope.jsonl"))
    assert r.exit_code == 2


def test_train_cli_quick_run(cli, tmp_path: Path, fake_embed: None) -> None:
    out = tmp_path / "model.npz"
    r = cli("train", "clickbait", "--data", str(DATA / "mini"), "--output", str(out), "--no-cache")
    assert r.exit_code == 0, r.stderr
    assert out.is_file()
    assert "vi: C=" in r.stderr
    src = write(
        tmp_path, [json.dumps({"id": 1, "title": "Why You Should Never Do This", "lang": "en"})]
    )
    r2 = cli("classify", "clickbait", "--input", str(src), "--model", str(out))
    assert r2.exit_code == 0, r2.stderr
    assert json.loads(r2.stdout)["id"] == 1


def test_train_cli_without_data_is_usage_error(cli, tmp_path: Path) -> None:
    r = cli("train", "clickbait", "--data", str(tmp_path), "--output", str(tmp_path / "m.npz"))
    assert r.exit_code == 2
    assert "missing" in r.stderr


def test_classify_reads_the_lead_of_a_vietnamese_title(
    cli, tmp_path: Path, fake_embed: None
) -> None:
    title = "Sự thật bất ngờ phía sau loại lá mọc đầy vườn"
    lead = "Ít ai biết loại lá quen thuộc này lại được nhiều người săn lùng."
    p = write(
        tmp_path,
        [
            json.dumps({"id": 1, "title": title, "lang": "vi"}),
            json.dumps({"id": 2, "title": title, "lang": "vi", "lead": lead}),
            json.dumps({"id": 3, "title": title, "lang": "vi", "lead": ""}),
            json.dumps({"id": 4, "title": title, "lang": "vi", "lead": 7}),
        ],
    )
    r = cli("classify", "clickbait", "--input", str(p), "--no-cache")
    assert r.exit_code == 1 and "in.jsonl:4: 'lead' must be a string" in r.stderr
    alone, with_lead, empty = (json.loads(line) for line in r.stdout.splitlines())
    assert with_lead["score"] != alone["score"] and empty["score"] == alone["score"]
