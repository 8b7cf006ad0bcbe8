"""Unicode normalisation and diacritics folding.

Vietnamese arrives in NFC (precomposed) and NFD (combining marks) and often typed without any
accents; all three must meet.  ``normalize_text`` gives NFC with collapsed whitespace and no
control characters; ``fold_diacritics`` strips every combining mark and maps đ/Đ to d/D so that
"Hà Nội", "Ha\u0300 No\u0323i" and "Ha Noi" share one folded form.
"""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff]"
)
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_EXTRA_FOLD = str.maketrans(
    {
        "đ": "d",
        "Đ": "D",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "Œ": "OE",
        "Æ": "AE",
    }
)


def normalize_text(text: str) -> str:
    """NFC, no control or zero-width characters, single spaces, at most one blank line."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()


def fold_diacritics(text: str) -> str:
    """Remove accents and tone marks (Vietnamese, French, ...): "Đà Nẵng" -> "Da Nang"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).translate(_EXTRA_FOLD)


def fold(text: str) -> str:
    """The matching key: normalised, case-folded and accent-free."""
    return fold_diacritics(normalize_text(text)).casefold()
