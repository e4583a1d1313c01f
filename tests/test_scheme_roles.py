"""Scheme roles declared in lexicon files: a user's own scheme can be the columns of the framework table and the radar."""

from __future__ import annotations

import pytest

from textmine.coding.lexicon import SchemeRoles, load_lexicons, read_lexicon, scheme_roles, shipped_lexicon_paths
from textmine.core.errors import LexiconError

OWN = """\
scheme: vedung
version: 1
languages: [en]
roles: [columns, radar]
categories:
  - code: CARROT
    name: {en: economic means}
    terms: {en: [subsidy, grant]}
  - code: STICK
    name: {en: regulation}
    terms: {en: [regulation, ban]}
  - code: SERMON
    name: {en: information}
    terms: {en: [campaign, guidance]}
"""

DOCUMENT = """Article 1 The region supports cluster firms with a grant for joint research and development.
Article 2 A new regulation on data sharing applies to cluster members.
Article 3 A guidance campaign explains the innovation subsidy to small firms.
"""


def test_the_shipped_lexicons_declare_the_framework_and_the_radar():
    roles = scheme_roles(load_lexicons(shipped_lexicon_paths()))
    assert roles == SchemeRoles(rows="instrument", columns="pentagon", radar="pentagon")
    assert roles.framework == ("instrument", "pentagon")


def test_a_later_lexicon_takes_a_role_over_and_absent_schemes_take_none(tmp_path):
    (tmp_path / "vedung.yaml").write_text(OWN, encoding="utf-8")
    lexicons = load_lexicons([*shipped_lexicon_paths(), tmp_path / "vedung.yaml"])
    assert scheme_roles(lexicons) == SchemeRoles(rows="instrument", columns="vedung", radar="vedung")
    assert scheme_roles(lexicons, present={"pentagon", "vedung"}) == SchemeRoles(columns="vedung", radar="vedung")


def test_an_unknown_role_is_an_error_with_its_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(OWN.replace("roles: [columns, radar]", "roles: [columns, pie]"), encoding="utf-8")
    lexicon, problems = read_lexicon(path)
    assert lexicon is None or problems
    assert any(p.line == 4 and "roles" in p.message for p in problems)
    with pytest.raises(LexiconError):
        load_lexicons([path])


def test_a_users_scheme_is_the_framework_columns_and_the_radar_of_a_run(tmp_path, textmine_cli):
    (tmp_path / "vedung.yaml").write_text(OWN, encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(DOCUMENT, encoding="utf-8")
    (docs / "b.txt").write_text(DOCUMENT.replace("grant", "ban"), encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = textmine_cli("run", docs, "--out", out, "--lexicon", tmp_path / "vedung.yaml", "--workers", "1",
                                "--no-cache", "--no-xlsx", "--by", "doc_id")  # asked for: figures are drawn
    assert code == 0, err
    assert (out / "framework_instrument_vedung.csv").is_file()
    assert (out / "crosstab_instrument_vedung_units.csv").is_file()
    assert not (out / "framework_instrument_pentagon.csv").exists()
    assert (out / "figures" / "radar_vedung_by_doc_id.svg").is_file()
    assert not (out / "figures" / "radar_pentagon_by_doc_id.svg").exists()
