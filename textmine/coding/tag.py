"""Lexicon tagging: find terms in units (Aho-Corasick), then record them as Codes.

Matching never depends on word segmentation. Texts and terms go through the
same ``matching_view`` (Simplified Chinese, half-width, lower case, spaces
between CJK characters removed), then automata find every occurrence of every
term form:

* terms containing Chinese characters match anywhere;
* other terms match whole words; plain English terms also match regular
  inflections (cluster -> clusters, clustering, clustered; centre of
  excellence -> centres of excellence), and a trailing ``*`` matches any word
  ending (collaborat* -> collaboration).

Then, per scheme: a code's exclusion phrases remove that code's matches inside
them, and of the remaining matches that overlap, the leftmost wins, and the
longest among those starting at the same place (so 技术创新 beats 创新). The
same span may carry several codes. Many units are matched in one pass (joined
by NUL) because per-call overhead would otherwise dominate on short units.
"""

from __future__ import annotations

from itertools import chain
from typing import AbstractSet, Iterable, Iterator, NamedTuple, Sequence

from functools import lru_cache

import ahocorasick_rs
import numpy as np

from textmine.coding import cache
from textmine.coding.lexicon import ANY_LANG, Lexicon, terms_record
from textmine.core.languages import inflects
from textmine.core.normalize import HAN_CHAR, matching_text, matching_view
from textmine.core.types import Code, Unit

SEPARATOR = "\x00"
BATCH_CHARS = 50_000  # measured fastest: larger batches lose cache locality


class Pattern(NamedTuple):
    """A term form's origin: which code (or policy cue) of which scheme, and how it matches. A NamedTuple: a matcher
    makes thousands, at every start."""

    scheme: str
    code: str
    term: str  # as written in the lexicon
    kind: str  # "anywhere", "word" or "prefix"
    exclude: bool = False
    policy_only: bool = False  # counts only in a unit where a policy cue of its lexicon matches
    cue: bool = False  # a policy cue: evidence for policy_only terms, never a code


class Match(NamedTuple):
    """A term found in a text: [start, end) offsets into that text."""

    start: int
    end: int
    pattern: Pattern


def inflections(word: str) -> set[str]:
    """Regular English forms of ``word``: plural, -ing, -ed (cluster -> clusters, clustering, clustered).

    Over-generation (e.g. a doubled consonant where English has none) is
    harmless: forms that do not exist never match.
    """
    stem, hyphen, last = word.rpartition("-")
    if hyphen:
        return {stem + hyphen + form for form in inflections(last)}
    forms = {word}
    if len(word) < 3 or not word.isalpha():
        return forms
    if word.endswith("y") and word[-2] not in "aeiou":
        forms |= {word[:-1] + "ies", word[:-1] + "ied", word + "ing"}
    elif word.endswith("e"):
        forms |= {word + "s", word + "d", word[:-1] + "ing"}
    elif word.endswith(("s", "x", "z", "ch", "sh")):
        forms |= {word + "es", word + "ed", word + "ing"}
    else:
        forms |= {word + "s", word + "ed", word + "ing"}
        if word[-1] not in "aeiouwxy" and word[-2] in "aeiou" and word[-3] not in "aeiou":
            forms |= {word + word[-1] + "ing", word + word[-1] + "ed"}
    return forms


def term_forms(term: str, lang: str) -> list[tuple[str, str]]:
    """(normalised key, kind) pairs under which ``term`` is searched."""
    return list(_term_forms(term, lang))


@lru_cache(maxsize=None)  # every unit language's matcher looks up the terms of every lexicon language
def _term_forms(term: str, lang: str) -> tuple[tuple[str, str], ...]:
    if term.endswith("*"):
        return ((matching_text(term[:-1]), "prefix"),)
    key = matching_text(term)
    if HAN_CHAR.search(term):
        return ((key, "anywhere"),)
    if not inflects(lang):
        return ((key, "word"),)
    words = key.split(" ")
    heads = {len(words) - 1}
    if "of" in words[1:]:
        heads.add(words.index("of", 1) - 1)  # centre of excellence -> centres of excellence
    forms = set()
    for head in heads:
        forms |= {" ".join(words[:head] + [form] + words[head + 1 :]) for form in inflections(words[head])}
    return tuple((form, "word") for form in sorted(forms))


def _is_word_char(char: str) -> bool:
    """Letters and digits of space-separated scripts (a Latin term next to Chinese characters is a whole word)."""
    return char.isalnum() and char < "\u2e80"


class _Automaton:
    """All occurrences (overlapping) of some keys, via ahocorasick_rs: a DFA (measured 6x faster than pyahocorasick
    here with a few hundred CJK terms) that gives character offsets (its conversion from UTF-8 byte offsets, in Rust,
    is faster than ours in numpy)."""

    def __init__(self, keys: dict[str, list[int]]):
        self.keys = [key for key, ids in keys.items() if ids]
        # the pattern ids of all keys in one array: key k's are _flat[_offsets[k] : _offsets[k] + _counts[k]]
        self._counts = np.array([len(keys[key]) for key in self.keys], dtype=np.int64)
        self._offsets = np.cumsum(self._counts) - self._counts
        self._flat = np.fromiter(chain.from_iterable(keys[key] for key in self.keys), dtype=np.int64, count=int(self._counts.sum()))
        self.engine = None
        if self.keys:
            self.engine = ahocorasick_rs.AhoCorasick(self.keys, implementation=ahocorasick_rs.Implementation.DFA)

    def find(self, text: str) -> np.ndarray:
        """Rows of (start, end, pattern id) in character offsets, one per pattern of each found key."""
        found = self.engine.find_matches_as_indexes(text, overlapping=True) if self.engine else []
        if not found:
            return np.empty((0, 3), dtype=np.int64)
        flat = np.fromiter(chain.from_iterable(found), dtype=np.int64, count=3 * len(found))  # 2x np.array(found)
        keys, starts, ends = flat.reshape(-1, 3).T
        counts = self._counts[keys]
        if (counts == 1).all():
            return np.column_stack((starts, ends, self._flat[self._offsets[keys]]))
        first = np.repeat(self._offsets[keys], counts)
        within = np.arange(len(first)) - np.repeat(np.cumsum(counts) - counts, counts)  # 0, 1 … for each key's ids
        return np.column_stack((np.repeat(starts, counts), np.repeat(ends, counts), self._flat[first + within]))


CJK_LANGS = ("zh", "ja", "ko")


def lexicon_languages(lexicons: Sequence[Lexicon]) -> set[str]:
    """The languages the lexicons have terms (or policy cues) in."""
    return {lang for lexicon in lexicons for table in (
        lexicon.policy_cues, *(t for category in lexicon.categories for t in (category.terms, category.exclude, category.policy_only))
    ) for lang in table}


def script_languages(lexicons: Sequence[Lexicon], lang: str) -> list[str]:
    """The lexicon languages whose terms are matched in a unit of language ``lang``, the ones that win a collision first:
    the unit's own language (and language-neutral terms), English, then the others."""
    found = lexicon_languages(lexicons)
    first = [lang, ANY_LANG, "en"]
    return [l for l in dict.fromkeys(first) if l in found] + sorted(found - set(first))


def applies(term: str, term_lang: str, lang: str, own: AbstractSet[str] = frozenset()) -> bool:
    """Whether a term of language ``term_lang`` is looked for in a unit of language ``lang`` (``own``: the languages
    the lexicons have terms in). Always in its own language. Chinese terms on the Han text of any unit. Terms of a
    Latin-script language on the Latin text of a Chinese (CJK) unit, or of a unit whose language has no terms of
    its own (Dutch, Estonian …); not in an English, German or French unit, whose own terms are used (German and
    French stems such as innov*, priorit*, export* would match English words: measured worse on the gold)."""
    if term_lang in (lang, ANY_LANG):
        return True
    han = bool(HAN_CHAR.search(term))
    if term_lang in CJK_LANGS:
        return han
    return not han and (lang in CJK_LANGS or lang not in own)


class Matcher:
    """All terms of some lexicons for a unit language, compiled into one automaton per scheme.

    Every lexicon language is matched on the script it applies to (see ``applies``); where the
    same string is a term in two languages, the unit's language decides (then English)."""

    def __init__(self, lexicons: Sequence[Lexicon], lang: str):
        self.lang = lang
        self.patterns, keys = _compiled(lexicons, lang)
        # One automaton for every group of keys (the terms of each scheme, the cues of each), so that the text is read
        # once; its matches are then resolved group by group, as if each group had its own automaton.
        merged: dict[str, list[int]] = {}
        group_of = [0] * (len(self.patterns) or 1)
        for group, scheme_keys in enumerate(keys.values()):
            for key, ids in scheme_keys.items():
                merged.setdefault(key, []).extend(ids)
                for i in ids:
                    group_of[i] = group
        self._group = np.array(group_of, dtype=np.int64)
        self.automaton = _Automaton(merged)
        # per group: the scheme whose policy cues it holds, None for terms
        self.cue_schemes = [name.split("\x00")[0] if name.endswith("\x00cues") else None for name in keys]
        self.empty = not self.automaton.keys
        self.has_cues = any(p.cue for p in self.patterns)
        codes: dict[tuple[str, str], int] = {}
        self._code = np.array([codes.setdefault((p.scheme, p.code), len(codes)) for p in self.patterns] or [0])
        self._exclude = np.array([p.exclude for p in self.patterns] or [False])
        self._bounded = np.array([p.kind != "anywhere" for p in self.patterns] or [False])

    def find(self, text: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Resolved rows of (start, end, pattern index) of the terms in a normalised text, sorted; and, per scheme,
        where its policy cues start (cues are never codes: only whether a unit has one counts, see in_policy_context)."""
        found: list[np.ndarray] = []
        cues: dict[str, np.ndarray] = {}
        rows = self.automaton.find(text)
        if not len(rows):
            return rows, cues
        rows = self._check_words(rows, text)
        groups = self._group[rows[:, 2]]
        for group, cue_scheme in enumerate(self.cue_schemes):
            part = rows[groups == group]
            if not len(part):
                continue
            if cue_scheme is not None:
                cues[cue_scheme] = part[:, 0]
                continue
            found.append(_leftmost_longest(self._without_excluded(part)))
        if not found:
            return np.empty((0, 3), dtype=np.int64), cues
        rows = np.concatenate(found)
        return rows[np.lexsort((rows[:, 2], rows[:, 1], rows[:, 0]))], cues

    def _check_words(self, rows: np.ndarray, text: str) -> np.ndarray:
        """Keep bounded forms only at word boundaries; extend prefix forms to the end of their word."""
        bounded = self._bounded[rows[:, 2]]
        if not bounded.any():
            return rows
        keep = np.ones(len(rows), dtype=bool)
        n = len(text)
        for row in np.flatnonzero(bounded).tolist():
            start, end, pattern_id = rows[row].tolist()
            if start > 0 and _is_word_char(text[start - 1]):
                keep[row] = False
            elif self.patterns[pattern_id].kind == "prefix":
                while end < n and _is_word_char(text[end]):
                    end += 1
                rows[row, 1] = end
            elif end < n and _is_word_char(text[end]):
                keep[row] = False
        return rows[keep]

    def _without_excluded(self, rows: np.ndarray) -> np.ndarray:
        """Drop exclusion phrases, and the matches lying inside an exclusion phrase of their own code."""
        exclude = self._exclude[rows[:, 2]]
        if not exclude.any():
            return rows
        hits, ex = rows[~exclude], rows[exclude]
        if not len(hits):
            return hits
        hit_code, ex_code = self._code[hits[:, 2]], self._code[ex[:, 2]]
        big = int(max(rows[:, 1].max(), 1)) + 1
        order = np.lexsort((ex[:, 0], ex_code))
        ex, ex_code = ex[order], ex_code[order]
        ex_keys = ex_code * big + ex[:, 0]
        reach = np.maximum.accumulate(ex_code * big + ex[:, 1])  # furthest exclusion end so far, within a code
        at = np.searchsorted(ex_keys, hit_code * big + hits[:, 0], side="right") - 1
        safe = np.maximum(at, 0)
        inside = (at >= 0) & (ex_code[safe] == hit_code) & (reach[safe] - hit_code * big >= hits[:, 1])
        return hits[~inside]


def _compiled(lexicons: Sequence[Lexicon], lang: str) -> tuple[list[Pattern], dict[str, dict[str, list[int]]]]:
    """``_compile``, from the cache when these lexicons were compiled for ``lang`` before (most of a start's time)."""
    key = cache.entry_key("matcher", lang, [[lexicon.scheme, terms_record(lexicon.policy_cues),
                                              [[c.code, terms_record(c.terms), terms_record(c.exclude), terms_record(c.policy_only)]
                                               for c in lexicon.categories]] for lexicon in lexicons])
    entry = cache.load(key)
    if entry is not None:
        try:
            return [Pattern(*row) for row in entry["patterns"]], {group: dict(keys) for group, keys in entry["keys"]}
        except (KeyError, TypeError, ValueError):
            pass  # an entry not of this format: compiled again, and replaced
    patterns, keys = _compile(lexicons, lang)
    cache.store(key, {"patterns": patterns, "keys": [[group, list(found.items())] for group, found in keys.items()]})
    return patterns, keys


def _compile(lexicons: Sequence[Lexicon], lang: str) -> tuple[list[Pattern], dict[str, dict[str, list[int]]]]:
    """The patterns of a matcher for ``lang``, and for each group (the terms of a scheme, the cues of a scheme:
    ``scheme\\x00cues``) each normalised key with the ids of its patterns."""
    patterns: list[Pattern] = []
    keys: dict[str, dict[str, list[int]]] = {}  # scheme -> key -> pattern ids
    owner: dict[tuple[str, str], str] = {}  # (scheme, key) -> the language whose term it is
    own = lexicon_languages(lexicons)
    for term_lang in script_languages(lexicons, lang):
        for lexicon in lexicons:
            for category in lexicon.categories:
                tables = ((False, False, category.terms), (True, False, category.exclude), (False, True, category.policy_only))
                for exclude, policy_only, table in tables:
                    for term in table.get(term_lang, ()):
                        if not applies(term, term_lang, lang, own):
                            continue
                        form_lang = lang if term_lang == ANY_LANG else term_lang
                        for key, kind in term_forms(term, form_lang):
                            if owner.setdefault((lexicon.scheme, key), form_lang) != form_lang:
                                continue
                            ids = keys.setdefault(lexicon.scheme, {}).setdefault(key, [])
                            same = [patterns[i] for i in ids if patterns[i].code == category.code]
                            if key.strip() and not any(p.exclude == exclude for p in same):
                                ids.append(len(patterns))
                                patterns.append(Pattern(lexicon.scheme, category.code, term, kind, exclude, policy_only))
            for term in lexicon.policy_cues.get(term_lang, ()):
                if not applies(term, term_lang, lang, own):
                    continue
                for key, kind in term_forms(term, lang if term_lang == ANY_LANG else term_lang):  # own automaton: cues never compete with terms
                    ids = keys.setdefault(f"{lexicon.scheme}\x00cues", {}).setdefault(key, [])
                    if key.strip() and not ids:
                        ids.append(len(patterns))
                        patterns.append(Pattern(lexicon.scheme, "", term, kind, cue=True))
    return patterns, keys


def _leftmost_longest(rows: np.ndarray) -> np.ndarray:
    """Resolve overlaps: the leftmost match wins, the longest of those starting together; equal spans all stay."""
    if not len(rows):
        return rows
    rows = rows[np.lexsort((rows[:, 2], rows[:, 0] - rows[:, 1], rows[:, 0]))]
    kept: list[int] = []
    last_start, last_end = -1, -1
    for index, (start, end) in enumerate(rows[:, :2].tolist()):
        if start >= last_end or (start == last_start and end == last_end):
            kept.append(index)
            last_start, last_end = start, end
    return rows[kept]


class Tagger:
    """Tags texts or units with the codes of one or more lexicons."""

    def __init__(self, lexicons: Sequence[Lexicon], default_lang: str = "en"):
        self.lexicons = list(lexicons)
        self.default_lang = default_lang
        self._matchers: dict[str, Matcher] = {}

    def matcher(self, lang: str) -> Matcher:
        lang = lang or self.default_lang
        if lang not in self._own_terms():
            lang = ""  # every language without terms of its own is matched alike: one matcher for them all
        if lang not in self._matchers:
            self._matchers[lang] = Matcher(self.lexicons, lang)
        return self._matchers[lang]

    def _own_terms(self) -> set[str]:
        """The languages the lexicons have terms in."""
        if not hasattr(self, "_langs"):
            self._langs = lexicon_languages(self.lexicons)
        return self._langs

    def match_texts(self, texts: Sequence[str], langs: Sequence[str]) -> list[list[Match]]:
        """Resolved matches for each text, offsets into that text."""
        return [[Match(*found) for found in row] for row in self._find_all(texts, langs)]

    def _find_all(self, texts: Sequence[str], langs: Sequence[str]) -> list[list[tuple[int, int, Pattern]]]:
        results: list[list[tuple[int, int, Pattern]]] = [[] for _ in texts]
        by_lang: dict[str, list[int]] = {}
        for index, lang in enumerate(langs):
            by_lang.setdefault(lang or self.default_lang, []).append(index)
        for lang, indexes in by_lang.items():
            matcher = self.matcher(lang)
            if matcher.empty:
                continue
            cued: dict[int, set[str]] = {}  # text index -> schemes with a policy cue in it
            for batch in _batches(indexes, texts):
                self._find_batch(matcher, [texts[i] for i in batch], batch, results, cued)
            if matcher.has_cues:
                for i in indexes:
                    if results[i]:
                        results[i] = in_policy_context(results[i], cued.get(i, set()))
        return results

    def _find_batch(self, matcher: Matcher, texts: list[str], indexes: list[int], results, cued) -> None:
        view = matching_view(SEPARATOR.join(texts))
        found, cues = matcher.find(view.text)
        if not len(found):
            return
        text_starts = np.cumsum([0] + [len(text) + 1 for text in texts[:-1]])
        for scheme, cue_starts in cues.items():
            has_cue = np.zeros(len(texts), dtype=bool)  # (cues are many: most units have several)
            has_cue[np.searchsorted(text_starts, view.offsets[cue_starts], side="right") - 1] = True
            for k in np.flatnonzero(has_cue).tolist():
                cued.setdefault(indexes[k], set()).add(scheme)
        starts = view.offsets[found[:, 0]]
        ends = view.offsets[found[:, 1] - 1] + 1
        which = np.searchsorted(text_starts, starts, side="right") - 1
        local_starts = (starts - text_starts[which]).tolist()
        local_ends = (ends - text_starts[which]).tolist()
        patterns = matcher.patterns
        for k, start, end, pattern_id in zip(which.tolist(), local_starts, local_ends, found[:, 2].tolist()):
            results[indexes[k]].append((start, end, patterns[pattern_id]))

    def tag(self, units: Iterable[Unit]) -> Iterator[tuple[Unit, list[Code]]]:
        """Stream (unit, codes) pairs in input order, matching many units per pass."""
        buffer: list[Unit] = []
        size = 0
        for unit in units:
            buffer.append(unit)
            size += len(unit.text)
            if size >= BATCH_CHARS:
                yield from self._tag_buffer(buffer)
                buffer, size = [], 0
        if buffer:
            yield from self._tag_buffer(buffer)

    def _tag_buffer(self, units: list[Unit]) -> Iterator[tuple[Unit, list[Code]]]:
        found = self._find_all([u.text for u in units], [u.lang for u in units])
        for unit, unit_found in zip(units, found):
            doc_id, unit_id, page, breaks = unit.doc_id, unit.unit_id, unit.page, unit.page_breaks
            yield unit, [
                Code(doc_id, unit_id, p.scheme, p.code, "lexicon", p.term, start, end, unit.page_at(start) if breaks else page)
                for start, end, p in unit_found
            ]


def in_policy_context(found: list[tuple[int, int, Pattern]], cued: AbstractSet[str]) -> list[tuple[int, int, Pattern]]:
    """A unit's matches without the policy_only terms of lexicons (schemes) none of whose cues is ``cued`` in it."""
    return [m for m in found if not m[2].policy_only or m[2].scheme in cued]


def _batches(indexes: list[int], texts: Sequence[str]) -> Iterator[list[int]]:
    batch, size = [], 0
    for index in indexes:
        batch.append(index)
        size += len(texts[index]) + 1
        if size >= BATCH_CHARS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch
