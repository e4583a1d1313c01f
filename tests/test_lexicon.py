"""Lexicon files: the native format, validation with locations, quanteda and LIWC importers."""

import textwrap

import pytest
import yaml

from textmine.core.errors import LexiconError
from textmine.coding.lexicon import check_lexicon, lexicon_to_yaml, load_lexicons, read_lexicon

GOOD = """\
scheme: nato
version: 2
groups:
  N: {en: nodality}
categories:
  - code: N.INFO
    name: {en: information, zh: 信息}
    terms:
      en: [information campaign, "publicis*"]
      zh: [宣传]
  - code: T
    name: treasure
    terms:
      en: [grant, subsidy]
"""


def write(tmp_path, text, name="lex.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_native_lexicon_is_read(tmp_path):
    lexicon, problems = read_lexicon(write(tmp_path, GOOD))
    assert [p for p in problems if p.severity == "error"] == []
    assert lexicon.scheme == "nato" and lexicon.version == "2"
    assert lexicon.codes == ["N.INFO", "T"]
    assert lexicon.columns == ["nato_N_INFO", "nato_T"]
    assert lexicon.category("N.INFO").terms["en"] == ("information campaign", "publicis*")
    assert lexicon.category("T").name() == "treasure"


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("scheme: x\ncategories:\n  - code: A\n    terms: {en: [a, b}\n", 4, "YAML syntax error"),
        ("scheme: x\ncategories:\n  - code: A\n    termz: {en: [abc]}\n", 4, "unknown key 'termz'"),
        ("scheme: x\ncategories:\n  - code: 1A\n    terms: {en: [abc]}\n", 3, "invalid code"),
        ("scheme: x\ncategories:\n  - code: A\n    terms: {en: [ab*c]}\n", 4, "wildcards"),
        ("scheme: x\ncategories:\n  - code: A\n    terms: {zh: [集群*]}\n", 4, "Chinese terms"),
        ("scheme: x\ncategories:\n  - code: A\n    terms: {english: [abc]}\n", 4, "not an ISO 639-1"),
        ("scheme: x\ncategories:\n  - code: A\n    terms: {en: [abc]}\n  - code: A\n    terms: {en: [xyz]}\n", 5, "duplicate code A"),
        ("scheme: x\ncategories:\n  - code: A\n    terms: {en: ['']}\n", 4, "empty"),
        ("scheme: my scheme\ncategories: []\n", 1, "'scheme' must be"),
    ],
)
def test_problems_are_reported_with_their_line(tmp_path, text, line, message):
    problems = [p for p in check_lexicon(write(tmp_path, text)) if p.severity == "error"]
    assert problems, "an error was expected"
    assert any(p.line == line and message in p.message for p in problems), [str(p) for p in problems]


def test_every_problem_is_collected_before_failing(tmp_path):
    text = "scheme: x\ncategories:\n  - code: A\n    terms: {en: [a*b]}\n  - code: B\n    terms: {xx1: [b]}\n"
    path = write(tmp_path, text)
    errors = [p for p in check_lexicon(path) if p.severity == "error"]
    assert {p.line for p in errors} == {4, 6}
    with pytest.raises(LexiconError) as raised:
        load_lexicons([path])
    assert "lex.yaml:4" in str(raised.value) and len(raised.value.problems) == 2


def test_warnings_do_not_stop_loading(tmp_path):
    text = "scheme: x\ncategories:\n  - code: A\n    terms: {en: [grant]}\n    exclude: {en: [other thing]}\n  - code: B\n    terms: {en: [grant]}\n"
    path = write(tmp_path, text)
    warnings = [p.message for p in check_lexicon(path) if p.severity == "warning"]
    assert any("excludes nothing" in w for w in warnings)
    assert any("'grant'" in w and "A" in w and "B" in w for w in warnings)
    assert load_lexicons([path])[0].codes == ["A", "B"]


def test_two_files_with_the_same_scheme_are_refused(tmp_path):
    first, second = write(tmp_path, GOOD, "a.yaml"), write(tmp_path, GOOD, "b.yaml")
    with pytest.raises(LexiconError, match="already defined"):
        load_lexicons([first, second])


def test_quanteda_dictionary_is_imported(tmp_path):
    text = """\
    policy:
      supply: [subsid*, grant]
      demand: [procurement, 采购]
    trust: [trust, 诚信]
    """
    lexicon, problems = read_lexicon(write(tmp_path, text, "my dict.yml"), default_lang="en")
    assert not [p for p in problems if p.severity == "error"]
    assert lexicon.scheme == "mydict"
    assert lexicon.codes == ["policy.supply", "policy.demand", "trust"]
    assert lexicon.category("policy.demand").terms == {"en": ("procurement",), "zh": ("采购",)}


def test_liwc_dictionary_is_imported_and_its_errors_located(tmp_path):
    text = "%\n1\tNET\n2\tINN\n%\ncluster*\t1\ninnovat*\t2\n联盟\t1 2\nbad\t3\n"
    path = write(tmp_path, text, "pent.dic")
    lexicon, problems = read_lexicon(path, default_lang="en")
    assert lexicon is None
    assert [(p.line, "category 3" in p.message) for p in problems if p.severity == "error"] == [(8, True)]
    path.write_text(text.replace("bad\t3\n", ""), encoding="utf-8")
    lexicon, problems = read_lexicon(path, default_lang="en")
    assert lexicon.category("NET").terms == {"en": ("cluster*",), "zh": ("联盟",)}
    assert lexicon.category("INN").terms == {"en": ("innovat*",), "zh": ("联盟",)}


def test_lexicon_yaml_round_trip(tmp_path):
    lexicon, _ = read_lexicon(write(tmp_path, GOOD))
    again = write(tmp_path, lexicon_to_yaml(lexicon), "again.yaml")
    copy, problems = read_lexicon(again)
    assert not [p for p in problems if p.severity == "error"]
    assert copy.categories == lexicon.categories and copy.groups == lexicon.groups
    assert yaml.safe_load(again.read_text(encoding="utf-8"))["scheme"] == "nato"


def test_shipped_lexicons_cover_both_schemes(lexicons):
    assert {lex.scheme for lex in lexicons} == {"pentagon", "instrument"}
