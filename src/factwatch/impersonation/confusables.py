"""Confusable skeletons (Unicode TR39) for domain labels, handles and names.

Two keys are computed for a string:

``skeleton``
    every character that looks like a Latin letter or digit is mapped to it (TR39 confusables data
    from ``confusable-homoglyphs``, accents and tone marks stripped, Latin letters with hooks,
    strokes or small-capital forms reduced to their base letter by their Unicode name), lower case,
    and ``0``→``o``, ``1``→``l``.  Multi-letter tricks (``rn``→``m``, ``vv``→``w``, ``cl``→``d``,
    ...) are tried as alternative readings (``variants``).

``coarse``
    the skeleton with the ASCII pairs that typosquatters swap merged into one class each
    (``b/d``, ``c/e``, ``g/q``, ``i/l``, ``m/n/r``, ``u/v``, ``3/8``, ``6/9``).  It is the key the
    indexes hash on; a coarse match is always re-checked on the finer forms.

Both are a single ``str.translate`` plus a handful of ``str.replace`` calls, so they cost
microseconds.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NAME_LETTER = re.compile(
    r"^(?:LATIN|CYRILLIC|GREEK) (?:SMALL |CAPITAL )?LETTER (?:SMALL CAPITAL )?([A-Z])(?: |$)"
)
# Letters TR39 and the Unicode names do not reduce to one ASCII letter, written out by hand.
_EXTRA = {
    "æ": "ae",
    "œ": "oe",
    "ß": "ss",
    "ə": "a",
    "ŋ": "n",
    "ƿ": "p",
    "ɑ": "a",
    "ĸ": "k",
    "ʒ": "3",
    "ƻ": "2",
    "ƽ": "5",
    "ł": "l",
    "đ": "d",
    "ø": "o",
    "ı": "i",
    "ȷ": "j",
    "ь": "b",
    "ѵ": "v",
    "ԁ": "d",
    "ԍ": "g",
    "һ": "h",
    "і": "i",
    "ј": "j",
    "к": "k",
    "ӏ": "l",
    "м": "m",
    "ԛ": "q",
    "ѕ": "s",
    "т": "t",
    "ԝ": "w",
    "п": "n",
    "г": "r",
    "и": "u",
    "л": "n",
    "ш": "w",
    "ц": "u",
}
_ASCII_OK = set("abcdefghijklmnopqrstuvwxyz0123456789-._")
# The scripts whose letters can pass for Latin ones; other code points keep their identity.
_RANGES = [
    (0x00C0, 0x024F),
    (0x0250, 0x02AF),
    (0x0370, 0x03FF),
    (0x0400, 0x052F),
    (0x1D00, 0x1DBF),
    (0x1E00, 0x1EFF),
    (0x2C60, 0x2C7F),
    (0xA720, 0xA7FF),
    (0xFF00, 0xFF5E),
]


def _ascii_of(ch: str) -> str | None:
    """One ASCII letter/digit string a character reads as, or None."""
    low = ch.lower()
    if low in _ASCII_OK:
        return low
    if ch in _EXTRA:
        return _EXTRA[ch]
    if low in _EXTRA:
        return _EXTRA[low]
    nfkd = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in nfkd if not unicodedata.combining(c)).lower()
    if base and all(c in _ASCII_OK for c in base) and base != ch:
        return base
    m = _NAME_LETTER.match(unicodedata.name(ch, ""))
    if m and not unicodedata.name(ch, "").startswith(("GREEK", "CYRILLIC")):
        return m.group(1).lower()
    return None


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    """Code point -> ASCII for every character that reads as Latin letters or digits."""
    from confusable_homoglyphs import confusables

    table: dict[int, str] = {}
    for lo, hi in _RANGES:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            got = _ascii_of(ch)
            if got is not None and got != ch:
                table[cp] = got
    data = confusables.confusables_data
    for ch, glyphs in data.items():
        if len(ch) != 1 or ord(ch) in table or ch in _ASCII_OK:
            continue
        target = None
        for g in glyphs:
            c = g.get("c", "")
            if len(c) == 1 and c.lower() in _ASCII_OK and c.isalnum():
                target = c.lower()
                break
        if target is None:
            # one hop more: the confusable of a confusable (e.g. Cyrillic ka -> kra -> k)
            for g in glyphs:
                c = g.get("c", "")
                if len(c) == 1 and ord(c) in table:
                    target = table[ord(c)]
                    break
        if target is not None:
            table[ord(ch)] = target
    for ch, target in _EXTRA.items():
        table[ord(ch)] = target
        up = ch.upper()
        if len(up) == 1:
            table[ord(up)] = target
    for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        table[ord(c)] = c.lower()
    # zero-width and joiner characters vanish
    for cp in (0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF):
        table[cp] = ""
    return table


_DIGITS = str.maketrans({"0": "o", "1": "l"})
_COARSE = str.maketrans(
    {
        "d": "b",
        "e": "c",
        "q": "g",
        "i": "l",
        "r": "n",
        "m": "n",
        "v": "u",
        "3": "8",
        "9": "6",
        "5": "s",
    }
)
# Multi-letter look-alikes.  They are not folded into the keys (that would hide real typos such
# as 'baoquangnnh'); a query that contains one is looked up a second time with it contracted.
ALT_PAIRS = (
    ("rn", "m"),
    ("vv", "w"),
    ("nn", "m"),
    ("cl", "d"),
    ("dl", "d"),
    ("lc", "k"),
    ("lh", "h"),
    ("lb", "b"),
)


def to_ascii(text: str) -> str:
    """Each confusable character replaced by the ASCII it reads as; case folded."""
    return text.translate(_table()).lower()


def skeleton(text: str) -> str:
    """The TR39-style skeleton: what a reader sees, in lower-case ASCII where possible."""
    return text.translate(_table()).lower().translate(_DIGITS)


def coarse(text: str) -> str:
    """The skeleton with typosquatters' ASCII look-alike pairs merged: the hashing key."""
    return skeleton(text).translate(_COARSE)


def coarse_ascii(skel: str) -> str:
    """``coarse`` for a string that is already a skeleton (saves the translate)."""
    return skel.translate(_COARSE)


def variants(skel: str) -> list[str]:
    """The skeleton with each multi-letter look-alike it contains contracted (rn -> m, ...)."""
    out = []
    for a, b in ALT_PAIRS:
        if a in skel:
            out.append(skel.replace(a, b))
    return out


def is_cyrillic(ch: str) -> bool:
    return 0x0400 <= ord(ch) <= 0x052F


def scripts_of(text: str) -> set[str]:
    """First word of each character's Unicode name (LATIN, CYRILLIC, GREEK, ...), letters only."""
    out = set()
    for ch in text:
        if ch.isalpha():
            out.add(unicodedata.name(ch, "UNKNOWN").split(" ")[0])
    return out
