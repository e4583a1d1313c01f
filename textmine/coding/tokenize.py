"""Words of a text, for the classifiers' word features and for term discovery.

Chinese: jieba's dictionary and algorithm (rjieba, its Rust port, when installed
— same segmentation, much faster — else jieba, the reference), optionally with
user-dictionary words kept whole. Other languages: spaCy's rule tokenizer of a
blank pipeline (the multi-language one where spaCy has none for the language).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Iterable

from textmine.core.errors import InputError
from textmine.core.languages import segmented

ENGINES = ("auto", "rjieba", "jieba")
# spaCy's French tokenizer compiles its exception patterns for ~4 s on import: where speed matters
# (term discovery), French uses the multi-language tokenizer and splits elisions (l', d', qu' …) itself.
SLOW_TOKENIZERS = ("fr",)
_ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’](?=\w)", re.IGNORECASE)
_PUNCT = re.compile(r"^[\W_]+$")


def chinese_segmenter(user_words: Iterable[str] = (), engine: str = "auto") -> Callable[[str], list[str]]:
    """A function text -> words: rjieba when installed (or asked for), else jieba, both with ``user_words`` added."""
    words = sorted({w for w in user_words if w and " " not in w and "*" not in w})
    if engine in ("auto", "rjieba"):
        try:
            import rjieba
        except ImportError:
            if engine == "rjieba":
                raise InputError("rjieba is not installed: pip install rjieba (or use --engine jieba)") from None
        else:
            if not words:
                return rjieba.cut
            segmenter = rjieba.Jieba()
            for word in words:
                segmenter.add_word(word, None, None)
            return segmenter.cut
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for word in words:
        tokenizer.add_word(word)
    return tokenizer.lcut


@lru_cache(maxsize=1)
def default_segmenter() -> Callable[[str], list[str]]:
    """The Chinese segmenter without user words, built once."""
    return chinese_segmenter()


@lru_cache(maxsize=16)
def spacy_tokenizer(lang: str, fast: bool = False):
    """spaCy's blank tokenizer of ``lang`` (multi-language when spaCy has none); ``fast``: also for SLOW_TOKENIZERS."""
    import spacy

    try:
        return spacy.blank("xx" if fast and lang in SLOW_TOKENIZERS else lang).tokenizer
    except (ImportError, KeyError, OSError, ValueError):
        return spacy.blank("xx").tokenizer


def spacy_words(text: str, lang: str) -> list[str]:
    """Lower-cased tokens of ``text`` by the fast tokenizer of ``lang``, elisions split off."""
    words = [t.text.lower() for t in spacy_tokenizer(lang or "xx", fast=True)(text)]
    if lang in SLOW_TOKENIZERS:
        words = [_ELISION.sub("", w) for w in words]
    return words


def word_tokens(text: str, lang: str) -> list[str]:
    """Words of a normalised text: jieba's segmentation for Chinese and Japanese, spaCy's tokenizer otherwise;
    no punctuation."""
    if segmented(lang):
        words = default_segmenter()(text)
    else:
        from spacy.attrs import IDX, LENGTH

        spans = spacy_tokenizer(lang or "xx")(text).to_array([IDX, LENGTH]).tolist() if text else []
        words = [text[start : start + length] for start, length in spans]  # 15% faster than token.text
    return [w for w in words if w.strip() and not _PUNCT.match(w)]
