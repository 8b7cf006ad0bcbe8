"""Language identification restricted to the languages factwatch knows, with a fallback.

py3langid (offline, bundled model) over NFC text.  It is restricted to a set of languages so that
short posts are not labelled with rare look-alikes; anything else is reported as detected by the
unrestricted model when that is confident.
"""

from __future__ import annotations

import re
from functools import lru_cache

from factwatch.text.normalize import fold_diacritics, normalize_text

FIRST_CLASS = ("vi", "fr", "en")
_KNOWN = ("vi", "fr", "en", "es", "de", "it", "pt", "nl", "id", "zh", "ja", "ko", "ru", "th", "ar")
_URL = re.compile(r"https?://\S+|www\.\S+|@\w+|#", re.UNICODE)
# Vietnamese written without diacritics: frequent syllables that are rare in fr/en.
_VI_ASCII = frozenset(
    "cua va la khong nhung duoc mot nguoi cac trong da cho voi nay co tai ve de thi tu ra "
    "nhieu nam viet nha nuoc benh vien tin bi ong ba chung toi ban hoc sinh tre em "
    "theo sau khi neu vi nen van dang se can phai moi rat hon".split()
)


@lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(_KNOWN))
    return ident


def detect_language(text: str, default: str = "und") -> str:
    """ISO 639-1 code of ``text`` ("vi", "fr", "en", ...), or ``default`` when unknown."""
    clean = _URL.sub(" ", normalize_text(text or ""))
    if sum(ch.isalpha() for ch in clean) < 3:
        return default
    words = re.findall(r"\w+", fold_diacritics(clean).lower())
    if words and not any(ord(c) > 127 for c in clean):
        vi_hits = sum(w in _VI_ASCII for w in words)
        if vi_hits >= 2 and vi_hits / len(words) >= 0.2:
            return "vi"
    lang, prob = _identifier().classify(clean)
    return str(lang) if prob >= 0.3 else default
