"""Run ``factwatch ingest`` over the bad-input corpus and check each file's outcome.

``python benchmarks/bad_input.py`` generates the corpus (benchmarks/make_bad_inputs.py) in a
temporary folder, then runs the real command (in-process, one database for all) on every file and
checks that: the command exits 1; every rejection names the file; a rejection gives a position
(line, line:column, byte, record or message) unless the whole file was refused; and exactly the
good records around the damage were stored.  Prints a markdown table by kind and writes it to
benchmarks/results/bad_input.md.
"""

from __future__ import annotations

import importlib.util
import io
import re
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import redirect_stderr
from pathlib import Path

HERE = Path(__file__).resolve().parent
_POS = re.compile(r":(\d+|byte \d+|record \d+|chat \d+|UID \d+)")


def load_generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_bad_inputs", HERE / "make_bad_inputs.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["make_bad_inputs"] = mod
    spec.loader.exec_module(mod)
    return mod


def run_case(db: str, path: Path, fmt: str | None) -> tuple[int, list[str]]:
    """(exit code, rejection lines) of ``factwatch --db DB ingest PATH [--format FMT]``."""
    from factwatch.cli import _io
    from factwatch.cli.main import app

    args = ["--db", db, "ingest", str(path)] + (["--format", fmt] if fmt else [])
    err = io.StringIO()
    old = _io.err_console.file
    _io.err_console.file = err
    try:
        with redirect_stderr(err):
            try:
                ret = app(args, standalone_mode=False)
                code = int(ret) if isinstance(ret, int) else 0
            except SystemExit as exc:
                code = int(exc.code or 0)
            except Exception as exc:  # noqa: BLE001 - a crash is a failed case, reported as such
                return 99, [f"CRASH {type(exc).__name__}: {exc}"]
    finally:
        _io.err_console.file = old
    lines = [
        ln.removeprefix("rejected ")
        for ln in err.getvalue().splitlines()
        if ln.startswith("rejected ")
    ]
    return code, lines


def main(out_dir: Path | None = None, quiet: bool = False) -> dict[str, dict[str, int]]:
    gen = load_generator()
    from factwatch.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        cases = gen.generate(corpus)
        db = str(Path(tmp) / "bad.db")
        store = Store.open(db)
        by_kind: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        failures: list[str] = []
        t0 = time.perf_counter()
        for c in cases:
            before = store.count_items()
            code, rej = run_case(db, corpus / c.file, c.format)
            stored = store.count_items() - before
            k = by_kind[c.kind]
            k["files"] += 1
            k["good_expected"] += c.good
            k["good_kept"] += stored
            ok_exit = code == 1 if c.min_rejected else code in (0, 1)
            named = bool(rej) and all(c.file.split(".")[0] in r for r in rej)
            positioned = any(_POS.search(r.split(c.file.split(".")[0], 1)[-1]) for r in rej)
            k["exit_1"] += code == 1
            k["named"] += named
            k["positioned"] += positioned
            k["rejections"] += len(rej)
            if (
                not ok_exit
                or stored != c.good
                or (c.min_rejected and (not named or len(rej) < c.min_rejected))
            ):
                failures.append(
                    f"{c.file} [{c.kind}]: exit {code}, stored {stored}/{c.good}, rejections {rej[:3]}"
                )
        elapsed = time.perf_counter() - t0
        store.close()
    rows = [
        "| kind | files | exit 1 | rejection names the file | names a position | good records kept |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    tot: dict[str, int] = defaultdict(int)
    for kind, k in sorted(by_kind.items()):
        rows.append(
            f"| {kind} | {k['files']} | {k['exit_1']} | {k['named']} | {k['positioned']} | {k['good_kept']}/{k['good_expected']} |"
        )
        for key, v in k.items():
            tot[key] += v
    rows.append(
        f"| **all** | {tot['files']} | {tot['exit_1']} | {tot['named']} | {tot['positioned']} | {tot['good_kept']}/{tot['good_expected']} |"
    )
    table = "\n".join(rows)
    text = (
        f"# Bad-input corpus\n\n`python benchmarks/bad_input.py` ({len(cases)} files, {elapsed:.1f} s)\n\n{table}\n\n"
        + (
            f"Failures ({len(failures)}):\n\n" + "\n".join(f"- {f}" for f in failures) + "\n"
            if failures
            else "No failure: every file was handled as expected.\n"
        )
    )
    if not quiet:
        print(text)
    out = out_dir or HERE / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bad_input.md").write_text(text, encoding="utf-8")
    return {"failures": {"count": len(failures)}, **{k: dict(v) for k, v in by_kind.items()}}


if __name__ == "__main__":
    res = main()
    sys.exit(1 if res["failures"]["count"] else 0)
