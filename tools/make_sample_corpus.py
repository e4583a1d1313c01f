#!/usr/bin/env python3
"""Build the PDF and DOCX documents of the sample corpus (corpora/sample/).

    python tools/make_sample_corpus.py          # rebuild them
    python tools/make_sample_corpus.py --check  # also verify that the text extracted
                                                # from each built file matches its source

The sample corpus is textmine's own: every document was written for the project in the
manner of real cluster-policy documents, with fictional issuers and places (江海市,
华岳省, 北嶼市, Lakemoor, Oberwald, ...). Plain-text and HTML documents are kept as they
are in corpora/sample/; the PDF and DOCX documents are generated here from the source
texts in tools/sample_sources/ (see ``docgen.parse_markup`` for their markup). Each
source names its output file and metadata in ``@key: value`` lines. The output is
deterministic: fixed creation dates, fixed zip timestamps.

Needs fpdf2, fonttools and python-docx (the project venv), Debian fonts-noto-cjk and
fonts-dejavu-core; ``--check`` also needs pypdfium2.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SOURCES = HERE / "sample_sources"
OUT = ROOT / "corpora" / "sample"
sys.path.insert(0, str(HERE))

from docgen import PdfDoc, Style, parse_markup, save_docx  # noqa: E402

#: hyphenation points for the English PDF (used only where a word does not fit a line)
EN_HYPHENATION = {w.replace("-", ""): w for w in [
    "pro-gramme", "pro-grammes", "spe-cial-isa-tion", "in-no-va-tion", "or-gan-isa-tion",
    "or-gan-isa-tions", "in-sti-tu-tions", "in-sti-tute", "tech-nol-o-gy", "tech-nolo-gies",
    "col-lab-o-ra-tive", "en-tre-pre-neur-ial", "im-ple-men-ta-tion", "eval-u-a-tion",
    "in-ter-na-tion-al", "re-spon-si-bil-i-ty", "ap-pli-ca-tions", "bio-pro-cess-ing",
    "man-u-fac-tur-ing", "au-to-ma-tion", "ex-pen-di-ture", "in-vest-ments", "pro-cure-ment",
    "de-vel-op-ment", "par-tic-i-pa-tion", "ex-cel-lence", "com-pa-nies", "re-searchers",
    "knowl-edge", "co-op-er-a-tion", "con-fi-dence", "mea-sured", "in-di-ca-tors",
    "rep-re-sen-ta-tives", "an-a-lyt-ics", "reg-u-la-to-ry", "pre-com-mer-cial",
]}


def source_date(meta: dict[str, str]) -> dt.datetime:
    y, m, d = (int(x) for x in meta["date"].split("-"))
    return dt.datetime(y, m, d, 9, 0, 0, tzinfo=dt.timezone.utc)


# --------------------------------------------------------------------------- PDF

def build_pdf_zh(meta, blocks) -> tuple[bytes, list[str]]:
    text = "".join(t for _k, t in blocks) + meta.get("footer", "") + "0123456789"
    footer = Style("song", 11, align="C")
    doc = PdfDoc(title=meta["title"], author=meta["author"], lang=meta["lang"],
                 created=source_date(meta), margins=(80, 78, 80, 78),
                 footer_format=meta.get("footer"), footer_style=footer)
    doc.add_cjk_family("song", text, serif=True, styles=("",))
    doc.add_cjk_family("hei", text, serif=False, styles=("B",))
    styles = {
        "title": Style("hei", 19, "B", leading=30, after=6, align="C"),
        "center": Style("song", 11, leading=18, after=14, align="C"),
        "h1": Style("hei", 14, "B", leading=24, before=10, after=4, align="C"),
        "h2": Style("hei", 13, "B", leading=22, before=4, after=2, align="C"),
        "p": Style("song", 12.5, leading=22, indent=25),
    }
    doc.new_page()
    for kind, t in blocks:
        doc.block(t, styles[kind], kind=kind, keep_with_next=2 if kind.startswith("h") else 0)
    return doc.to_bytes(), [t for _k, t in blocks]


def build_pdf_en(meta, blocks) -> tuple[bytes, list[str]]:
    doc = PdfDoc(title=meta["title"], author=meta["author"], lang=meta["lang"],
                 created=source_date(meta), margins=(78, 80, 76, 80),
                 header_text=meta.get("header"), header_style=Style("sans", 8.5, align="C"),
                 header_rule=True, footer_format=meta.get("footer"),
                 footer_style=Style("sans", 9, align="C"))
    doc.add_dejavu_family("serif", serif=True)
    doc.add_dejavu_family("sans", serif=False)
    styles = {
        "title": Style("sans", 17, "B", leading=25, after=2, align="C"),
        "center": Style("serif", 10, leading=15, after=14, align="C"),
        "h1": Style("sans", 13, "B", leading=20, before=10, after=3),
        "h2": Style("sans", 11.5, "B", leading=18, before=6, after=1),
        "p": Style("serif", 11, leading=16.5, after=6),
        "bullet": Style("serif", 11, leading=16.5, after=2),
    }
    doc.new_page()
    hyphenated = []
    for kind, t in blocks:
        st = styles[kind]
        if kind == "bullet":
            # bullet sign in the margin of a hanging-indented block
            indent = 26
            if doc.cy + st.line_height > doc.bottom:
                doc.new_page()
            doc.set_font(st.family, st.style, st.size)
            doc.text(doc.m_left + 10, doc.cy + st.size * 1.05, "\u2022")
            lines = doc.block(t, st, kind=kind, x=doc.m_left + indent,
                              width=doc.text_width - indent, hyphenation=EN_HYPHENATION)
        else:
            lines = doc.block(t, st, kind=kind, hyphenation=EN_HYPHENATION,
                              keep_with_next=2 if kind.startswith("h") else 0)
        hyphenated += [line for line, joiner in lines if joiner == "-"]
    if not hyphenated:
        raise SystemExit(f"{meta['output']}: no word was hyphenated at a line end; adjust "
                         "the text, margins or EN_HYPHENATION")
    return doc.to_bytes(), [t for _k, t in blocks]


# --------------------------------------------------------------------------- DOCX

def build_docx(meta, blocks, path: Path) -> list[str]:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    zh = meta["lang"].startswith("zh")
    if zh:
        # Chinese official-document look: 仿宋 body, 黑体 headings, 小标宋 title
        fonts = {"Normal": ("仿宋", 16), "Title": ("方正小标宋简体", 22),
                 "Heading 1": ("黑体", 16), "Heading 2": ("楷体", 16)}
        for name, (font, size) in fonts.items():
            style = document.styles[name]
            style.font.size = Pt(size)
            rpr = style.element.get_or_add_rPr()
            rfonts = rpr.find(qn("w:rFonts"))
            if rfonts is None:
                rfonts = rpr.makeelement(qn("w:rFonts"), {})
                rpr.append(rfonts)
            rfonts.set(qn("w:eastAsia"), font)
    style_of = {"title": "Title", "h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3",
                "bullet": "List Bullet", "p": None, "center": None, "right": None}
    for kind, text in blocks:
        para = document.add_paragraph(text, style=style_of[kind])
        if kind == "center" or (kind == "title" and zh):
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "right":
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif kind == "p" and zh:
            para.paragraph_format.first_line_indent = Pt(32)  # two characters
    save_docx(document, path, title=meta["title"], author=meta["author"],
              created=source_date(meta), language=meta["lang"])
    return [t for _k, t in blocks]


# --------------------------------------------------------------------------- checks

def norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def check_pdf(path: Path, paragraphs: list[str], meta: dict[str, str]) -> None:
    """The characters that pypdfium2 extracts (whitespace removed, running header and
    footer lines dropped, and the U+0002 marks that pdfium puts for hyphens at line ends
    removed) must equal the characters of the source paragraphs."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    got = []
    for i, page in enumerate(pdf):
        furniture = {meta.get("header", ""), meta.get("footer", "").format(page=i + 1)}
        lines = page.get_textpage().get_text_bounded().splitlines()
        got += [ln for ln in lines if ln.strip() and ln.strip() not in furniture]
    extracted = norm("".join(got)).replace("\x02", "").replace("\u2022", "")
    expected = norm("".join(paragraphs))
    if extracted != expected:
        k = next((k for k, (a, b) in enumerate(zip(extracted, expected)) if a != b),
                 min(len(extracted), len(expected)))
        raise SystemExit(f"{path.name}: extracted text differs at character {k}: "
                         f"{extracted[k - 20:k + 20]!r} vs {expected[k - 20:k + 20]!r}")
    print(f"  check ok: {path.name}: {len(pdf)} pages, {len(expected)} characters")


def check_docx(path: Path, paragraphs: list[str]) -> None:
    import docx

    got = [p.text for p in docx.Document(str(path)).paragraphs]
    if got != paragraphs:
        raise SystemExit(f"{path.name}: paragraphs differ from the source")
    print(f"  check ok: {path.name}: {len(got)} paragraphs")


def check_metadata() -> None:
    with open(OUT / "metadata.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    listed = {r["file"] for r in rows}
    present = {p.name for p in OUT.iterdir() if p.name != "metadata.csv"}
    if listed != present:
        raise SystemExit(f"metadata.csv and corpora/sample differ: only listed "
                         f"{sorted(listed - present)}, only present {sorted(present - listed)}")
    print(f"  check ok: metadata.csv lists all {len(rows)} documents")


# --------------------------------------------------------------------------- main

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify the built files")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for src in sorted(SOURCES.glob("*.txt")):
        meta, blocks = parse_markup(src.read_text(encoding="utf-8"))
        out = OUT / meta["output"]
        if out.suffix == ".pdf":
            build = build_pdf_zh if meta["lang"].startswith("zh") else build_pdf_en
            data, paragraphs = build(meta, blocks)
            out.write_bytes(data)
        elif out.suffix == ".docx":
            paragraphs = build_docx(meta, blocks, out)
        else:
            raise SystemExit(f"{src.name}: unknown output type {out.suffix}")
        print(f"wrote {out.relative_to(ROOT)} ({out.stat().st_size:,} bytes)")
        if args.check:
            if out.suffix == ".pdf":
                check_pdf(out, paragraphs, meta)
            else:
                check_docx(out, paragraphs)
    if args.check:
        check_metadata()


if __name__ == "__main__":
    main()
