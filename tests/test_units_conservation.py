"""Units lose nothing: every letter and digit of a document is in a unit or named as furniture (issue 9)."""

import csv

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from textmine.units.coverage import WORD_CHAR, Coverage, coverage_warning, measure
from textmine.units.segment import MIN_SPLIT_CHARS, UNIT_CAP, segment_document
from textmine.core.types import Block, Document, Page


def document(text: str, lang: str = "zh", doc_id: str = "d") -> Document:
    pages = tuple(Page(n, page, "plain") for n, page in enumerate(text.split("\f"), start=1))
    return Document(doc_id, f"{doc_id}.txt", pages, lang)


def letters(text: str) -> int:
    return len(WORD_CHAR.findall(text))


def accounted(doc: Document):
    """(letters and digits of the document, of its units and section headings, of the furniture named)."""
    result = segment_document(doc)
    coverage = measure(doc, result.units, result.furniture, result.headings)
    sections = {h for u in result.units for h in u.section}
    tables = {b.table for page in doc.pages for b in page.tables} | {b.table for b in doc.blocks if b.table}
    # every heading counted is in a section path, and every one is counted (table names may be made up: Table 2)
    assert set(result.headings) <= sections and sections - set(result.headings) <= tables
    return coverage, result


# --- property: conservation over generated documents --------------------------------------

WORDS = ["cluster", "innovation", "support", "members", "region", "joint", "research", "Fund", "SME", "2025"]
HAN = "支持组建产业技术创新联盟集群促进机构完善知识产权保护体系"
word = st.sampled_from(WORDS)
han = st.text(alphabet=HAN, min_size=2, max_size=12)
english = st.lists(word, min_size=1, max_size=12).map(" ".join)
chinese = st.lists(han, min_size=1, max_size=4).map("，".join)
phrase = st.one_of(english, chinese, st.tuples(chinese, english).map(" ".join))
number = st.integers(1, 12)

LINE = st.one_of(
    phrase,  # unpunctuated short lines (lists, headings)
    phrase.map(lambda p: p + "."),
    phrase.map(lambda p: p + "。"),
    st.tuples(number, phrase).map(lambda t: f"第{t[0]}章 {t[1]}"),
    st.tuples(number, phrase).map(lambda t: f"第{t[0]}条 {t[1]}。"),
    st.tuples(st.sampled_from("一二三四五"), phrase).map(lambda t: f"{t[0]}、{t[1]}"),
    st.tuples(number, phrase).map(lambda t: f"{t[0]}. {t[1]}"),
    st.tuples(number, number, phrase).map(lambda t: f"{t[0]}.{t[1]} {t[2].capitalize()}"),
    phrase.map(lambda p: f"• {p}"),
    phrase.map(lambda p: f"# {p}"),
    phrase.map(str.upper),
    st.sampled_from(["", "", "1.", "（一）", "0012", "- 3 -", "12", "Contents", "Introduction ........ 3", "Table of Contents"]),
    st.lists(english.map(lambda p: p.capitalize() + "."), min_size=20, max_size=60).map(" ".join),  # long paragraphs
)


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(LINE, max_size=25), min_size=1, max_size=3), st.sampled_from(["zh", "en"]))
def test_every_letter_is_in_a_unit_or_furniture(pages, lang):
    doc = document("\f".join("\n".join(lines) for lines in pages), lang)
    coverage, result = accounted(doc)
    assert coverage.chars == letters(doc.text)
    assert coverage.chars_in_units + coverage.chars_furniture == coverage.chars
    assert all(len(u.text) <= UNIT_CAP for u in result.units)
    assert len({u.unit_id for u in result.units}) == len(result.units)


@settings(max_examples=60, deadline=None, database=None)
@given(st.lists(st.tuples(LINE, st.sampled_from(["", "", "heading1", "heading2", "title"])), min_size=1, max_size=20))
def test_blocks_with_styles_conserve_text(items):
    blocks = tuple(Block(text, None, style) for text, style in items if text.strip())
    if not blocks:
        return
    doc = Document("b", "b.docx", (Page(1, "\n".join(b.text for b in blocks), "plain"),), "en", blocks=blocks)
    coverage, _ = accounted(doc)
    assert coverage.chars_in_units + coverage.chars_furniture == coverage.chars


# --- the recipes of the issue ---------------------------------------------------------------


def test_a_list_of_short_lines_is_four_units(tmp_path, textmine_cli):
    path = tmp_path / "list.txt"
    path.write_text("主要任务\n\n建设集群促进机构\n\n组建产业技术创新联盟\n\n完善知识产权保护体系\n\n以上措施自发布之日起施行。\n", encoding="utf-8")
    code, _, err = textmine_cli("tag", path, "--all", "--out", tmp_path / "list.csv")
    assert code == 0, err
    with open(tmp_path / "list.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["text"] for r in rows] == ["建设集群促进机构", "组建产业技术创新联盟", "完善知识产权保护体系", "以上措施自发布之日起施行。"]
    assert {r["section"] for r in rows} == {"主要任务"}


def test_a_bilingual_unit_is_coded_in_both_languages(tmp_path, textmine_cli):
    path = tmp_path / "bilingual.txt"
    path.write_text("第二条 支持组建产业联盟，鼓励企业开展协同创新。\n"
                    "The cluster organisation supports joint research with its partners and members.\n", encoding="utf-8")
    code, _, err = textmine_cli("tag", path, "--all", "--out", tmp_path / "coded.csv")
    assert code == 0, err
    with open(tmp_path / "coded.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1
    assert int(rows[0]["pentagon_NET"]) >= 1 and int(rows[0]["pentagon_ORG"]) >= 1  # 联盟 (Chinese), cluster organisation (English)


def test_mostly_english_units_of_a_chinese_document_are_english():
    doc = document("第一章 总则\n\n第一条 为了促进产业集群发展，制定本条例。\n\nSupport for cluster members\n\nThe cluster organisation supports joint research.\n")
    units = segment_document(doc).units
    english = [u for u in units if u.text.startswith(("Support", "The"))]
    assert english and all(u.lang == "en" for u in english)


def test_a_number_line_english_bullets_and_list_items_are_kept():
    text = ("Measures\n\n0012\n\n• Supporting domestic industries\n• Attracting foreign investment\n\n"
            "2004 Framework Law for innovation in the SME sector\n\nThe law set up the first programme for SMEs.\n")
    coverage, result = accounted(document(text, "en"))
    texts = [u.text for u in result.units]
    assert "0012" in texts
    assert "Supporting domestic industries" in texts and "Attracting foreign investment" in texts
    joined = " ".join(texts + [h for u in result.units for h in u.section])
    assert "2004 Framework Law for innovation in the SME sector" in joined
    assert coverage.chars_in_units == coverage.chars


def test_furniture_is_counted_not_lost():
    text = "Table of Contents\n1. Introduction 2\n2. Measures 3\n\n1. Introduction\nThe strategy builds on regional strengths.\n- 2 -\f2. Measures\nThe region funds joint research.\n3\n"
    coverage, result = accounted(document(text, "en"))
    assert "Table of Contents" not in " ".join(u.text for u in result.units)
    named = " ".join(result.furniture)
    assert "Table of Contents" in named and "Measures 3" in named and "- 2 -" in named
    assert coverage.chars_furniture == letters(named) > 0
    assert coverage.chars_in_units + coverage.chars_furniture == coverage.chars and coverage.coverage == 1.0


def test_a_number_alone_opens_the_next_paragraph():
    units = segment_document(document("1.\n\nThe region funds joint research between firms.\n", "en")).units
    assert [u.text for u in units] == ["1. The region funds joint research between firms."]


def test_long_paragraph_splits_leave_no_short_part():
    sentence = "The region supports cooperation between firms and universities in the cluster. "
    text = sentence * 30 + "1. " + "Short end. " * 3
    units = segment_document(document(text, "en")).units
    assert len(units) >= 2
    assert all(len(u.text) >= MIN_SPLIT_CHARS for u in units)
    assert not any(u.text.strip() in ("1.", "1") for u in units)


@pytest.mark.parametrize("text", ["创新" * 40_000, ("支持集群发展。" * 12_000), "x" * 70_000])
def test_units_longer_than_any_cell_are_split_not_lost(text):
    coverage, result = accounted(document(text, "zh"))
    assert len(result.units) >= 2 and all(len(u.text) <= UNIT_CAP for u in result.units)
    assert coverage.chars_in_units == coverage.chars == letters(text)


def test_coverage_warnings():
    assert coverage_warning("d", Coverage(1000, 1000, 0)) is None
    assert "only 90%" in coverage_warning("d", Coverage(1000, 900, 0))
    assert "scan" in coverage_warning("d", Coverage(1000, 400, 0))
    assert Coverage(1000, 900, 100).coverage == 1.0  # furniture is not counted against a document


# --- documents.csv, warnings.csv and per10k in a run --------------------------------------------


@pytest.fixture(scope="module")
def bilingual_run(tmp_path_factory):
    from textmine.run.batch import RunSettings, run

    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / "zh_only.txt").write_text("第一条 支持组建产业联盟。\n\n第二条 鼓励企业开展协同创新。\n", encoding="utf-8")
    (corpus / "bilingual.txt").write_text(
        "第一条 支持组建产业联盟，鼓励企业开展协同创新。\nThe cluster organisation supports joint research with its members.\n\n- 2 -\n",
        encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    result = run([str(corpus)], out, RunSettings(xlsx=False, workers=1))
    return out, result


def read_rows(path):
    with open(path, encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_documents_csv_reports_coverage(bilingual_run):
    out, result = bilingual_run
    documents = {r["doc_id"]: r for r in read_rows(out / "documents.csv")}
    bilingual = documents["bilingual"]
    source = "第一条 支持组建产业联盟，鼓励企业开展协同创新。\nThe cluster organisation supports joint research with its members.\n\n- 2 -\n"
    assert int(bilingual["chars"]) == letters(source)
    assert int(bilingual["chars_furniture"]) == 1  # the page number "- 2 -"
    assert int(bilingual["chars_in_units"]) == letters(source) - 1 and float(bilingual["coverage"]) == 1.0
    assert read_rows(out / "warnings.csv") == [] and result.coverage_warnings == []


def test_per10k_of_a_bilingual_document_counts_han_characters_and_words(bilingual_run):
    out, _ = bilingual_run
    emphasis = {(r["doc_id"], r["measure"]): r for r in read_rows(out / "emphasis_pentagon.csv")}
    row = emphasis[("bilingual", "per10k")]
    han = letters("第一条支持组建产业联盟鼓励企业开展协同创新")
    words = len("The cluster organisation supports joint research with its members.".split())
    assert row["size_unit"] == "characters+words" and int(float(row["size"])) == han + words
    hits = int(emphasis[("bilingual", "hits")]["pentagon_NET"])
    assert hits >= 1 and float(row["pentagon_NET"]) == pytest.approx(hits * 10_000 / (han + words), rel=1e-4)
    matrix = {r["doc_id"]: r for r in read_rows(out / "matrix_pentagon_by_doc_id.csv") if r.get("measure", "per10k") == "per10k"}
    assert matrix["(all)"]["pentagon_NET"] not in ("", "nan")  # one bilingual document no longer blocks the total


# --- real documents -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["pdf_en/en_ris3_luxembourg_2014.pdf", "pdf_en/en_helsinki_uusimaa_regional_scenarios.pdf",
                                  "text_en/en_ris3_luxembourg_2014.pypdfium2.txt"])
def test_real_documents_keep_their_text_in_units(shared_dir, name):
    from textmine.inputs.extract import extract_documents

    doc = next(extract_documents(shared_dir / "corpora" / name, "real"))
    coverage, result = accounted(doc)
    assert coverage.coverage >= 0.98, coverage
    assert coverage.chars_in_units + coverage.chars_furniture == pytest.approx(coverage.chars, rel=0.01)
    assert not [u.text for u in result.units if len(u.text.strip()) <= 2 and u.text.strip().isalpha()]  # never one letter per unit


def test_pdf_headings_by_font_size(tmp_path):
    from fpdf import FPDF

    from textmine.inputs.extract import extract_documents

    body = ("The regional government supports cooperation between firms, universities and research institutes "
            "in the cluster, and it funds joint research projects of their members every year. ") * 3
    pdf = FPDF()
    pdf.add_page()
    for heading in ("Why clusters matter.", "What the region does."):  # end punctuation: a heading by its size only
        pdf.set_font("Helvetica", size=22)
        pdf.multi_cell(0, 12, heading)
        pdf.ln(4)
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, body)
        pdf.ln(4)
    path = tmp_path / "headings.pdf"
    pdf.output(str(path))
    doc = next(extract_documents(path, "h"))
    coverage, result = accounted(doc)
    assert [u.section[-1] for u in result.units] == ["Why clusters matter.", "What the region does."]
    assert all(u.text.startswith("The regional government") for u in result.units)
    assert coverage.chars_in_units + coverage.chars_furniture == coverage.chars


COLLIDING = """
scheme: demo
categories:
  - code: NET
    terms:
      en: [partner]
      zh: [联盟]
  - code: INN
    terms:
      de: [partner]
      fr: [recherche]
"""


def test_languages_are_matched_on_their_script_and_collisions_go_to_the_unit_language(tmp_path):
    from textmine.coding.lexicon import read_lexicon
    from textmine.coding.tag import Tagger

    (tmp_path / "demo.yaml").write_text(COLLIDING, encoding="utf-8")
    tagger = Tagger([read_lexicon(tmp_path / "demo.yaml")[0]])

    def codes(text, lang):
        return sorted((m.pattern.code, text[m.start:m.end]) for m in tagger.match_texts([text], [lang])[0])

    assert codes("Our partner firms build an 联盟.", "en") == [("NET", "partner"), ("NET", "联盟")]
    assert codes("Der Partner der Region.", "de") == [("INN", "Partner")]  # the same string in German and English
    assert codes("支持组建联盟 with a partner", "zh") == [("NET", "partner"), ("NET", "联盟")]  # English before German
    assert codes("La recherche avec un partner", "nl") == [("INN", "recherche"), ("NET", "partner")]  # nl has no terms
    assert codes("La recherche avec un partner", "en") == [("NET", "partner")]  # English units: English terms (and Han ones)


def test_lines_cut_mid_sentence_and_rows_of_figures_are_not_headings():
    text = ("Graph 1: Trends in budgetary allocations for research and\n\ninnovation from 2000 to 2011 in EUR million.\n\n"
            "TOTAL 4 605 4 711 4 988\n\nStaff in research grew in both sectors over the decade.\n")
    units = segment_document(document(text, "en")).units
    assert all(u.section == () for u in units)
    assert [u.text for u in units][0].startswith("Graph 1") and "TOTAL 4 605 4 711 4 988" in [u.text for u in units]
