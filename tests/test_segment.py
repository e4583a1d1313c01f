"""Coding units: articles, items, paragraphs; ids, section paths, pages."""

import pytest
from hypothesis import given, settings, strategies as st

from textmine.units.segment import _FURNITURE, _is_furniture, chinese_number, segment
from textmine.core.types import Block, Document, Page

LAW = """# 江海市促进产业集群发展条例

## 第一章 总则

第一条 为了促进产业集群发展，制定本条例。

第二条 本条例适用于本市行政区域。

本条例所称产业集群，是指企业、高等学校和科研机构形成的产业组织形态。

## 第二章 培育发展

### 第一节 规划布局

第三条 市人民政府采取下列措施：
（一）编制产业集群发展规划；
（二）设立集群发展专项资金。

第四条 支持组建集群发展促进机构。
"""

NOTICE = """关于培育世界级先进制造业集群的实施意见
各市人民政府：
为加快培育世界级先进制造业集群，提出如下意见。
一、总体要求
（一）指导思想。坚持创新驱动，推动产业集群高质量发展。
（二）发展目标。到2025年，培育3个世界级集群。
二、重点任务
（三）构建产学研协同创新网络。支持企业联合高校组建创新联合体。
1.建设共性技术平台。支持集群建设中试基地。
2.培育集群促进机构。鼓励集群促进机构开展服务。
"""


def units_of(text, doc_id="d", pages=None, lang="zh"):
    """Units of a plain-text document (lines as in a .txt file) or of the given pages."""
    pages = pages or (Page(1, text, "plain"),)
    return list(segment(Document(doc_id, "x.txt", tuple(pages), lang)))


def test_law_articles_are_units_with_chapter_article_ids():
    units = units_of(LAW, "law")
    ids = [u.unit_id for u in units]
    assert ids == ["law-1-1", "law-1-2", "law-2-3", "law-2-3-1", "law-2-3-2", "law-2-4"]
    second = units[1]
    assert second.text.startswith("第二条") and "本条例所称产业集群" in second.text  # both paragraphs (款) of the article
    assert units[2].section == ("江海市促进产业集群发展条例", "第二章 培育发展", "第一节 规划布局")
    assert units[3].text == "（一）编制产业集群发展规划；"
    assert all(u.lang == "zh" and u.page == 1 for u in units)


def test_notice_items_paragraphs_and_headings():
    units = units_of(NOTICE, "n")
    by_id = {u.unit_id: u for u in units}
    assert by_id["n-1-1"].text.startswith("（一）指导思想")
    assert by_id["n-1-1"].section[-1] == "一、总体要求"
    assert by_id["n-2-3"].text.startswith("（三）构建产学研")
    assert by_id["n-2-3-1"].text.startswith("1.建设共性技术平台")
    assert by_id["n-2-3-2"].section[-1] == "二、重点任务"
    assert by_id["n-0-p2"].text.startswith("为加快培育")  # unnumbered paragraphs before the first part
    assert "一、总体要求" not in [u.text for u in units]  # headings are context, not units
    assert len(by_id) == len(units)


def test_english_numbered_paragraphs_wrapped_lines_and_long_paragraphs():
    sentence = "The region supports cooperation between firms and universities in the cluster. "
    text = "\n".join(
        [
            "1 Introduction",
            "",
            "1. The Commission will support world-class clusters through a",
            "new programme for cluster organisations and their members in",
            "all regions.",
            "2. Member States are invited to align their smart specialisation strategies.",
            "",
            sentence * 40,
        ]
    )
    units = units_of(text, "eu", lang="en")
    assert units[0].unit_id == "eu-1-1"
    assert units[0].text == (
        "1. The Commission will support world-class clusters through a new programme for "
        "cluster organisations and their members in all regions."
    )
    assert units[0].section == ("1 Introduction",)
    assert units[1].unit_id == "eu-1-2"
    # an unnumbered paragraph after item 2 belongs to it; being long, it is cut at sentence ends
    long_parts = units[2:]
    assert len(long_parts) >= 3 and all(len(u.text) <= 1500 for u in long_parts)
    assert all(u.text.endswith("cluster.") for u in long_parts)
    assert [u.unit_id for u in long_parts] == [f"eu-1-2-p1.{k}" for k in range(1, len(long_parts) + 1)]


def test_page_numbers_follow_units_across_pages_and_furniture_is_dropped():
    pages = (
        Page(1, "第一条 为了促进产业集群发展，\n制定本条例。\n\n第二条 本条例适用于\n- 1 -"),
        Page(2, "本市行政区域。\n\n第三条 鼓励产学研合作。\n2 / 3"),
    )
    units = units_of("", pages=pages)
    assert [(u.unit_id, u.page) for u in units] == [("d-0-1", 1), ("d-0-2", 1), ("d-0-3", 2)]
    second = units[1]
    assert second.text == "第二条 本条例适用于本市行政区域。"
    assert second.page_breaks == ((len("第二条 本条例适用于"), 2),)
    assert second.page_at(0) == 1 and second.page_at(len(second.text) - 1) == 2
    assert not any(u.text.strip("-/ 0123456789") == "" for u in units)


def test_tables_of_contents_are_not_units():
    text = "Table of Contents\n1. Introduction 2\n2. Innovation in the region 3\n\n1. Introduction\nThe strategy builds on regional strengths in innovation and cooperation.\n"
    units = units_of(text, "t", lang="en")
    assert [u.text for u in units] == ["The strategy builds on regional strengths in innovation and cooperation."]
    assert units[0].section == ("1. Introduction",)


def test_blocks_with_heading_styles():
    blocks = (
        Block("Action plan", None, "heading1"),
        Block("Goals", None, "heading2"),
        Block("• Double the number of joint research projects between members."),
        Block("• Attract 20 international talents."),
    )
    document = Document("ap", "ap.docx", (Page(1, "", "plain"),), "en", blocks=blocks)
    units = list(segment(document))
    assert [u.text for u in units] == [
        "Double the number of joint research projects between members.",
        "Attract 20 international talents.",
    ]
    assert units[0].section == ("Action plan", "Goals")
    assert len({u.unit_id for u in units}) == 2


def test_unit_ids_are_unique_and_stable_on_real_documents(sample_dir):
    from textmine.inputs.corpus import find_inputs
    from textmine.inputs.extract import extract_documents

    for item in find_inputs([sample_dir]).files:
        document = next(extract_documents(item.path, item.doc_id))
        first = [u.unit_id for u in segment(document)]
        again = [u.unit_id for u in segment(document)]
        assert first == again and len(set(first)) == len(first), item.path.name
        assert all(uid.startswith(item.doc_id + "-") for uid in first)


@pytest.mark.parametrize("token, value", [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("三十五", 35), ("一百零五", 105), ("两", 2), ("12", 12)])
def test_chinese_numbers(token, value):
    assert chinese_number(token) == value


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet="pPaAgGeEoOfF0123456789１٣.-—–<!>/ 中文，。·…_\u00a0\u212a\u017f", max_size=16))
def test_lines_passed_over_by_the_furniture_check_are_those_its_pattern_rejects(line):
    assert _is_furniture(line) == bool(_FURNITURE.match(line))
