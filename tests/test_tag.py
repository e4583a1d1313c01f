"""Lexicon matching: segmentation-free Chinese, English word rules, overlaps, exclusions, offsets."""

import textwrap

import jieba
import pytest

from textmine.coding.lexicon import read_lexicon
from textmine.coding.tag import Tagger, inflections, term_forms
from textmine.core.types import Unit

LEXICON = """
scheme: demo
categories:
  - code: NET
    terms:
      zh: [产学研合作, 协同创新, 合作, 5G]
      en: [cooperation network, "collaborat*", network, cluster, centre of excellence, spin-off]
    exclude:
      zh: [合作社]
      en: [network infrastructure]
  - code: INN
    terms:
      zh: [技术创新, 创新, 关税]
      en: [innovation, R&D, art, transfer]
    exclude:
      zh: [有关税]
  - code: TAX
    terms:
      zh: [税收]
"""
OTHER = """
scheme: other
categories:
  - code: FIN
    terms:
      zh: [协同]
      en: [network]
"""


@pytest.fixture(scope="module")
def demo_tagger(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lex")
    (folder / "demo.yaml").write_text(textwrap.dedent(LEXICON), encoding="utf-8")
    (folder / "other.yaml").write_text(textwrap.dedent(OTHER), encoding="utf-8")
    lexicons = [read_lexicon(folder / name)[0] for name in ("demo.yaml", "other.yaml")]
    return Tagger(lexicons)


def found(tagger, text, lang):
    return [(m.pattern.scheme, m.pattern.code, text[m.start : m.end]) for m in tagger.match_texts([text], [lang])[0]]


def test_chinese_terms_match_where_word_segmentation_splits_them(demo_tagger):
    text = "鼓励企业深化产学研合作"
    tokens = jieba.lcut(text)
    assert "产学研合作" not in tokens  # a token-based matcher would miss the term here
    assert ("demo", "NET", "产学研合作") in found(demo_tagger, text, "zh")


def test_traditional_spaced_and_full_width_text_matches_with_offsets_into_the_original(demo_tagger):
    text = "推動產 學 研合作與Ｒ＆Ｄ"
    hits = found(demo_tagger, text, "zh")
    assert ("demo", "NET", "產 學 研合作") in hits


def test_leftmost_longest_within_a_scheme_and_schemes_overlap_independently(demo_tagger):
    hits = found(demo_tagger, "推进技术创新和协同创新", "zh")
    assert ("demo", "INN", "技术创新") in hits
    assert not any(match == "创新" for _, _, match in hits)  # shorter terms inside longer ones do not count again
    assert ("demo", "NET", "协同创新") in hits
    assert ("other", "FIN", "协同") in hits  # another scheme is matched independently


def test_exclusion_removes_only_its_own_code_and_frees_overlapping_terms(demo_tagger):
    hits = found(demo_tagger, "完善有关税收制度", "zh")
    assert ("demo", "INN", "关税") not in hits
    assert ("demo", "TAX", "税收") in hits
    assert found(demo_tagger, "扶持农民合作社", "zh") == []
    en = found(demo_tagger, "network infrastructure and a cooperation network", "en")
    assert ("demo", "NET", "cooperation network") in en
    assert ("other", "FIN", "network") in en  # the exclusion belongs to demo NET only
    assert not any(code == "NET" and match == "network" for _, code, match in en)


def test_latin_terms_in_chinese_text_match_next_to_chinese_characters(demo_tagger):
    assert ("demo", "NET", "5G") in found(demo_tagger, "加快建设5G基站", "zh")
    assert ("demo", "NET", "5G") not in found(demo_tagger, "型号A5G7", "zh")


@pytest.mark.parametrize(
    "text, match",
    [
        ("Clusters collaborate", "Clusters"),
        ("CLUSTERING of firms", "CLUSTERING"),
        ("firms collaborated closely", "collaborated"),
        ("two centres of excellence", "centres of excellence"),
        ("university spin-offs", "spin-offs"),
        ("technology transferred", "transferred"),
        ("R&D spending", "R&D"),
    ],
)
def test_english_matches_inflections_and_globs(demo_tagger, text, match):
    assert match in [m for _, _, m in found(demo_tagger, text, "en")]


@pytest.mark.parametrize("text", ["a startup starts", "the partnership", "artificial"])
def test_english_matches_whole_words_only(demo_tagger, text):
    assert not any(m.lower().startswith("art") for _, _, m in found(demo_tagger, text, "en"))


def test_inflections():
    assert {"cluster", "clusters", "clustered", "clustering"} <= inflections("cluster")
    assert {"policies", "policy"} <= inflections("policy")
    assert "innovating" in inflections("innovate")
    assert "planning" in inflections("plan")
    assert ("cooperation networks", "word") in term_forms("cooperation network", "en")
    assert term_forms("Netzwerk", "de") == [("netzwerk", "word")]


def test_tagging_many_units_at_once_equals_tagging_each_alone(tagger, sample_dir):
    from textmine.inputs.corpus import find_inputs
    from textmine.inputs.extract import extract_documents
    from textmine.units.segment import segment

    units = []
    for item in find_inputs([sample_dir]).files:
        if item.path.suffix in (".txt", ".html"):
            for document in extract_documents(item.path, item.doc_id):
                units.extend(segment(document))
    assert len(units) > 50
    together = {u.unit_id: codes for u, codes in tagger.tag(units)}
    for unit in units[::7]:
        alone = next(iter(tagger.tag([unit])))[1]
        assert alone == together[unit.unit_id]
    assert sum(len(c) for c in together.values()) > 100


def test_codes_record_offsets_into_the_unit_text_and_the_page(tagger):
    unit = Unit("d", "d-0-p1", "第一條 加強產學研合作。\nThe cluster organisation", 3, (), "zh", page_breaks=((13, 4),))
    codes = next(iter(tagger.tag([unit])))[1]
    assert codes, "the shipped lexicon codes 產學研合作"
    for code in codes:
        assert 0 <= code.start < code.end <= len(unit.text)
        assert code.page == (4 if code.start >= 13 else 3)
        assert code.source == "lexicon" and code.term
