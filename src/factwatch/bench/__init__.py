"""Evaluation and speed harnesses behind ``factwatch bench``; figures go to the README."""

from __future__ import annotations

import os
from pathlib import Path


def shared_data() -> Path:
    """The shared data sets: $FACTWATCH_SHARED_DATA, else ../shared/data beside the checkout."""
    env = os.environ.get("FACTWATCH_SHARED_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        cand = parent.parent / "shared" / "data"
        if (parent / "pyproject.toml").exists() and cand.exists():
            return cand
    return Path.cwd().parent / "shared" / "data"
