"""Placeholder: filled in by its issue's work."""

from __future__ import annotations

import typer


def register_classify(group: typer.Typer) -> None:
    return None


def register_train(group: typer.Typer) -> None:
    return None
