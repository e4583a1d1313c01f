"""The rows of a users' table as Units, with their languages."""

from __future__ import annotations

from collections import Counter
from typing import Sequence

import pandas as pd

from textmine.core.languages import detect_lang
from textmine.core.types import Unit


def detect_langs(texts: Sequence[str]) -> list[str]:
    """Language per text; texts too short to tell get the table's most common language."""
    langs = [detect_lang(text) for text in texts]
    common = Counter(lang for lang in langs if lang).most_common(1)
    fallback = common[0][0] if common else "en"
    return [lang or fallback for lang in langs]


def table_units(frame: pd.DataFrame, text_column: str, id_column: str | None = None, lang_column: str | None = None,
                doc_id: str = "", doc_column: str | None = None) -> list[Unit]:
    """The rows of a table as Units: ids from ``id_column`` (else row numbers from 1), languages from
    ``lang_column`` (else detected per row), documents from ``doc_column`` (else ``doc_id``)."""
    texts = frame[text_column].fillna("").astype(str).tolist()
    langs = frame[lang_column].fillna("").astype(str).tolist() if lang_column else detect_langs(texts)
    ids = frame[id_column].astype(str).tolist() if id_column else [str(i + 1) for i in range(len(frame))]
    docs = frame[doc_column].astype(str).tolist() if doc_column else [doc_id] * len(frame)
    return [Unit(d, unit_id, text, None, (), lang) for d, unit_id, text, lang in zip(docs, ids, texts, langs)]
