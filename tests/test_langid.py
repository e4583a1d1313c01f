import pytest
from hypothesis import given, settings, strategies as st

from textmine.core.languages import detect_lang, scripts, scripts_of, uses_characters


@pytest.mark.parametrize(
    "text, lang",
    [
        ("第一条 为了促进产业集群发展，加强产学研合作，制定本条例。", "zh"),
        ("第一條 為了促進產業聚落發展，加強產學研合作，制定本方案。", "zh"),
        ("The cluster organisation supports cooperation between firms and universities in the region.", "en"),
        ("Die Clusterstrategie des Landes fördert die Zusammenarbeit von Unternehmen und Hochschulen.", "de"),
        ("Les pôles de compétitivité réunissent des entreprises, des laboratoires et des établissements.", "fr"),
        ("クラスター政策は地域のイノベーションを促進する。", "ja"),
        ("클러스터 정책은 지역 혁신을 촉진한다.", "ko"),
        ("Table 1", ""),
        ("术语和定义的说明 Terms", "zh"),  # most letters are Han
        ("术语定义 Terms and Definitions", ""),  # mostly Latin: never Chinese, too short to tell which
    ],
)
def test_detect_lang(text, lang):
    assert detect_lang(text) == lang


def test_characters_or_words():
    assert uses_characters("zh") and uses_characters("ja")
    assert not uses_characters("en") and not uses_characters("ko")


# characters of every script scripts() tells apart, their range edges, and others (punctuation, digits, astral Han)
_SCRIPT_CHARS = "aZzé×ÿɏɐ中龥㐀䶿豈\ufaffあアーㇰ가힣\u3000，。1１ \n\x00\U00020000\U0001F600"


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.text(alphabet=_SCRIPT_CHARS, max_size=40), max_size=12))
def test_scripts_counted_together_are_each_texts_own_counts(texts):
    assert scripts_of(texts) == [scripts(text) for text in texts]
