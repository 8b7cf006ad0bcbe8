"""Text understanding: Unicode normalisation, language, sentences, tokens."""

from factwatch.text.lang import detect_language
from factwatch.text.normalize import fold_diacritics, normalize_text
from factwatch.text.sentences import split_sentences
from factwatch.text.tokens import tokenize

__all__ = ["detect_language", "fold_diacritics", "normalize_text", "split_sentences", "tokenize"]
