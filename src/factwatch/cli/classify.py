"""``factwatch classify checkworthy|clickbait`` and ``factwatch train clickbait|checkworthy``.

Each classifier's commands live in its own module (``cli/clickbait.py``, ``cli/checkworthy.py``)
with ``register_classify(group)`` and ``register_train(group)``.
"""

from __future__ import annotations

import importlib

import typer

CLASSIFIERS = ["clickbait", "checkworthy", "ranker"]


def register(app: typer.Typer) -> None:
    classify = typer.Typer(
        help="Score texts with a shipped classifier (JSONL in, JSONL out).", no_args_is_help=True
    )
    train = typer.Typer(
        help="Train a shipped classifier from the shared data (fixed seed).", no_args_is_help=True
    )
    for name in CLASSIFIERS:
        mod = importlib.import_module(f"factwatch.cli.{name}")
        mod.register_classify(classify)
        mod.register_train(train)
    app.add_typer(classify, name="classify")
    app.add_typer(train, name="train")
