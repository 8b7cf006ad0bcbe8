import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bundled_sample_is_valid_and_regenerates_identically():
    r = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_sample.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_bundled_sample_reads_without_rejections():
    from factwatch.cli._io import Rejections
    from factwatch.sources import read_source
    from factwatch.sources.factchecks import read_factchecks

    sample = ROOT / "src" / "factwatch" / "data" / "sample"
    rej = Rejections(quiet=True)
    fcs = list(read_factchecks(str(sample / "factchecks.jsonl"), rej))
    posts = list(read_source(str(sample / "posts.jsonl"), rej))
    assert rej.items == []
    assert len(fcs) == 40 and len(posts) == 300
    assert {fc.lang for fc in fcs} == {"vi", "fr", "en"}
