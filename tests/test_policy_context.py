"""policy_only terms count only in units that state a policy (a policy cue of their lexicon matches)."""

import textwrap

import pytest

from textmine.coding.lexicon import check_lexicon, lexicon_to_yaml, read_lexicon
from textmine.coding.tag import Tagger

LEXICON = """
scheme: demo
policy_cues:
  en: [will, should, "encourag*"]
  zh: [应当, 鼓励]
categories:
  - code: INN
    terms:
      en: [R&D]
      zh: [研发]
    policy_only:
      en: [research, "innovat*"]
      zh: [标准]
    exclude:
      en: [research service]
  - code: NET
    terms:
      en: [network]
"""


@pytest.fixture
def demo(tmp_path):
    path = tmp_path / "demo.yaml"
    path.write_text(textwrap.dedent(LEXICON), encoding="utf-8")
    lexicon, problems = read_lexicon(path)
    assert lexicon is not None, problems
    return lexicon


def found(lexicon, text, lang):
    return [(m.pattern.code, text[m.start : m.end]) for m in Tagger([lexicon]).match_texts([text], [lang])[0]]


def test_policy_only_terms_count_with_a_cue_and_not_without(demo):
    assert found(demo, "We analysed research output and innovation indicators.", "en") == []
    assert found(demo, "The region will fund research and innovation.", "en") == [("INN", "research"), ("INN", "innovation")]
    assert found(demo, "电池容量标准为3000毫安时。", "zh") == []
    assert found(demo, "应当制定行业标准。", "zh") == [("INN", "标准")]


def test_cues_code_nothing_and_plain_terms_need_no_cue(demo):
    assert found(demo, "We will meet.", "en") == []
    assert found(demo, "Firms spend on R&D in a network.", "en") == [("INN", "R&D"), ("NET", "network")]


def test_exclusions_apply_to_policy_only_terms(demo):
    assert found(demo, "The region will offer a research service.", "en") == []


def test_a_cue_counts_for_the_whole_unit_but_not_for_other_units(demo):
    texts = ["Research is growing.", "We encourage research."]
    result = Tagger([demo]).match_texts(texts, ["en", "en"])
    assert [[m.pattern.term for m in unit] for unit in result] == [[], ["research"]]


def test_policy_only_terms_without_cues_are_reported(tmp_path):
    path = tmp_path / "nocues.yaml"
    path.write_text("scheme: x\ncategories:\n  - code: A\n    terms: {en: [a1]}\n    policy_only: {en: [research]}\n", encoding="utf-8")
    warnings = [str(p) for p in check_lexicon(path)]
    assert any("policy_only terms (en) never count" in w for w in warnings)


def test_yaml_round_trip_keeps_policy_only_and_cues(demo, tmp_path):
    path = tmp_path / "again.yaml"
    path.write_text(lexicon_to_yaml(demo), encoding="utf-8")
    again, problems = read_lexicon(path)
    assert again.category("INN").policy_only == demo.category("INN").policy_only
    assert again.policy_cues == demo.policy_cues


@pytest.mark.parametrize("text, lang, absent", [
    ("In this report we analyse research and innovation output by country and field of science.", "en", "INN"),
    ("Figure 3 shows the distribution of funded projects by funder and research cluster.", "en", "INN"),
    ("电池的容量标准为3000毫安时，监测温度为25摄氏度。", "zh", "ENV.REG"),
])
def test_shipped_lexicons_leave_statements_without_policy_uncoded(tagger, text, lang, absent):
    codes = {m.pattern.code for m in tagger.match_texts([text], [lang])[0]}
    assert absent not in codes


@pytest.mark.parametrize("text, lang, present", [
    ("The region will fund research and innovation in SMEs.", "en", "INN"),
    ("Regional partners should build a test bed and a living lab for autonomous shipping.", "en", "DEM.PILOT"),
    ("政府应当组织制定行业标准。", "zh", "ENV.REG"),
])
def test_shipped_lexicons_code_statements_of_policy(tagger, text, lang, present):
    codes = {m.pattern.code for m in tagger.match_texts([text], [lang])[0]}
    assert present in codes


def test_lexicon_show_counts_policy_only_terms(tmp_path, textmine_cli):
    path = tmp_path / "demo.yaml"
    path.write_text(textwrap.dedent(LEXICON), encoding="utf-8")
    code, out, _ = textmine_cli("lexicon", "show", path)
    inn = next(line for line in out.splitlines() if "demo_INN" in line)
    assert code == 0 and "3 policy-only" in inn and "1 exclusions" in inn


def test_an_extension_adds_policy_only_terms_to_a_shipped_scheme(tmp_path):
    from textmine.coding.lexicon import resolve_lexicons

    path = tmp_path / "more.yaml"
    path.write_text("extends: pentagon\ncategories:\n  - code: INN\n    policy_only: {en: [digitalisation]}\n", encoding="utf-8")
    lexicons = resolve_lexicons([path])
    tagger = Tagger(lexicons)
    texts = ["Digitalisation grew by 3% a year.", "The region will promote digitalisation."]
    found = [{m.pattern.code for m in unit} for unit in tagger.match_texts(texts, ["en", "en"])]
    assert "INN" not in found[0] and "INN" in found[1]
