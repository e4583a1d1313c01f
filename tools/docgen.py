"""Small, deterministic document-generation helpers.

Shared by ``tools/make_sample_corpus.py`` (the project's own sample corpus) and
``tests/data/make_test_files.py`` (test files for the extractors).  Nothing in here is
part of the textmine library.

What it provides:

* ``cjk_truetype()`` -- a subset of Noto Sans/Serif CJK converted from CFF to TrueType
  outlines.  fpdf2 embeds CFF fonts with a custom /Encoding CMap that pdfminer (and so
  pdfplumber) cannot read; TrueType outlines give the usual ``Identity-H`` CIDFontType2
  that Word, WPS and most PDF producers write, which every extractor understands.
* ``PdfDoc`` -- an fpdf2 document in points with a fixed creation date, optional
  running header / page-number footer, and a line-breaking routine that knows about
  Chinese line breaking (no closing punctuation at a line start) and English
  hyphenation at given points, and records the lines it produced.
* ``parse_markup()`` -- the tiny line-oriented markup used by the source texts.
* ``save_docx()`` -- saves a python-docx document byte-for-byte reproducibly.

System requirements: Debian ``fonts-noto-cjk`` and ``fonts-dejavu-core``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")

#: index of each regional variant inside the Noto CJK .ttc collections
NOTO_INDEX = {"JP": 0, "KR": 1, "SC": 2, "TC": 3, "HK": 4}

#: fixed default creation date, so that re-running a generator gives the same bytes
FIXED_DATE = dt.datetime(2024, 1, 15, 9, 0, 0, tzinfo=dt.timezone.utc)

#: punctuation that must not start a line in Chinese typesetting (it hangs instead)
CJK_NO_LINE_START = set("，。、；：？！）》」』”’〉】〕…—·%")
#: punctuation that must not end a line (moves to the next line)
CJK_NO_LINE_END = set("（《「『“‘〈【〔")

_CJK_RE = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef\U00020000-\U0002ffff]")


def is_cjk(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


# --------------------------------------------------------------------------- fonts


def cjk_truetype(text: str, *, serif: bool = False, bold: bool = False, region: str = "SC") -> str:
    """Return the path of a TrueType-outline subset of Noto CJK covering ``text``.

    The subset always includes printable ASCII, so Latin words and digits can be set in
    the same font.  Results are cached in the system temp folder, keyed by content.
    """
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    chars = "".join(sorted(set(text) | {chr(c) for c in range(0x20, 0x7F)}))
    name = f"Noto{'Serif' if serif else 'Sans'}CJK-{'Bold' if bold else 'Regular'}.ttc"
    key = hashlib.sha1(f"{name}|{region}|{chars}".encode()).hexdigest()[:16]
    out = Path(tempfile.gettempdir()) / "textmine-docgen-fonts" / f"{key}.ttf"
    if out.exists():
        return str(out)

    font = TTFont(NOTO_DIR / name, fontNumber=NOTO_INDEX[region], lazy=True, recalcTimestamp=False)
    options = subset.Options()
    options.desubroutinize = True
    options.notdef_outline = True
    options.layout_features = []
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)

    # CFF (cubic) -> glyf (quadratic) outlines
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = font.getGlyphOrder()
    glyf.glyphs = {}
    for gname in glyf.glyphOrder:
        pen = TTGlyphPen(glyph_set)
        glyph_set[gname].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[gname] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    font["head"].glyphDataFormat = 0
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                 "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                 "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    font.sfntVersion = "\x00\x01\x00\x00"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    font.save(tmp)
    tmp.replace(out)
    return str(out)


def dejavu(serif: bool = True, bold: bool = False) -> str:
    base = "DejaVuSerif" if serif else "DejaVuSans"
    return str(DEJAVU_DIR / f"{base}{'-Bold' if bold else ''}.ttf")


# --------------------------------------------------------------------------- line breaking


def _tokens(text: str) -> list[str]:
    """Split into breakable atoms: runs of ASCII spaces, Latin words, single CJK
    characters (the ideographic space U+3000 counts as a CJK character, not a break)."""
    return re.findall(r" +|[^ \u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+|.", text)


def wrap(text: str, width: float, measure, hyphenation: dict[str, str] | None = None,
         first_indent: float = 0.0) -> list[tuple[str, str]]:
    """Greedy line breaking.

    ``measure(s)`` returns the width of ``s``.  Returns ``(line, joiner)`` pairs where
    ``joiner`` says how the line joins the next one in the faithful text: ``" "`` (a
    space was consumed by the break), ``""`` (break between CJK characters) or ``"-"``
    (a word was hyphenated: the hyphen printed at the line end is not part of the text).
    The joiner of the last line is ``""``.

    ``hyphenation`` maps a word to the same word with ``-`` at allowed break points,
    e.g. ``{"innovation": "in-no-va-tion"}``.
    """
    hyph = hyphenation or {}
    lines: list[tuple[str, str]] = []
    cur = ""
    avail = width - first_indent
    toks = _tokens(text)
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok[0] == " ":
            if cur and measure(cur + tok) > avail:
                lines.append((cur, " "))
                cur, avail = "", width
            elif cur:
                cur += tok
            i += 1
            continue
        if not cur or measure(cur + tok) <= avail:
            cur += tok
            i += 1
            continue
        # the token does not fit on this line
        if len(tok) == 1 and tok in CJK_NO_LINE_START:
            cur += tok  # hanging punctuation
            i += 1
            continue
        core = tok.rstrip(".,;:)")
        if core in hyph:
            parts = hyph[core].split("-")
            done = False
            for k in range(len(parts) - 1, 0, -1):
                head = "".join(parts[:k])
                if measure(cur + head + "-") <= avail:
                    lines.append((cur + head + "-", "-"))
                    toks[i] = tok[len(head):]
                    cur, avail = "", width
                    done = True
                    break
            if done:
                continue
        if is_cjk(tok[0]) and cur and cur[-1] in CJK_NO_LINE_END:
            # move an opening bracket to the next line together with the token
            lines.append((cur[:-1], ""))
            cur, avail = cur[-1], width
            continue
        joiner = " " if cur.endswith(" ") else ""
        lines.append((cur.rstrip(" "), joiner))
        cur, avail = "", width
    if cur:
        lines.append((cur.rstrip(" "), ""))
    if lines:
        lines[-1] = (lines[-1][0], "")
    return lines


def unwrap(lines: list[tuple[str, str]]) -> str:
    """Inverse of :func:`wrap`: the faithful paragraph text."""
    out = []
    for line, joiner in lines:
        if joiner == "-":
            out.append(line[:-1])
        else:
            out.append(line + joiner)
    return "".join(out)


# --------------------------------------------------------------------------- PDF


@dataclass
class Style:
    family: str
    size: float
    style: str = ""
    leading: float | None = None  # line height in pt (default 1.5 * size)
    indent: float = 0.0  # first-line indent in pt
    before: float = 0.0  # space before the block in pt
    after: float = 0.0  # space after the block in pt
    align: str = "L"  # L, C or R

    @property
    def line_height(self) -> float:
        return self.leading if self.leading is not None else 1.5 * self.size


class PdfDoc(FPDF):
    """An A4 fpdf2 document in points, laid out line by line with :meth:`block`."""

    def __init__(self, *, title: str, author: str, subject: str = "", lang: str | None = "zh-CN",
                 created: dt.datetime = FIXED_DATE, margins=(72, 72, 72, 72),
                 header_text: str | None = None, header_style: Style | None = None,
                 footer_format: str | None = None, footer_style: Style | None = None,
                 header_rule: bool = False):
        super().__init__(unit="pt", format="A4")
        self.set_creation_date(created)
        self.set_title(title)
        self.set_author(author)
        if subject:
            self.set_subject(subject)
        self.set_creator("textmine tools/docgen.py")
        if lang:  # fpdf2 leaves /Lang unencrypted: pass lang=None for encrypted files
            self.set_lang(lang)
        self.set_auto_page_break(False)
        self.m_top, self.m_right, self.m_bottom, self.m_left = margins
        self.header_text = header_text
        self.header_style = header_style
        self.header_rule = header_rule
        self.footer_format = footer_format
        self.footer_style = footer_style
        self.cy = self.m_top
        #: every line drawn by block(): (page, text) -- handy for reports
        self.drawn: list[tuple[int, str]] = []
        #: every block drawn: (kind, faithful text, lines)
        self.blocks: list[tuple[str, str, list[tuple[str, str]]]] = []

    # fonts ---------------------------------------------------------------
    def add_cjk_family(self, family: str, text: str, *, serif: bool = False, region: str = "SC",
                       styles: tuple[str, ...] = ("", "B")) -> None:
        """Register Noto Serif/Sans CJK (styles "" and/or "B") subset to ``text``."""
        for style in styles:
            self.add_font(family, style, cjk_truetype(text, serif=serif, bold=style == "B",
                                                      region=region))

    def add_dejavu_family(self, family: str, serif: bool = True) -> None:
        self.add_font(family, "", dejavu(serif))
        self.add_font(family, "B", dejavu(serif, bold=True))

    # geometry ------------------------------------------------------------
    @property
    def text_width(self) -> float:
        return self.w - self.m_left - self.m_right

    @property
    def bottom(self) -> float:
        return self.h - self.m_bottom

    def new_page(self) -> None:
        self.add_page()
        self.cy = self.m_top

    # running header and footer (called by fpdf2) --------------------------
    def header(self) -> None:
        if self.header_text and self.header_style:
            st = self.header_style
            self.set_font(st.family, st.style, st.size)
            y = self.m_top / 2
            self._aligned(self.header_text, self.m_left, self.text_width, y + st.size, st.align)
            if self.header_rule:
                self.set_line_width(0.6)
                self.line(self.m_left, y + st.size * 1.5, self.w - self.m_right, y + st.size * 1.5)

    def footer(self) -> None:
        if self.footer_format and self.footer_style:
            st = self.footer_style
            self.set_font(st.family, st.style, st.size)
            label = self.footer_format.format(page=self.page_no())
            self._aligned(label, self.m_left, self.text_width, self.h - self.m_bottom / 2, st.align)

    # drawing -------------------------------------------------------------
    def _aligned(self, line: str, x: float, width: float, baseline: float, align: str) -> None:
        if align == "C":
            x = x + (width - self.get_string_width(line)) / 2
        elif align == "R":
            x = x + width - self.get_string_width(line)
        self.text(x, baseline, line)

    def block(self, text: str, st: Style, *, kind: str = "p", x: float | None = None,
              width: float | None = None, hyphenation: dict[str, str] | None = None,
              keep_with_next: int = 0) -> list[tuple[str, str]]:
        """Break ``text`` into lines and draw them from the cursor down, adding pages as
        needed.  Returns the ``(line, joiner)`` pairs (see :func:`wrap`)."""
        x = self.m_left if x is None else x
        width = self.text_width if width is None else width
        self.set_font(st.family, st.style, st.size)
        lines = wrap(text, width, self.get_string_width, hyphenation, st.indent)
        lh = st.line_height
        if self.cy > self.m_top + 0.1:
            self.cy += st.before
        # keep at least two lines together, and a heading with the first lines that follow it
        needed = lh * min(len(lines), 2) + st.after + keep_with_next * lh * 1.5
        if self.cy + needed > self.bottom:
            self.new_page()
        for n, (line, _joiner) in enumerate(lines):
            if self.cy + lh > self.bottom:
                self.new_page()
            self.set_font(st.family, st.style, st.size)
            baseline = self.cy + st.size * 1.05
            lx = x + (st.indent if n == 0 else 0)
            self._aligned(line, lx, width - (st.indent if n == 0 else 0), baseline, st.align)
            self.drawn.append((self.page_no(), line))
            self.cy += lh
        self.cy += st.after
        self.blocks.append((kind, unwrap(lines), lines))
        return lines

    def to_bytes(self) -> bytes:
        return bytes(self.output())


# --------------------------------------------------------------------------- markup

MARKUP_KINDS = {"# ": "title", "## ": "h1", "### ": "h2", "#### ": "h3", "- ": "bullet",
                "| ": "center", "> ": "right"}


def parse_markup(source: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Parse the source-text markup used in ``tools/sample_sources``.

    ``@key: value`` lines at the top are metadata.  Then one block per line:
    ``# `` title, ``## `` heading 1, ``### `` heading 2, ``#### `` heading 3,
    ``- `` bullet item, ``| `` centred line, ``> `` right-aligned line, anything else a
    paragraph.  Blank lines are ignored; ``%`` starts a comment line.
    """
    meta: dict[str, str] = {}
    blocks: list[tuple[str, str]] = []
    for raw in source.splitlines():
        line = raw.rstrip()
        if not line or line.startswith("%"):
            continue
        if not blocks and line.startswith("@"):
            key, _, value = line[1:].partition(":")
            meta[key.strip()] = value.strip()
            continue
        for prefix, kind in sorted(MARKUP_KINDS.items(), key=lambda kv: -len(kv[0])):
            if line.startswith(prefix):
                blocks.append((kind, line[len(prefix):].strip()))
                break
        else:
            blocks.append(("p", line.strip()))
    return meta, blocks


# --------------------------------------------------------------------------- DOCX


def save_docx(document, path: Path | str, *, title: str = "", author: str = "",
              created: dt.datetime = FIXED_DATE, language: str = "") -> None:
    """Save a python-docx Document so that re-running gives identical bytes
    (fixed core-property dates and fixed timestamps inside the zip)."""
    cp = document.core_properties
    cp.title = title
    cp.author = author
    cp.last_modified_by = author
    cp.created = created.replace(tzinfo=None)
    cp.modified = created.replace(tzinfo=None)
    cp.revision = 1
    if language:
        cp.language = language
    buf = io.BytesIO()
    document.save(buf)
    buf.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zi = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 15, 9, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, data)
    Path(path).write_bytes(out.getvalue())
