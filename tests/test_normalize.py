import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textmine.core.normalize import append_line, join_lines, matching_view, to_simplified


@pytest.mark.parametrize(
    "text, expected",
    [
        ("產業集群促進組織", "产业集群促进组织"),
        ("推 动 产 业 集 群", "推动产业集群"),
        ("ＡＢＣ　１２３", "abc 123"),
        ("Cluster\n   Organisations", "cluster organisations"),
        ("innova-\ntion", "innovation"),
        ("innova\ufffe\ntion", "innovation"),
        ("合作\u3000共享", "合作共享"),
        ("soft\u00adware", "software"),
        ("5G 基站", "5g 基站"),  # a space between Latin and CJK stays
    ],
)
def test_matching_view_normalises_for_matching(text, expected):
    assert matching_view(text).text == expected


@pytest.mark.parametrize("text", ["產業 集群", "ＲＥＳＥＡＲＣＨ  and\ninnova-\ntion", "a\u200bb  c", "𠀀 𠀁 x"])
def test_matching_view_offsets_point_at_the_original_characters(text):
    view = matching_view(text)
    assert len(view.offsets) == len(view.text) + 1
    assert view.offsets[-1] == len(text)
    for i, char in enumerate(view.text):
        original = text[view.offsets[i]]
        assert matching_view(original).text in (char, " ") or original.isspace()


_pieces = st.sampled_from(["产业", "集群", "產學研", " ", "\n", "　", "Ｃｌｕｓｔｅｒ", "cluster", "-\n", "，", "X", "\u00ad"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_pieces, max_size=12).map("".join))
def test_matching_view_span_maps_back_inside_the_text(text):
    view = matching_view(text)
    assert list(view.offsets) == sorted(view.offsets)
    for start in range(len(view.text)):
        begin, end = view.span(start, start + 1)
        assert 0 <= begin < end <= len(text)


def test_simplified_text_is_returned_unchanged():
    text = "培育世界级先进制造业集群"
    assert to_simplified(text) == text
    assert to_simplified("世界級") == "世界级"


@pytest.mark.parametrize(
    "lines, expected",
    [
        (["推动产业", "集群发展"], "推动产业集群发展"),
        (["support for innova-", "tion and growth"], "support for innovation and growth"),
        (["cross-", "Border cooperation"], "cross-Border cooperation"),  # before a capital the hyphen is real
        (["到", "2027年"], "到2027年"),  # Chinese lines break anywhere
        (["the cluster", "organisation"], "the cluster organisation"),
        (["innova\ufffe", "tion"], "innovation"),
        (["  第一条  ", "", "为了促进"], "第一条为了促进"),
    ],
)
def test_join_lines(lines, expected):
    assert join_lines(lines) == expected


def test_append_line_adds_no_space_at_a_chinese_line_break():
    assert append_line("建设5G", "基站") == "建设5G基站"
    assert append_line("the cluster", "organisation") == "the cluster organisation"
