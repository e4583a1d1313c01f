"""Layout decisions on hand-placed lines: furniture, columns, paragraphs (A4 pages, points, y up)."""

from __future__ import annotations

from textmine.inputs.extract.layout import PageLines, find_furniture, flows, lay_out, page_text
from textmine.inputs.extract.textlayer import Line

SIZE, PITCH = 12.0, 15.0


def line(text, x0, y, width=None, size=SIZE):
    width = width if width is not None else len(text) * size * 0.5
    return Line(text, x0, y, x0 + width, y + size * 0.8, size, y)


def column(texts, x0, top, width):
    """Lines of a justified column: every line full width except a paragraph's last."""
    out, y = [], top
    for text in texts:
        out.append(line(text, x0, y, width if not text.endswith(".") else width / 2))
        y -= PITCH
    return out


def page(number, lines):
    return PageLines(number, 595, 842, lines)


def test_text_repeated_in_the_top_or_bottom_band_of_pages_is_furniture():
    pages = [page(n, [line("Regional Strategy 2030", 200, 800), line(f"Body text of page {n} that goes on.", 72, 700),
                      line(f"Page {n} of 3", 270, 40)]) for n in (1, 2, 3)]
    assert find_furniture(pages) == [{0, 2}, {0, 2}, {0, 2}]


def test_a_lone_page_number_is_furniture_but_other_text_at_the_edges_stays():
    single = page(1, [line("Minutes of the board", 72, 800), line("The board met on Monday.", 72, 700), line("— 4 —", 280, 40)])
    assert find_furniture([single]) == [{2}]


def test_the_same_text_in_the_middle_of_pages_is_not_furniture():
    pages = [page(n, [line("Article 1 applies.", 72, 500), line(f"Text {n}.", 72, 480)]) for n in (1, 2)]
    assert find_furniture(pages) == [set(), set()]


def test_two_columns_are_read_one_after_the_other_even_when_the_stream_interleaves_them():
    left = column([f"left line {k} of the first column text" for k in range(8)], 72, 700, 210)
    right = column([f"right line {k} of the second column text" for k in range(8)], 310, 700, 210)
    interleaved = [l for pair in zip(left, right) for l in pair]
    title = line("A title across both columns of the page", 72, 740, 450)
    got = flows([title, *interleaved], SIZE, 450)
    assert [[l.text for l in flow] for flow in got] == [[title.text], [l.text for l in left], [l.text for l in right]]


def test_one_column_with_a_right_aligned_signature_is_not_two_columns():
    body = column([f"body line {k} that fills the whole width of the page" for k in range(10)], 72, 700, 450)
    short = [line("1. Short heading", 72, 540), line("Short last line.", 72, 480)]
    signature = [line("City Government", 420, 420), line("18 April 2023", 430, 405)]
    assert len(flows(body + short + signature, SIZE, 450)) == 1


def test_paragraphs_end_at_a_wider_gap_an_indent_or_a_short_line():
    lines = [
        line("第一条　为了培育具有国际竞争力的先进制造业集群，推动产业链", 98, 700, 426),  # indented first line
        line("创新链深度融合，制定本办法。", 72, 685, 200),                      # short: paragraph ends
        line("第二条　本市行政区域内先进制造业集群的培育、促进和服务活动", 98, 670, 426),
        line("适用本办法和有关规定，由市人民政府组织实施并监督检查工作。", 72, 655, 452),  # full: goes on
        line("市工业和信息化部门负责日常管理工作和集群评价工作的组织。", 98, 640, 426),  # indented: new paragraph
        line("A heading after a wider gap", 72, 610, 200),
    ]
    laid = lay_out([page(1, lines)])[0]
    assert [len(p) for p in laid.paragraphs] == [2, 2, 1, 1]


def test_a_hanging_indent_stays_one_paragraph():
    lines = [line("1. The first item of a list whose text runs over two lines of the", 72, 700, 450),
             line("page, indented under its text.", 90, 685, 200),
             line("2. The second item.", 72, 670, 150)]
    assert [len(p) for p in lay_out([page(1, lines)])[0].paragraphs] == [2, 1]


def test_a_paragraph_cut_by_the_page_end_goes_on_without_a_break():
    first = column([f"line {k} of a long paragraph that fills the column" for k in range(5)], 72, 700, 450)
    second = [line("and ends on the next page.", 72, 700, 200), line("A new paragraph starts here.", 92, 685, 220)]
    laid = lay_out([page(1, first), page(2, second)])
    assert laid[0].continues and not page_text(laid[0]).endswith("\n")
    assert page_text(laid[1]).startswith("and ends on the next page.\n\nA new paragraph")
