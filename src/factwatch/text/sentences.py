"""Sentence splitting for Vietnamese, French and English (rule based, abbreviation aware)."""

from __future__ import annotations

import re

from factwatch.text.normalize import normalize_text

_ABBREV = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "u.s",
        "u.k",
        "mm",
        "m",
        "mme",
        "mlle",
        "no",
        "nos",
        "p",
        "pp",
        "fig",
        "vol",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "tp",
        "ts",
        "ths",
        "pgs",
        "gs",
        "ông",
        "bà",
        "tt",
    ]
)
# A sentence ends at . ! ? … (optionally followed by quotes/brackets) then whitespace and an
# upper-case letter, digit, quote or bracket; newlines always end a sentence.
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'»”’)\]]*\s+(?=[\"'«“‘(\[]?[A-ZÀ-ỸĐ0-9])")


def split_sentences(text: str, lang: str | None = None) -> list[str]:
    """Split ``text`` into sentences; ``lang`` is accepted for future language-specific rules."""
    out: list[str] = []
    for para in normalize_text(text).split("\n"):
        para = para.strip()
        if not para:
            continue
        start = 0
        for m in _BOUNDARY.finditer(para):
            chunk = para[start : m.start()].strip()
            last = chunk.rsplit(" ", 1)[-1].rstrip(".").lower()
            if last in _ABBREV or (len(last) == 1 and last.isalpha()):
                continue  # "Dr. Smith", "J. Doe": not a boundary
            if chunk:
                out.append(chunk)
            start = m.end()
        tail = para[start:].strip()
        if tail:
            out.append(tail)
    return out
