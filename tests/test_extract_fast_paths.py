"""The shortcuts that make PDF layout repair fast give what the plain way gives, on real PDF pages.

* ``textlayer``: when a page's text has one UTF-16 unit per character, text indices are used as
  PDFium's character indices instead of asking PDFium line by line; the first character of a
  piece of a line is looked for among the line's word starts before PDFium searches the page
  for it; a page without CJK text, hyphen marks or surrogates has its lines only stripped;
* ``pdftables``: the alignment of cells and the column of each piece are computed for all pairs
  at once (numpy) instead of piece by piece;
* ``quality.word_score``: leader dots are looked for only where two dots are.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import pypdfium2

from textmine.inputs.extract import pdftables
from textmine.inputs.extract.quality import assess, word_score
from textmine.inputs.extract.textlayer import _Page, _read, page_text

REPO = Path(__file__).resolve().parents[1]
OURS = sorted((REPO / "tests" / "data").glob("*.pdf")) + sorted((REPO / "corpora" / "sample").glob("*.pdf"))


def text_pages(paths):
    """(name, PDFium text page, its text) of every page with a usable text layer."""
    for path in paths:
        try:
            pdf = pypdfium2.PdfDocument(path)
        except pypdfium2.PdfiumError:
            continue  # broken and encrypted files of tests/data
        try:
            for number, page in enumerate(pdf, start=1):
                textpage = page.get_textpage()
                text = page_text(textpage)
                if assess(text).status == "ok":
                    yield f"{path.name} page {number}", textpage, text
                textpage.close()
                page.close()
        finally:
            pdf.close()


def lines_both_ways(paths):
    shortcuts = 0
    for name, textpage, text in text_pages(paths):
        fast = _Page(textpage.raw, text)
        shortcuts += fast.same_indices
        plain = _Page(textpage.raw, text)
        plain.same_indices = False  # ask PDFium for every index and every piece's first character, as before the shortcuts
        plain.plain = False  # clean every line
        assert _read(fast) == _read(plain), name
    return shortcuts


def test_lines_with_the_index_shortcut_are_the_lines_pdfium_indices_give():
    assert lines_both_ways(OURS) >= 20  # the shortcut was taken on (nearly) every page


def test_lines_with_the_index_shortcut_on_real_pdfs(shared_dir):
    paths = sorted((shared_dir / "corpora").glob("pdf_*/*.pdf"))
    if not paths:
        pytest.skip("../shared/corpora has no PDFs")
    assert lines_both_ways(paths) >= 200


def pairwise_rows_aligned(cells):
    """The loop the vectorised count replaced: for each piece, the other bands with a piece lined up with it."""
    counts = []
    for k, band in enumerate(cells):
        for piece in band:
            tolerance = 0.8 * piece.size
            counts.append(sum(1 for j, other in enumerate(cells) if j != k and any(
                abs(piece.x0 - o.x0) < tolerance or abs(piece.x1 - o.x1) < tolerance for o in other)))
    return counts


def piecewise_columns(pieces, columns):
    def fit(piece, column):
        a, b = column
        overlap = min(b, piece.x1) - max(a, piece.x0)
        return overlap if overlap > 0 else overlap - piece.width
    return [max(range(len(columns)), key=lambda i: fit(piece, columns[i])) for piece in pieces]


def test_vectorised_table_geometry_counts_what_the_pairwise_loop_counts():
    from textmine.inputs.extract.textlayer import read_lines

    checked = 0
    for name, textpage, text in text_pages(OURS):
        bands = [band for band in pdftables._bands(read_lines(textpage, text)) if len(band) > 1]
        if len(bands) < 2:
            continue
        pieces = [piece for band in bands for piece in band]
        assert pdftables._rows_aligned(bands, pieces).tolist() == pairwise_rows_aligned(bands), name
        columns = pdftables._columns(bands)
        assert pdftables._columns_of(pieces, columns) == piecewise_columns(pieces, columns), name
        checked += 1
    assert checked >= 3


@pytest.mark.parametrize("leaders", [". . . . .", "......", ".\t.\t.\t.", ".\n.\n.\n.", "……", "···"])
def test_leader_dots_of_a_table_of_contents_do_not_count_as_odd_tokens(leaders):
    words = "Regional innovation strategy and its monitoring"
    with_leaders = "\n".join(f"{k}. {words} {leaders} {k + 4}" for k in range(1, 6))
    without = "\n".join(f"{k}. {words} {k + 4}" for k in range(1, 6))
    assert word_score(with_leaders) == word_score(without)
