"""Command group placeholder: filled in by its issue's work."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    return None
