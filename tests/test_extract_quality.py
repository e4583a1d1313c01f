"""Judging text layers (unmapped fonts, mojibake, garbage) and joining lines (CJK, hyphens)."""

from __future__ import annotations

import json

import pytest

from textmine.inputs.extract.quality import assess, recover_gbk_mojibake, word_score
from textmine.core.normalize import append_line, join_lines

ENGLISH = ("The programme sets out how the Region of Vellmark will support its industrial clusters "
           "between 2021 and 2027. It builds on the regional smart specialisation strategy.")
CHINESE = "第一条　为了培育具有国际竞争力的先进制造业集群，推动产业链、创新链、资金链和人才链深度融合，制定本办法。"


@pytest.mark.parametrize("text", [ENGLISH, CHINESE, "Contents\nFOREWORD....................4\n1. SUMMARY.........6\n" * 5,
                                  "Café crème, naïve résumé à la façon déjà vu, Übergröße für Straße und Öl. " * 2])
def test_ordinary_text_is_usable_as_it_is(text):
    verdict = assess(text)
    assert (verdict.status, verdict.text, verdict.warning) == ("ok", text, "")


def test_glyphs_without_unicode_make_a_page_unusable():
    pdfium_codes = "\x01\x02\x03\x04\x05\x06\x07\x04\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14"
    assert assess(pdfium_codes).status == "unmapped"
    assert assess("(cid:12)(cid:7)(cid:33)(cid:12) (cid:9)").status == "unmapped"
    assert assess("\ue012\ue013\ue014\ue015 \ue016").status == "unmapped"


def test_a_few_unmapped_glyphs_are_a_warning_not_a_failure():
    verdict = assess(ENGLISH + " \ufffd\ufffd\ufffd\ufffd")
    assert verdict.status == "ok" and "without a Unicode mapping" in verdict.warning


def test_a_failed_ocr_layer_is_garbage(data_dir):
    junk = "\n".join(json.loads((data_dir / "expected.json").read_text(encoding="utf-8"))
                     ["en_garbage_text_layer.pdf"]["garbage_text_layer"])
    assert assess(junk).status == "garbage"
    assert word_score(junk)[0] < 0.5 < word_score(ENGLISH)[0]


def test_gbk_read_as_latin1_is_decoded():
    mojibake = "关于开展产业集群发展情况调查的通知".encode("gbk").decode("latin-1")
    assert recover_gbk_mojibake(mojibake) == "关于开展产业集群发展情况调查的通知"
    verdict = assess(mojibake)
    assert verdict.text == "关于开展产业集群发展情况调查的通知" and "GBK" in verdict.warning


def test_pdfium_soft_hyphen_and_spaces_inside_gbk_characters_are_undone():
    raw = "江海市".encode("gbk").decode("latin-1")  # 江 is BD AD: PDFium shows the 0xAD byte as "-"
    assert recover_gbk_mojibake(raw.replace("\xad", "-").replace("º", "º ")) == "江海市"


def test_latin_text_is_not_taken_for_mojibake():
    assert recover_gbk_mojibake("Düsseldorf, Köln und Münster: Förderung für Cluster") is None


@pytest.mark.parametrize("lines, joined", [
    (["推动产业链上下游", "协同发展"], "推动产业链上下游协同发展"),
    (["力争到", "2027年培育两个以上国家级集群"], "力争到2027年培育两个以上国家级集群"),
    (["国家级专精特新“小巨人”", "企业六十家"], "国家级专精特新“小巨人”企业六十家"),
    (["joint research and innova-", "tion projects"], "joint research and innovation projects"),
    (["joint research and innova\x02", "tion projects"], "joint research and innovation projects"),
    (["joint research and innova\ufffe", "tion projects"], "joint research and innovation projects"),
    (["The Future Review of Helsinki\ufffe", "Uusimaa Regional Council"], "The Future Review of Helsinki-Uusimaa Regional Council"),
    (["COVID-", "19 measures"], "COVID-19 measures"),
    (["techno-\r\n", "logical innovation\r\n"], "technological innovation"),
    (["a soft\u00ad", "hyphen"], "a softhyphen"),
    (["support for", "clusters"], "support for clusters"),
    (["Part I -", "Objectives"], "Part I - Objectives"),
])
def test_lines_join_as_a_reader_would(lines, joined):
    assert join_lines(lines) == joined


def test_append_line_ignores_empty_lines():
    assert append_line("集群", "   ") == "集群" and append_line("", " 集群 ") == "集群"
