"""Conventions shared by every command: JSONL in and out, rejections, exit codes.

- ``-`` means standard input; without ``--output`` results go to standard output.
- A rejected input line is reported on standard error as ``FILE:LINE: message`` and the run goes
  on; the command then exits 1.  Wrong usage exits 2.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from rich.console import Console

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2
MAX_LINE_BYTES = 10 * 1024 * 1024

err_console = Console(stderr=True, highlight=False, soft_wrap=True)


@dataclass
class Rejections:
    """Collects rejected inputs; each is printed once as ``file:line: message``."""

    items: list[str] = field(default_factory=list)
    quiet: bool = False

    def add(self, where: str, message: str) -> None:
        text = f"{where}: {message}"
        self.items.append(text)
        if not self.quiet:
            err_console.print(f"[red]rejected[/red] {text}", markup=True, highlight=False)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def exit_code(self) -> int:
        return EXIT_REJECTED if self.items else EXIT_OK


@contextlib.contextmanager
def open_input(path: str) -> Iterator[IO[bytes]]:
    if path == "-":
        yield sys.stdin.buffer
    else:
        with open(path, "rb") as fh:
            yield fh


def read_jsonl(path: str, rejections: Rejections) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line_number, object)`` for each valid JSON object line; reject the rest."""
    name = "<stdin>" if path == "-" else path
    with open_input(path) as fh:
        for lineno, raw in enumerate(fh, start=1):
            if len(raw) > MAX_LINE_BYTES:
                rejections.add(f"{name}:{lineno}", f"line longer than {MAX_LINE_BYTES} bytes")
                continue
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                rejections.add(f"{name}:{lineno}", f"not UTF-8 ({exc.reason} at byte {exc.start})")
                continue
            except json.JSONDecodeError as exc:
                rejections.add(
                    f"{name}:{lineno}", f"invalid JSON ({exc.msg} at column {exc.colno})"
                )
                continue
            except RecursionError:
                rejections.add(f"{name}:{lineno}", "JSON nested too deeply")
                continue
            if not isinstance(obj, dict):
                rejections.add(
                    f"{name}:{lineno}", f"expected a JSON object, got {type(obj).__name__}"
                )
                continue
            yield lineno, obj


class JsonlWriter:
    """Writes one JSON object a line to a file or standard output."""

    def __init__(self, path: str | None) -> None:
        self._own = path not in (None, "-")
        self._fh: IO[str] = open(path, "w", encoding="utf-8") if self._own else sys.stdout  # type: ignore[arg-type]  # noqa: SIM115

    def write(self, obj: dict[str, Any]) -> None:
        self._fh.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")

    def close(self) -> None:
        if self._own:
            self._fh.close()
        else:
            self._fh.flush()

    def __enter__(self) -> JsonlWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def require_file(path: str) -> Path:
    p = Path(path)
    if path != "-" and not p.exists():
        err_console.print(f"error: {path}: no such file")
        raise SystemExit(EXIT_USAGE)
    return p
