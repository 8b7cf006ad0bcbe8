"""Small version of benchmarks/crash_ingest.py: SIGKILL ingest 3 times, restart, nothing lost or doubled."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_sigkill_during_ingest_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "crash_ingest", ROOT / "benchmarks" / "crash_ingest.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["crash_ingest"] = mod
    spec.loader.exec_module(mod)
    r = mod.run(2000, 3, 5, tmp_path, log=lambda _m: None)
    assert r["kills"] == 3
    assert (r["stored"], r["lost"], r["duplicated"], r["unexpected"], r["final_exit"]) == (
        2000,
        0,
        0,
        0,
        0,
    )
