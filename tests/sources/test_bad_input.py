"""The bad-input corpus (benchmarks/make_bad_inputs.py): >= 200 malformed files.

Every file is read through ``read_source`` as ``factwatch ingest`` does; each must be rejected
with the file named, and exactly the good records around the damage come out.  A few go through
the real command to check the exit status and what reaches the database.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factwatch.cli._io import Rejections
from factwatch.sources import SourceError, read_source

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "make_bad_inputs", ROOT / "benchmarks" / "make_bad_inputs.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["make_bad_inputs"] = mod
    spec.loader.exec_module(mod)
    out = tmp_path_factory.mktemp("bad")
    return out, mod.generate(out)


def test_corpus_every_file(corpus) -> None:  # type: ignore[no-untyped-def]
    out, cases = corpus
    assert len(cases) >= 200
    kinds = {c.kind for c in cases}
    for k in (
        "truncated JSON",
        "deeply nested JSON",
        "wrong encoding",
        "mixed encodings",
        "NUL bytes",
        "huge line",
        "gzip bomb",
        "zip bomb",
        "binary junk",
        "impossible date",
        "HTML where JSON was expected",
    ):
        assert k in kinds
    problems = []
    for c in cases:
        rej = Rejections(quiet=True)
        path = str(out / c.file)
        items = []
        try:
            items = list(read_source(path, rej, fmt=c.format))
        except SourceError as exc:
            rej.add(path, str(exc))
        stem = c.file.split(".")[0]
        if len({(it.source, it.native_id) for it in items}) != c.good:
            problems.append(f"{c.file}: {len(items)} items, expected {c.good}")
        if len(rej) < c.min_rejected or not all(stem in r for r in rej.items):
            problems.append(f"{c.file}: rejections {rej.items[:2]}")
    assert not problems, "\n".join(problems[:20])


def test_command_exit_status_and_storage(corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from factwatch.cli.main import app
    from factwatch.store import Store

    out, cases = corpus
    picks = [c for c in cases if c.kind in ("truncated JSON", "NUL bytes") and c.good][:1]
    picks += [c for c in cases if c.file.endswith(".mbox") and c.good][:1]
    picks += [c for c in cases if c.kind == "zip bomb" and c.good][:1]
    db = str(tmp_path / "t.db")
    runner = CliRunner()
    stored = 0
    for c in picks:
        args = ["--db", db, "ingest", str(out / c.file)] + (
            ["--format", c.format] if c.format else []
        )
        res = runner.invoke(app, args)
        assert res.exit_code == 1, (c.file, res.output)
        with Store.open(db) as s:
            n = s.count_items()
        assert n - stored == c.good, c.file
        stored = n
