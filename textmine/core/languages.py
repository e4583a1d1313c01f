"""What textmine knows about each language (``LANGUAGES``), and the language of a text as an ISO 639-1 code.

The script most of the letters are written in comes first: a text with at least as
many CJK characters as Latin letters is CJK (Han without kana is Chinese), any other
text is Latin-script (never Chinese) and py3langid, limited to the Latin-script
languages of the table (those of European policy documents), decides among those.
Texts too short to tell return "" so that callers can fall back to the document's
language.

To add a language, add a row to ``LANGUAGES``: OCR, word segmentation, term
matching, per-10k sizes and language identification all read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple, Sequence

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1; zh-Hant: Traditional Chinese, for OCR
    name: str
    script: str  # Han, Japanese (Han and kana), Hangul or Latin
    ocr: str | None = None  # Tesseract traineddata; None: textmine does not pick it for OCR by itself
    tokenizer: str = "spacy"  # words by "jieba" segmentation, or by spaCy's rule tokenizer
    unit: str = "words"  # what per10k counts per 10,000 of: "characters" or "words"
    inflections: bool = False  # lexicon terms also match regular (English) inflections of their last word


LANGUAGES = {language.code: language for language in (
    Language("zh", "Chinese", "Han", "chi_sim", "jieba", "characters"),
    Language("zh-Hant", "Chinese (Traditional)", "Han", "chi_tra", "jieba", "characters"),
    Language("ja", "Japanese", "Japanese", "jpn", "jieba", "characters"),
    Language("ko", "Korean", "Hangul", "kor"),
    Language("en", "English", "Latin", "eng", inflections=True),
    Language("de", "German", "Latin", "deu"),
    Language("fr", "French", "Latin", "fra"),
    Language("es", "Spanish", "Latin", "spa"),
    Language("it", "Italian", "Latin", "ita"),
    Language("nl", "Dutch", "Latin", "nld"),
    Language("pt", "Portuguese", "Latin", "por"),
    *(Language(code, name, "Latin") for code, name in (
        ("sv", "Swedish"), ("fi", "Finnish"), ("da", "Danish"), ("pl", "Polish"), ("cs", "Czech"), ("et", "Estonian"),
        ("lt", "Lithuanian"), ("lv", "Latvian"))),
)}
LATIN_LANGUAGES = tuple(code for code, language in LANGUAGES.items() if language.script == "Latin")
OCR_LANGUAGES = {code: language.ocr for code, language in LANGUAGES.items() if language.ocr}
# runs of characters of a script: counted as what a text loses without them (one pass in C, no list of matches)
_KANA = re.compile(r"[\u3040-\u30ff]+")
_HANGUL = re.compile(r"[\uac00-\ud7af]+")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_CJK_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+")  # kana, Han, Hangul
_CJK_SCRIPT_CHAR = re.compile(_CJK_SCRIPT.pattern[:-1])
_KANA_OR_HANGUL = re.compile(r"[\u3040-\u30ff\uac00-\ud7af]")
_SAMPLE = 3000
MIN_LATIN_LETTERS = 20


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(list(LATIN_LANGUAGES))
    return identifier


class Scripts(NamedTuple):
    """How many characters of a text are in each script."""

    han: int
    kana: int
    hangul: int
    latin: int

    @property
    def cjk(self) -> int:
        return self.han + self.kana + self.hangul


def _count(runs: re.Pattern, text: str) -> int:
    return len(text) - len(runs.sub("", text))


def scripts(text: str) -> Scripts:
    """The characters of ``text`` in each script."""
    rest = _CJK_SCRIPT.sub("", text)
    cjk, latin = len(text) - len(rest), _count(_LATIN_LETTER, rest)
    if not cjk or not _KANA_OR_HANGUL.search(text):
        return Scripts(cjk, 0, 0, latin)
    kana, hangul = _count(_KANA, text), _count(_HANGUL, text)
    return Scripts(cjk - kana - hangul, kana, hangul, latin)


# scripts_of: the script of every character (the ranges of the patterns above)
_HAN, _KANA_CLASS, _HANGUL_CLASS, _LATIN = 1, 2, 3, 4
_RANGES = ((_HAN, 0x3400, 0x4DBF), (_HAN, 0x4E00, 0x9FFF), (_HAN, 0xF900, 0xFAFF), (_KANA_CLASS, 0x3040, 0x30FF),
           (_HANGUL_CLASS, 0xAC00, 0xD7AF), (_LATIN, 0x41, 0x5A), (_LATIN, 0x61, 0x7A), (_LATIN, 0xC0, 0x24F))


@lru_cache(maxsize=1)
def _script_table() -> np.ndarray:
    import numpy as np  # here: `textmine --help` reads this module without numpy

    table = np.zeros(0x110000, dtype=np.uint8)
    for script, low, high in _RANGES:
        table[low : high + 1] = script
    return table


def scripts_of(texts: Sequence[str]) -> list[Scripts]:
    """``scripts`` of each text, all counted in one pass (a segmented document has thousands of short units)."""
    if not texts:
        return []
    import numpy as np

    scripts = _script_table()[np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)]
    # the characters of text i in each script are counted at i * 5 + script
    slots = np.repeat(np.arange(0, 5 * len(texts), 5), np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)))
    slots += scripts
    counts = np.bincount(slots, minlength=5 * len(texts)).reshape(-1, 5)[:, 1:]
    return list(map(Scripts._make, counts.tolist()))


def detect_lang(text: str, min_latin_letters: int = MIN_LATIN_LETTERS, sample_chars: int = _SAMPLE) -> str:
    """Return the ISO 639-1 code of ``text``'s language, or "" when it is too short to tell."""
    sample = text[:sample_chars]
    return lang_of(sample, scripts(sample), min_latin_letters)


def lang_of(sample: str, counts: Scripts, min_latin_letters: int = MIN_LATIN_LETTERS) -> str:
    """``detect_lang`` of a sample whose script ``counts`` are known."""
    han, kana, hangul, latin = counts
    if (han or kana or hangul) and han + kana + hangul >= latin:  # the script of most letters
        if hangul and hangul >= han + kana:
            return "ko"
        if kana and kana * 10 >= han:
            return "ja"
        return "zh"
    if latin < min_latin_letters:
        return ""
    return _identifier().classify(_CJK_SCRIPT_CHAR.sub(" ", sample))[0]


def mostly_latin(text: str) -> bool:
    """More Latin letters than CJK characters (a text that is never labelled Chinese)."""
    counts = scripts(text[:_SAMPLE])
    return counts.latin > counts.cjk


MOSTLY_LATIN_SAMPLE = _SAMPLE  # the characters of a text ``mostly_latin`` looks at


def language(lang: str) -> Language | None:
    """The row of ``lang`` in LANGUAGES, or None for a language textmine has no row for."""
    return LANGUAGES.get(lang)


def uses_characters(lang: str) -> bool:
    """True for languages whose text is measured in characters rather than words."""
    known = LANGUAGES.get(lang)
    return known is not None and known.unit == "characters"


def segmented(lang: str) -> bool:
    """True for languages whose words come from jieba's segmentation rather than spaCy's tokenizer."""
    known = LANGUAGES.get(lang)
    return known is not None and known.tokenizer == "jieba"


def inflects(lang: str) -> bool:
    """True for languages whose lexicon terms also match regular inflections of their last word."""
    known = LANGUAGES.get(lang)
    return known is not None and known.inflections
