"""Term discovery, to grow lexicons: word frequencies, keyness between groups, candidate terms per code with KWIC.

Words: Chinese and Japanese units are segmented with jieba's dictionary and
algorithm (rjieba, its Rust port, when installed — same segmentation, much
faster — else jieba, the reference), with every Chinese lexicon term added as
a user-dictionary word so that lexicon terms stay whole; Traditional
characters are read as Simplified first. Other languages use spaCy's rule
tokenizer, lower-cased. spaCy's stopword lists (Chinese, English, German,
French …) remove function words; numbers, punctuation and Chinese single
characters are dropped.

Keyness compares a target (a group; or the units carrying a code) with the
rest of the corpus: log-likelihood G² (Rayson & Garside 2000; p from the
chi-square distribution with 1 df, via scipy) and Hardie's Log Ratio, the
binary log of the ratio of relative frequencies (0.5 added to a zero count):
+1 means twice as frequent in the target.

A candidate term for code X is a word over-represented in the units carrying X
(G² significant at p < .05, Log Ratio > 0) that X's lexicon does not match yet,
shown with up to three KWIC examples from those units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd
from scipy import sparse, special, stats

from textmine.analysis.aggregate import MISSING
from textmine.analysis.coded import CodeInfo, open_coded
from textmine.analysis.grouping import choose_grouping
from textmine.inputs.tables import iter_chunks
from textmine.analysis.kwic import term_in_context
from textmine.core.errors import InputError
from textmine.core.languages import segmented
from textmine.coding.lexicon import Lexicon
from textmine.coding.tokenize import chinese_segmenter, spacy_words
from textmine.core.normalize import HAN_CHAR, matching_view, to_simplified

_LETTER = re.compile(r"[^\W\d_]")
_FULL_WIDTH = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)})
ALL = "(all)"
EXAMPLES = 3
KWIC_WIDTH = 30
ALPHA = 0.05


@lru_cache(maxsize=8)
def _stopwords(lang: str) -> frozenset:
    """spaCy's stopword list of ``lang``, read from its file (importing spacy.lang.<lang> can take seconds)."""
    import importlib.util

    spec = importlib.util.find_spec("spacy")
    folders = spec.submodule_search_locations if spec else None
    path = Path(folders[0]) / "lang" / lang / "stop_words.py" if folders else None
    if path is None or not path.is_file():
        return frozenset()
    module_spec = importlib.util.spec_from_file_location(f"_textmine_stop_words_{lang}", path)
    if module_spec is None or module_spec.loader is None:
        return frozenset()
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return frozenset(word.lower() for word in module.STOP_WORDS)


def lexicon_words(lexicons: Sequence[Lexicon]) -> list[str]:
    """Chinese terms of the lexicons (Simplified), the user-dictionary words of segmentation."""
    words = []
    for lexicon in lexicons:
        for category in lexicon.categories:
            for terms in category.terms.values():
                words += [to_simplified(t) for t in terms if HAN_CHAR.search(t)]
    return words


class Tokenizer:
    """Words of units in any language: see the module docstring."""

    def __init__(self, lexicons: Sequence[Lexicon] = (), engine: str = "auto", ngrams: int = 1):
        self.segment = chinese_segmenter(lexicon_words(lexicons), engine)
        self.ngrams = ngrams

    def tokens(self, text: str, lang: str) -> tuple[list[str], int]:
        """(content words, and bigrams when ngrams=2; number of word tokens including stopwords)."""
        if segmented(lang) or (not lang and HAN_CHAR.search(text or "")):
            words = self.segment(to_simplified(text).translate(_FULL_WIDTH).lower())
            stop, minimum = _stopwords("zh"), 2
        else:
            words = spacy_words(text, lang)
            stop, minimum = _stopwords(lang or "en") | _stopwords("en"), 2
        words = [w.strip() for w in words if _is_word(w)]
        content = [w if len(w) >= minimum and w not in stop else None for w in words]
        kept = [w for w in content if w]
        if self.ngrams >= 2 and not segmented(lang):
            kept += [f"{a} {b}" for a, b in zip(content, content[1:]) if a and b]
        return kept, len(words)


@lru_cache(maxsize=200_000)
def _is_word(token: str) -> bool:
    """Whether a token has a letter (not only digits or punctuation); cached: tokens repeat."""
    return _LETTER.search(token) is not None


@dataclass
class Counts:
    """Term counts per group and per code, accumulated chunk by chunk (sparse; the vocabulary grows)."""

    groups: list = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    vocab: dict[str, int] = field(default_factory=dict)
    # None until the first chunk is added (then sparse matrices and arrays)
    by_group: Any = None  # groups x terms: occurrences
    by_code: Any = None  # codes x terms: occurrences in units carrying the code
    units_by_code: Any = None  # codes x terms: units carrying the code that contain the term
    units_all: Any = None  # terms: units containing the term
    group_tokens: Any = None
    code_tokens: Any = None
    code_units: Any = None
    n_units: int = 0

    def add(self, tokens: list[list[str]], sizes: Sequence[int], groups: Sequence, present: np.ndarray) -> None:
        """``present``: units x codes, True where the unit carries the code."""
        matrix = self._matrix(tokens)
        group_index = [self._group(g) for g in groups]
        membership = sparse.csr_matrix((np.ones(len(tokens)), (group_index, np.arange(len(tokens)))), shape=(len(self.groups), len(tokens)))
        carrying = sparse.csr_matrix(present.T.astype(np.float64))
        seen = (matrix > 0).astype(np.float64)
        self.by_group = _grow_add(self.by_group, membership @ matrix)
        self.by_code = _grow_add(self.by_code, carrying @ matrix)
        self.units_by_code = _grow_add(self.units_by_code, carrying @ seen)
        self.units_all = _pad(self.units_all, len(self.vocab)) + np.asarray(seen.sum(axis=0)).ravel()
        self.group_tokens = _pad(self.group_tokens, len(self.groups)) + membership @ np.asarray(sizes, dtype=np.float64)
        self.code_tokens = _pad(self.code_tokens, len(self.codes)) + carrying @ np.asarray(sizes, dtype=np.float64)
        self.code_units = _pad(self.code_units, len(self.codes)) + present.sum(axis=0)
        self.n_units += len(tokens)

    def _group(self, key) -> int:
        if key not in self._group_index:
            self._group_index[key] = len(self.groups)
            self.groups.append(key)
        return self._group_index[key]

    def __post_init__(self):
        self._group_index = {}

    def _matrix(self, tokens: list[list[str]]) -> sparse.csr_matrix:
        vocab = self.vocab
        indices, indptr = [], [0]
        for words in tokens:
            indices.extend(vocab.setdefault(w, len(vocab)) for w in words)
            indptr.append(len(indices))
        data = np.ones(len(indices), dtype=np.float64)
        matrix = sparse.csr_matrix((data, np.array(indices, dtype=np.int64), np.array(indptr)), shape=(len(tokens), len(vocab)))
        matrix.sum_duplicates()
        return matrix

    @property
    def terms(self) -> np.ndarray:
        words = np.empty(len(self.vocab), dtype=object)
        for word, index in self.vocab.items():
            words[index] = word
        return words


def _pad(array: np.ndarray | None, size: int) -> np.ndarray:
    if array is None:
        return np.zeros(size)
    return np.concatenate([array, np.zeros(size - len(array))]) if len(array) < size else array


def _grow_add(total: sparse.csr_matrix | None, part: sparse.csr_matrix) -> sparse.csr_matrix:
    part = sparse.csr_matrix(part)
    if total is None:
        return part
    total = sparse.csr_matrix(total)
    total.resize(part.shape)
    return total + part


def log_likelihood(a, b, c, d):
    """(G², p, Log Ratio) for frequencies a (target, size c) and b (reference, size d); arrays allowed."""
    a, b, c, d = (np.asarray(x, dtype=np.float64) for x in (a, b, c, d))
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2 * (special.xlogy(a, a / e1) + special.xlogy(b, b / e2))
        ratio = np.log2(((np.where(a == 0, 0.5, a)) / c) / ((np.where(b == 0, 0.5, b)) / d))
    g2 = np.nan_to_num(g2)
    return g2, stats.chi2.sf(g2, 1), ratio


@dataclass
class TermResults:
    frequencies: pd.DataFrame
    keyness: pd.DataFrame | None
    candidates: pd.DataFrame
    n_units: int
    engine: str
    notes: list[str] = field(default_factory=list)
    by: tuple[str, ...] = ()  # the grouping used (textmine.analysis.grouping)
    grouping: str = ""  # which rule chose it, as printed


def discover(path, lexicons: Sequence[Lexicon], by: Sequence[str] = (), top: int = 50, min_freq: int = 5,
             engine: str = "auto", ngrams: int = 1, chunksize: int = 20_000) -> TermResults:
    """Frequencies (overall and per group), keyness of each group against the rest, and candidate terms per code,
    from the coded table at ``path`` (coded_units.csv or a table coded by `tag`).

    ``by`` defaults to the rule of ``textmine.analysis.grouping`` (documents when the data has no country, region …)."""
    table = open_coded(path, lexicons=lexicons)
    grouping = choose_grouping(by, table.columns)
    by = list(grouping.by)
    table.require([*by, "text"])
    codes = list(table.codes)
    counts = _count(path, table.columns, codes, by, Tokenizer(lexicons, engine, ngrams), chunksize)
    candidates = candidate_terms(counts, codes, lexicons, top, min_freq)
    candidates = _with_examples(candidates, path, table.columns, codes, chunksize)
    frequencies = frequency_table(counts, by, top, min_freq)
    keyness = keyness_table(counts, by, top, min_freq) if by else None
    used = "rjieba" if _has_rjieba() and engine != "jieba" else "jieba"
    return TermResults(frequencies, keyness, candidates, counts.n_units, used, by=tuple(by), grouping=grouping.describe())


def _has_rjieba() -> bool:
    import importlib.util

    return importlib.util.find_spec("rjieba") is not None


def _count(path, columns, codes: Sequence[CodeInfo], by, tokenizer: Tokenizer, chunksize: int) -> Counts:
    counts = Counts(codes=[i.column for i in codes])
    wanted = [c for c in dict.fromkeys(["text", "lang", *by, *counts.codes]) if c in columns]
    for chunk in iter_chunks(path, wanted, chunksize, numeric=counts.codes):
        texts = chunk["text"].fillna("").astype(str).tolist()
        langs = chunk["lang"].fillna("").astype(str).tolist() if "lang" in chunk else [""] * len(texts)
        pairs = [tokenizer.tokens(t, l) for t, l in zip(texts, langs)]
        groups = list(zip(*(chunk[c].astype(object).fillna(MISSING).astype(str) for c in by))) if by else [(ALL,)] * len(texts)
        present = (chunk[counts.codes].to_numpy() > 0) if counts.codes else np.zeros((len(texts), 0), bool)
        counts.add([p[0] for p in pairs], [p[1] for p in pairs], groups, present)
    if counts.by_group is None:
        raise InputError(f"{path}: no units to count")
    return counts


def frequency_table(counts: Counts, by: Sequence[str], top: int, min_freq: int) -> pd.DataFrame:
    """The ``top`` most frequent terms of the corpus and of every group: freq, units (overall), per10k (of word tokens)."""
    terms = counts.terms
    totals = np.asarray(counts.by_group.sum(axis=0)).ravel()
    rows = [_top_rows((ALL,) * max(len(by), 1), terms, totals, counts.group_tokens.sum(), counts.units_all, top, min_freq)]
    if by:
        dense = counts.by_group.tocsr()
        for g, key in enumerate(counts.groups):
            freq = np.asarray(dense[g].todense()).ravel()
            rows.append(_top_rows(key, terms, freq, counts.group_tokens[g], None, top, min_freq))
    frame = pd.concat(rows, ignore_index=True)
    return frame.rename(columns={f"group{i}": c for i, c in enumerate(by)}) if by else frame.drop(columns=["group0"])


def _top_rows(key, terms, freq, tokens, units, top, min_freq) -> pd.DataFrame:
    order = np.argsort(-freq, kind="stable")
    order = order[freq[order] >= min_freq][:top]
    frame = pd.DataFrame({f"group{i}": [k] * len(order) for i, k in enumerate(key)})
    frame["term"] = terms[order]
    frame["freq"] = freq[order].astype(np.int64)
    frame["per10k"] = np.round(freq[order] * 10_000 / tokens, 3) if tokens else np.nan
    frame["units"] = units[order].astype(np.int64) if units is not None else pd.NA
    return frame


def keyness_table(counts: Counts, by: Sequence[str], top: int, min_freq: int) -> pd.DataFrame:
    """Per group, the ``top`` terms most over-represented against the rest of the corpus (G² and Log Ratio)."""
    terms = counts.terms
    matrix = counts.by_group.tocsr()
    totals = np.asarray(matrix.sum(axis=0)).ravel()
    all_tokens = counts.group_tokens.sum()
    parts = []
    for g, key in enumerate(counts.groups):
        a = np.asarray(matrix[g].todense()).ravel()
        c = counts.group_tokens[g]
        if c == 0 or c == all_tokens:
            continue
        frame = _key_rows(terms, a, totals - a, c, all_tokens - c, totals >= min_freq, top)
        for name, value in reversed(list(zip(by, key))):
            frame.insert(0, name, value)
        parts.append(frame)
    columns = [*by, "term", "freq", "freq_rest", "per10k", "per10k_rest", "log_likelihood", "p_value", "log_ratio"]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def _key_rows(terms, a, b, c, d, eligible, top) -> pd.DataFrame:
    keep = np.flatnonzero(eligible & (a * d > b * c))  # more frequent in the target: only those are tested
    a, b = a[keep], b[keep]
    g2, p, ratio = log_likelihood(a, b, c, d)
    keep, order = keep[p < ALPHA], np.flatnonzero(p < ALPHA)
    a, b, g2, p, ratio = a[order], b[order], g2[order], p[order], ratio[order]
    best = np.argsort(-g2, kind="stable")[:top]
    return pd.DataFrame({
        "term": terms[keep[best]], "freq": a[best].astype(np.int64), "freq_rest": b[best].astype(np.int64),
        "per10k": np.round(a[best] * 10_000 / c, 3), "per10k_rest": np.round(b[best] * 10_000 / d, 3),
        "log_likelihood": np.round(g2[best], 3), "p_value": p[best], "log_ratio": np.round(ratio[best], 3),
    })


def candidate_terms(counts: Counts, codes: Sequence[CodeInfo], lexicons: Sequence[Lexicon], top: int, min_freq: int) -> pd.DataFrame:
    """Per code, terms over-represented in its units that its lexicon does not match yet."""
    from textmine.coding.tag import Tagger

    terms = counts.terms
    by_code, units_by_code = counts.by_code.tocsr(), counts.units_by_code.tocsr()
    totals = np.asarray(counts.by_group.sum(axis=0)).ravel()
    all_tokens = counts.group_tokens.sum()
    tagger = Tagger(lexicons) if lexicons else None
    parts = []
    for k, info in enumerate(codes):
        c = counts.code_tokens[k]
        if c == 0 or c == all_tokens:
            continue
        a = np.asarray(by_code[k].todense()).ravel()
        frame = _key_rows(terms, a, totals - a, c, all_tokens - c, totals >= min_freq, top * 3)
        unmatched = np.array([not _matched(tagger, info, term) for term in frame["term"]], dtype=bool)
        frame = frame[unmatched].head(top)  # an array: an empty list would select no columns, not no rows
        frame.insert(0, "units_code", int(counts.code_units[k]))
        frame.insert(0, "units_with_term", [int(units_by_code[k, counts.vocab[t]]) for t in frame["term"]])
        frame.insert(0, "code", info.code)
        frame.insert(0, "scheme", info.scheme)
        parts.append(frame.rename(columns={"freq": "freq_code", "per10k": "per10k_code"}))
    columns = ["scheme", "code", "units_with_term", "units_code", "term", "freq_code", "freq_rest"]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def _matched(tagger, info: CodeInfo, term: str) -> bool:
    """Whether the code's lexicon already matches ``term`` (the term is, contains or inflects one of its terms)."""
    if tagger is None:
        return False
    lang = "zh" if HAN_CHAR.search(term) else "en"
    langs = [lang] if lang == "zh" else ["en", "de", "fr"]
    found = tagger.match_texts([term] * len(langs), langs)
    return any(m.pattern.scheme == info.scheme and m.pattern.code == info.code for row in found for m in row)


def _with_examples(candidates: pd.DataFrame, path, columns, codes: Sequence[CodeInfo], chunksize: int) -> pd.DataFrame:
    """Add example_1..3: KWIC lines (unit id: left [term] right) from units carrying the code."""
    examples: dict[tuple[str, str], list[str]] = {(c, t): [] for c, t in zip(candidates.get("code", []), candidates.get("term", []))}
    column_of = {info.code: info.column for info in codes}
    wanted = [c for c in ("unit_id", "doc_id", "text", *column_of.values()) if c in columns]
    if examples:
        for chunk in iter_chunks(path, wanted, chunksize, numeric=list(column_of.values())):
            _collect(chunk, examples, column_of)
            if all(len(v) >= EXAMPLES for v in examples.values()):
                break
    for n in range(EXAMPLES):
        candidates[f"example_{n + 1}"] = [
            examples[(c, t)][n] if len(examples[(c, t)]) > n else "" for c, t in zip(candidates["code"], candidates["term"])
        ]
    return candidates


def _collect(chunk: pd.DataFrame, examples: dict, column_of: dict) -> None:
    ids = chunk["unit_id"].astype(str) if "unit_id" in chunk else pd.Series(chunk.index.astype(str), index=chunk.index)
    open_terms: dict[str, list[str]] = {}
    for (code, term), found in examples.items():
        if len(found) < EXAMPLES:
            open_terms.setdefault(code, []).append(term)
    views: dict = {}  # a unit carrying several codes is normalised once
    for code, terms in open_terms.items():
        carrying = chunk[chunk[column_of[code]] > 0]
        for index, unit_id, text in zip(carrying.index, ids[carrying.index], carrying["text"].fillna("").astype(str)):
            rough = views.get(index) or views.setdefault(index, (to_simplified(text).lower(), None))
            wanted = [t for t in terms if len(examples[(code, t)]) < EXAMPLES and t.split()[0] in rough[0]]
            if not wanted:
                continue
            view = rough[1] or matching_view(text)
            views[index] = (rough[0], view)
            for term in wanted:
                line = term_in_context(text, view, term, KWIC_WIDTH)
                if line:
                    examples[(code, term)].append(f"{unit_id}: {line}")


def write_terms(results: TermResults, out, by: Sequence[str], fmt: str = "csv") -> dict[str, Path]:
    from textmine.core.export import write_table
    from textmine.core.names import file_part

    out = Path(out)
    files = {"terms_frequencies": write_table(results.frequencies, out / f"terms_frequencies.{fmt}", fmt),
             "terms_candidates": write_table(results.candidates, out / f"terms_candidates.{fmt}", fmt)}
    if results.keyness is not None:
        name = f"terms_keyness_by_{'_'.join(map(file_part, by))}"
        files[name] = write_table(results.keyness, out / f"{name}.{fmt}", fmt)
    return files
