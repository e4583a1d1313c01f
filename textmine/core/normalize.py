"""Text normalisation: display text from broken lines, and a matching view of a text.

Two jobs, both str -> str:

* ``join_lines`` turns the lines of one paragraph into the text users see:
  no space between CJK characters, hyphenated English line ends rejoined.
* ``matching_view`` gives the text lexicon terms are matched against
  (Traditional -> Simplified, full-width -> half-width, lower case, spaces
  between CJK characters removed, whitespace runs folded to one space) together
  with, for every character of that view, its offset in the original text, so
  that every hit points into the text users see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

_CJK_RANGES = (
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x30FF),  # kana
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),  # full-width forms
    (0x20000, 0x3134F),
)
_CJK_CLASS = "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in _CJK_RANGES)
CJK_CHAR = re.compile(f"[{_CJK_CLASS}]")
HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")

_SPACES = np.array(
    [9, 10, 11, 12, 13, 32, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000],
    dtype=np.uint32,
)
_INVISIBLE = np.array([0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF], dtype=np.uint32)
_HYPHENATED_BREAK = re.compile(r"[-\u2010\ufffe][ \t]*\r?\n\s*(?=[^\W\d_])")
_LINE_END_HYPHENS = ("-", "\u2010", "\ufffe", "\x02", "\u00ad")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _traditional_chars() -> re.Pattern:
    """The Han characters that OpenCC's t2s changes on their own (found once, in one call)."""
    han = [chr(c) for lo, hi in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)) for c in range(lo, hi + 1)]
    converted = _t2s().convert("\n".join(han)).split("\n")
    changed = [a for a, b in zip(han, converted) if a != b]
    return re.compile("[" + "".join(changed) + "]")


def to_simplified(text: str) -> str:
    """Traditional -> Simplified Chinese (OpenCC t2s); text without Traditional characters is returned as is."""
    if not _traditional_chars().search(text):
        return text
    return _t2s().convert(text)


def is_cjk(char: str) -> bool:
    return bool(CJK_CHAR.match(char))


def join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph as a reader would (see ``append_line``)."""
    text = ""
    for line in lines:
        text = append_line(text, line)
    return text.rstrip("\ufffe\x02\u00ad")


def append_line(text: str, line: str) -> str:
    """Append one line to a paragraph's text.

    No space where either side of the line break is a CJK character (Chinese
    lines break anywhere: ``到`` + ``2027年``). A word hyphenated at a line end
    is rejoined: before a lower-case letter the hyphen goes (``innova-`` +
    ``tion``), before a capital or digit it stays (``Helsinki-`` + ``Uusimaa``).
    PDFium marks a line-end hyphen as ``\\x02`` or U+FFFE; a soft hyphen
    U+00AD always goes. Otherwise one space; CR/LF and spaces around are dropped.
    """
    line = line.strip()
    text = text.rstrip("\r\n")
    if not line:
        return text
    if not text:
        return line
    if text.endswith("\u00ad"):
        return text[:-1] + line
    if text.endswith(_LINE_END_HYPHENS) and len(text) > 1 and text[-2].isalpha():
        if line[0].islower():
            return text[:-1] + line
        if line[0].isupper() or line[0].isdigit():
            return text[:-1] + "-" + line
    if is_cjk(text[-1]) or is_cjk(line[0]):
        return text + line
    return text + " " + line


@dataclass(frozen=True)
class MatchingView:
    """The normalised text and, for each of its characters, the offset in the original."""

    text: str
    offsets: np.ndarray  # len(text) + 1 entries; the last is len(original)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the view back to the original text."""
        return int(self.offsets[start]), int(self.offsets[end - 1]) + 1


def matching_view(text: str) -> MatchingView:
    """Normalise ``text`` for matching, keeping a map back to original offsets."""
    converted = _same_length(text, to_simplified(text), _char_t2s)
    converted = _same_length(converted, converted.lower(), str.lower)
    codes = _codepoints(converted)
    classes = _char_classes(codes)  # before folding, so full-width punctuation counts as CJK
    _fold_width_inplace(codes)
    keep = (classes & _INVISIBLE_BIT) == 0
    _fold_spaces(codes, keep, classes)
    if "\n" in converted:  # (a hyphenated break is at a line end: most texts matched have none, found at once)
        for match in _HYPHENATED_BREAK.finditer(converted):
            if match.start() > 0 and converted[match.start() - 1].isalpha():
                keep[match.start() : match.end()] = False
    offsets = np.append(np.flatnonzero(keep), len(text)).astype(np.int64)
    return MatchingView(_from_codepoints(codes[keep]), offsets)


# texts that matching_view leaves as they are: lower-case printable ASCII words between single spaces, or Han
# characters only (Simplified ones: checked apart)
_UNCHANGED = re.compile(r"[\x21-\x40\x5b-\x7e]+(?: [\x21-\x40\x5b-\x7e]+)*|[\u3400-\u4dbf\u4e00-\u9fff]+")


def matching_text(text: str) -> str:
    """``matching_view(text).text``, at once for the texts it leaves unchanged (lexicon terms, thousands per start)."""
    if _UNCHANGED.fullmatch(text) and not _traditional_chars().search(text):
        return text
    return matching_view(text).text


def _same_length(original: str, converted: str, per_char) -> str:
    """Keep a conversion only where it maps characters one to one."""
    if len(converted) == len(original):
        return converted
    out = []
    for char in original:
        mapped = per_char(char)
        out.append(mapped if len(mapped) == 1 else char)
    return "".join(out)


def _char_t2s(char: str) -> str:
    return to_simplified(char)


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).copy()


def _from_codepoints(codes: np.ndarray) -> str:
    return codes.tobytes().decode("utf-32-le")


def _fold_width_inplace(codes: np.ndarray) -> None:
    """Full-width ASCII forms -> ASCII (one to one); the ideographic space -> a space;
    typographic apostrophes (’ ‘) -> ' so that d’impôt matches d'impôt."""
    full = (codes >= 0xFF01) & (codes <= 0xFF5E)
    codes[full] -= 0xFEE0
    codes[codes == 0x3000] = 0x20
    codes[(codes == 0x2019) | (codes == 0x2018)] = 0x27


def _class_table() -> np.ndarray:
    table = np.zeros(0x10000, dtype=np.uint8)
    for lo, hi in _CJK_RANGES:
        if lo < 0x10000:
            table[lo : hi + 1] |= _CJK_BIT
    for lo, hi in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)):
        table[lo : hi + 1] = 0  # full-width letters and digits become ASCII words: keep spaces between them
    table[_SPACES] = _SPACE_BIT  # the ideographic space is a space, not CJK
    table[_INVISIBLE] = _INVISIBLE_BIT
    return table


_SPACE_BIT, _INVISIBLE_BIT, _CJK_BIT = 1, 2, 4
_CLASSES = _class_table()


def _char_classes(codes: np.ndarray) -> np.ndarray:
    """Per character: space, invisible and CJK bits (a table lookup, as this runs over every text)."""
    classes = _CLASSES.take(codes & 0xFFFF)
    astral = codes > 0xFFFF
    if astral.any():
        classes[astral] = np.where((codes[astral] >= 0x20000) & (codes[astral] <= 0x3134F), _CJK_BIT, 0)
    return classes


def _fold_spaces(codes: np.ndarray, keep: np.ndarray, classes: np.ndarray) -> None:
    """Drop whitespace runs between CJK characters; fold other whitespace runs to one space."""
    spaces = np.flatnonzero(classes & _SPACE_BIT)
    if not len(spaces):
        return
    breaks = np.diff(spaces) != 1
    run_starts = spaces[np.concatenate(([True], breaks))]
    run_ends = spaces[np.concatenate((breaks, [True]))] + 1
    cjk = np.append(classes & _CJK_BIT, 0).astype(bool)  # index -1 and len() read False
    between_cjk = cjk[run_starts - 1] & (run_starts > 0) & cjk[run_ends]
    keep[spaces] = False
    kept_runs = run_starts[~between_cjk]
    keep[kept_runs] = True
    codes[kept_runs] = 0x20
