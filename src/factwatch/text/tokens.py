"""Tokens for lexical ranking.

Words are NFC, case-folded and accent-folded (so accent-less Vietnamese matches), split on
non-word characters.  Vietnamese words are single syllables, so for Vietnamese text the
syllable bigrams are added as tokens ("hà_nội"), which is what makes BM25 work on it.
Stop words of the three first-class languages are dropped.
"""

from __future__ import annotations

import re

from factwatch.text.normalize import fold

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_URL = re.compile(r"https?://\S+|www\.\S+")

_STOPWORDS_TEXT = (
    # English
    "a an the and or but if of to in on at by for with from as is are was were be been being "
    "it its this that these those he she they we you i me my our your their his her them us "
    "do does did done have has had not no so than then there here what which who whom whose "
    "when where why how all any some just about into over after before up down out very can "
    "will would should could may might must also more most such only own same too rt via amp "
    # French
    "le la les un une des du de d l et ou mais donc or ni car ce cet cette ces il elle ils elles "
    "on nous vous je tu se sa son ses leur leurs qui que qu quoi dont où au aux en dans par pour "
    "sur avec sans sous est sont été être avoir a ont pas ne plus y c s n j m t "
    # Vietnamese (folded)
    "va la cua co cac nhung mot nay do thi voi duoc cho trong khi da se dang rang ma cung "
    "nhu tu ra vao len den tai ve nen vi"
)
STOPWORDS = frozenset(fold(w) for w in _STOPWORDS_TEXT.split())


def words(text: str) -> list[str]:
    """Folded word tokens, stop words kept (used by analysers that need all words)."""
    return _WORD.findall(fold(_URL.sub(" ", text)))


def tokenize(text: str, lang: str | None = None) -> list[str]:
    """Tokens for BM25: folded words without stop words, plus syllable bigrams for Vietnamese."""
    ws = words(text)
    toks = [w for w in ws if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]
    if lang == "vi":
        toks.extend(f"{a}_{b}" for a, b in zip(ws, ws[1:], strict=False))
    return toks
