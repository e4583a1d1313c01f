"""Is a page's text layer usable? Unmapped fonts, mojibake and garbage (failed OCR) layers.

Three cheap, text-only checks run on every page:

* ``unmapped``: glyphs without a Unicode mapping come out as control or
  private-use characters, U+FFFD or pdfminer-style ``(cid:NN)``;
* ``mojibake``: GBK bytes read as Latin-1 (``½­º£ÊÐ``), which is recovered
  when the bytes decode cleanly as GB18030;
* ``garbage``: a Latin-script layer made of symbols and non-words, like a
  failed OCR run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from textmine.core.normalize import CJK_CHAR, HAN_CHAR

UNUSABLE_SHARE = 0.3  # share of unmapped characters above which a page's text is thrown away
WARN_SHARE = 0.02
GOOD_WORDS = 0.9  # a word score below this makes an invisible OCR layer worth redoing

_CID = re.compile(r"\(cid:\d+\)")
_LEADERS = re.compile(r"(?:\.\s?){3,}|…{2,}|·{3,}")
_TWO_DOTS = re.compile(r"\.\s?\.")
_WORD = re.compile(r"^[\"'“‘(\[]*[^\W\d_]+(?:[-'’][^\W\d_]+)*[.,;:!?)\]\"'”’]*$")
_NUMBER = re.compile(r"^[(\[]?[$€£]?\d[\d.,:/%\-–]*[)\].,;:%]*$")
_VOWEL = re.compile(r"[aeiouyäöüàâéèêëîïôûùœæåáíóúõãAEIOUYÄÖÜÉÀÈ]")
_MIXED_CASE = re.compile(r"[a-z][A-Z]")
_ODD_CHAR = re.compile("[" + re.escape("«»^~|\\`@#*<>{}[]_=+$§¶¤¦¨¬¯±²³µ¸¹º¼½¾×÷") + "]")
_LATIN1_HIGH = re.compile("[\u00a1-\u00ff]")
# control characters (but tab, line ends and PDFium's hyphen mark), private use, surrogates, U+FFFD
_UNMAPPED = re.compile("[\x00-\x01\x03-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\uf8ff\ufffd\U000f0000-\U0010ffff]")
SAMPLE_CHARS = 3000  # the word score of a page is measured on its first characters


@dataclass(frozen=True)
class Verdict:
    """``status``: ok, empty, unmapped (unusable), garbage; ``text``: the text to use; ``warning``: or ""."""

    status: str
    text: str
    warning: str = ""
    words: float = 1.0  # share of word-like tokens (Latin-script text)


def assess(text: str) -> Verdict:
    """Judge the text layer of one page."""
    visible = "".join(text.split())
    if not visible:
        return Verdict("empty", "")
    unmapped = _unmapped_count(text) / len(visible)
    if unmapped >= UNUSABLE_SHARE:
        return Verdict("unmapped", "", "fonts without a Unicode mapping (unreadable text layer)")
    recovered = recover_gbk_mojibake(text, visible)
    if recovered is not None:
        return Verdict("ok", recovered, "GBK text read as Latin-1 (mojibake), recovered")
    words, odd = word_score(text)
    if odd >= 0.15 or (words < 0.5 and odd >= 0.05):
        return Verdict("garbage", "", "the text layer is garbage (a failed OCR layer?)", words)
    warning = f"{unmapped:.0%} of characters without a Unicode mapping" if unmapped >= WARN_SHARE else ""
    return Verdict("ok", text, warning, words)


def _unmapped_count(text: str) -> int:
    return sum(len(m) for m in _CID.findall(text)) + len(_UNMAPPED.findall(text))


def word_score(text: str) -> tuple[float, float]:
    """(share of letters in word-like tokens, share of odd symbols) for Latin-script text; CJK text scores 1."""
    text = text[:SAMPLE_CHARS]
    if "……" in text or "···" in text or _TWO_DOTS.search(text):  # what _LEADERS needs (it is slow to scan for)
        text = _LEADERS.sub(" ", text)
    tokens = text.split()
    visible = "".join(tokens)
    cjk = len(CJK_CHAR.findall(visible))
    if cjk >= 0.3 * len(visible):
        return 1.0, 0.0
    if cjk:
        tokens = [t for t in tokens if not CJK_CHAR.search(t)]
        visible = "".join(tokens)
    letters = len(visible)
    if letters < 40:
        return 1.0, 0.0
    good = sum(map(len, filter(_good_token, tokens)))
    odd = len(_ODD_CHAR.findall(visible))
    return good / letters, odd / letters


@lru_cache(maxsize=1 << 16)  # pages repeat their words: each is judged once
def _good_token(token: str) -> bool:
    if _NUMBER.match(token):
        return True
    if not _WORD.match(token) or _MIXED_CASE.search(token):
        return False
    return bool(_VOWEL.search(token)) or len(token.strip(".,;:!?()\"'")) <= 3


def recover_gbk_mojibake(text: str, visible: str | None = None) -> str | None:
    """The text decoded as GB18030 when it is Chinese read byte by byte as Latin-1/cp1252, else None. ``visible``: its
    characters other than white space, when the caller has them."""
    visible = "".join(text.split()) if visible is None else visible
    if len(visible) < 4:
        return None
    # the non-ASCII characters bound the Latin-1 ones from above (and are counted much faster)
    non_ascii = len(visible) - len(visible.encode("ascii", "ignore"))
    if non_ascii < 0.5 * len(visible) or CJK_CHAR.search(text):
        return None
    if len(_LATIN1_HIGH.findall(visible)) < 0.5 * len(visible):
        return None
    lines = []
    for line in text.split("\n"):
        raw = _latin_bytes(line)
        if raw is None:
            return None
        try:
            lines.append(raw.decode("gb18030"))
        except UnicodeDecodeError:
            return None
    recovered = "\n".join(lines)
    han = len(HAN_CHAR.findall(recovered))
    return recovered if han >= 0.6 * len("".join(recovered.split())) else None


def decode_gbk_mojibake(line: str) -> str:
    """One line of a page found to be GBK-as-Latin-1, decoded (unchanged if it does not decode)."""
    raw = _latin_bytes(line)
    if raw is None:
        return line
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return line


def _latin_bytes(line: str) -> bytes | None:
    """The bytes that a Latin-1/cp1252 reading turned into ``line``.

    Inside a two-byte character PDFium may have put a space (glyph spacing) or turned the
    byte 0xAD (a soft hyphen in Latin-1) into "-": both are undone there.
    """
    out = bytearray()
    trail = False  # the next byte is the second byte of a GBK character
    for char in line:
        if trail and char == " ":
            continue
        code = 0xAD if trail and char == "-" else ord(char)
        if code >= 256:
            try:
                code = char.encode("cp1252")[0]
            except UnicodeEncodeError:
                return None
        out.append(code)
        trail = not trail and 0x81 <= code <= 0xFE
    return bytes(out)
