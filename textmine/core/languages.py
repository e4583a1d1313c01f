"""Language of a text as an ISO 639-1 code (zh, ja, ko, en, de, fr …).

Scripts decide CJK languages (Han without kana is Chinese); py3langid, limited to
the languages of European policy documents, decides among Latin-script ones.
Texts too short to tell return "" so that callers can fall back to the
document's language.
"""

from __future__ import annotations

import re
from functools import lru_cache

LATIN_LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pt", "sv", "fi", "da", "pl", "cs", "et", "lt", "lv")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]{2,}")
_SAMPLE = 3000
MIN_LATIN_LETTERS = 20


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(list(LATIN_LANGUAGES))
    return identifier


def detect_lang(text: str, min_latin_letters: int = MIN_LATIN_LETTERS) -> str:
    """Return the ISO 639-1 code of ``text``'s language, or "" when it is too short to tell."""
    sample = text[:_SAMPLE]
    han = len(_HAN.findall(sample))
    kana = len(_KANA.findall(sample))
    hangul = len(_HANGUL.findall(sample))
    latin_words = _LATIN_WORD.findall(sample)
    if hangul and hangul >= han + kana:
        return "ko"
    if kana and kana * 10 >= han:
        return "ja"
    if han and han >= len(latin_words):
        return "zh"
    if sum(len(word) for word in latin_words) < min_latin_letters:
        return "zh" if han else ""
    return _identifier().classify(sample)[0]


def uses_characters(lang: str) -> bool:
    """True for languages whose text is measured in characters rather than words."""
    return lang in ("zh", "ja")
