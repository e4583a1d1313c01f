import pytest

from textmine.core.languages import detect_lang, uses_characters


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
