"""Extending a shipped lexicon in one small file; `lexicon show` lists terms; `lexicon check` warns at the term's line."""

from __future__ import annotations

import io
import json

import pandas as pd
import yaml

from textmine.coding.lexicon import shipped_lexicon_paths

EXTENSION = """\
extends: pentagon
categories:
  - code: NET
    terms:
      en: [steering committee]
    exclude:
      en: [cooperation council]
  - code: GOV
    name: {en: governance}
    terms:
      en: [board of directors]
"""
TEXT = "The steering committee meets. The cooperation council meets. The board of directors meets. Cooperation grows.\n"


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _shipped(name):
    return next(p for p in shipped_lexicon_paths() if p.name == name)


def test_an_extension_adds_terms_exclusions_and_codes_to_a_shipped_scheme(textmine_cli, tmp_path):
    mine = _write(tmp_path, "mine.yaml", EXTENSION)
    document = _write(tmp_path, "doc.txt", TEXT)
    code, _, err = textmine_cli("tag", document, "--lexicon", mine, "--out", tmp_path / "with.csv", "--hits", tmp_path / "hits.csv")
    assert code == 0, err
    hits = pd.read_csv(tmp_path / "hits.csv", encoding="utf-8-sig")
    matched = set(zip(hits["code"], hits["match"].str.lower()))
    assert ("NET", "steering committee") in matched and ("GOV", "board of directors") in matched
    assert ("NET", "cooperation") in matched  # the shipped terms still apply …
    assert not any("council" in m for _, m in matched) and len(hits[hits["match"].str.lower() == "cooperation"]) == 1  # … but not inside the exclusion
    coded = pd.read_csv(tmp_path / "with.csv", encoding="utf-8-sig")
    assert "pentagon_GOV" in coded.columns and "instrument_SUP_FUND" in coded.columns  # instruments still loaded


def test_run_uses_and_records_the_extension(textmine_cli, tmp_path):
    mine = _write(tmp_path, "mine.yaml", EXTENSION)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write(corpus, "doc.txt", TEXT)
    _write(corpus, "other.txt", "The board of directors approved the plan.\n")
    code, _, err = textmine_cli("run", corpus, "--lexicon", mine, "--out", tmp_path / "out", "--workers", "2", "--no-cache", "--no-xlsx")
    assert code == 0, err
    units = pd.read_csv(tmp_path / "out" / "coded_units.csv", encoding="utf-8-sig")
    assert units["pentagon_GOV"].sum() == 2  # worker processes use the extension too
    info = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    pentagon = next(entry for entry in info["lexicons"] if entry["scheme"] == "pentagon")
    assert [e["path"] for e in pentagon["extended_by"]] == [str(mine)] and len(pentagon["extended_by"][0]["sha256"]) == 64
    code, out, _ = textmine_cli("matrix", tmp_path / "out" / "coded_units.csv", "--scheme", "pentagon")
    assert code == 0 and "pentagon_GOV" in out


def test_check_checks_an_extension_merged_with_the_scheme_at_the_term_lines(textmine_cli, tmp_path):
    text = EXTENSION + "      zh: [协同创新]\n    exclude:\n      en: [nothing to see]\n"  # GOV: a term of INN, a dead exclusion
    mine = _write(tmp_path, "mine.yaml", text)
    lines = text.splitlines()
    code, out, _ = textmine_cli("lexicon", "check", mine)
    assert code == 0  # warnings only
    reported = {int(line.split(":")[1]): line for line in out.splitlines()}
    overlap = next(n for n, line in reported.items() if "协同创新" in line)
    assert "协同创新" in lines[overlap - 1] and "also in pentagon:INN" in reported[overlap]
    nothing = next(n for n, line in reported.items() if "nothing to see" in line)
    assert "nothing to see" in lines[nothing - 1] and "excludes nothing" in reported[nothing]
    assert len(reported) == 2


def test_an_extension_of_a_scheme_that_is_not_loaded_is_an_error(textmine_cli, tmp_path):
    mine = _write(tmp_path, "mine.yaml", EXTENSION.replace("extends: pentagon", "extends: pentagonn"))
    code, out, _ = textmine_cli("lexicon", "check", mine)
    assert code == 2 and "extends: pentagonn, but no lexicon of scheme 'pentagonn' is loaded" in out
    code, _, err = textmine_cli("tag", _write(tmp_path, "doc.txt", TEXT), "--lexicon", mine)
    assert code == 2 and "pentagonn" in err


def test_a_second_file_defining_a_shipped_scheme_points_to_extends(textmine_cli, tmp_path):
    copy = _write(tmp_path, "pentagon_copy.yaml", _shipped("pentagon.yaml").read_text(encoding="utf-8"))
    code, out, _ = textmine_cli("lexicon", "check", copy)
    assert code == 2 and "scheme 'pentagon' is already defined" in out and "'extends: pentagon'" in out
    code, _, err = textmine_cli("tag", _write(tmp_path, "doc.txt", TEXT), "--lexicon", copy)
    assert code == 2 and "'extends: pentagon'" in err


def test_check_on_the_shipped_lexicons_warns_only_on_undeclared_overlaps_at_the_term_line(textmine_cli):
    code, out, _ = textmine_cli("lexicon", "check")
    assert code == 0
    warnings = [line for line in out.splitlines() if ": warning: " in line]
    assert len(warnings) < 10  # was 37: overlaps pentagon.yaml declares intentional are not warnings
    assert f"{_shipped('pentagon.yaml')}: ok" in out
    for warning in warnings:
        path, line, _ = warning.split(":", 2)
        term = warning.split("'")[1]
        assert term in open(path, encoding="utf-8").read().splitlines()[int(line) - 1], warning


def test_show_lists_the_terms_and_exclusions_of_a_code(textmine_cli):
    shipped = yaml.safe_load(_shipped("pentagon.yaml").read_text(encoding="utf-8"))
    net = next(c for c in shipped["categories"] if c["code"] == "NET")
    code, out, _ = textmine_cli("lexicon", "show", "pentagon:NET", "--lang", "zh")
    assert code == 0
    terms_line = next(line for line in out.splitlines() if line.startswith("  terms (zh"))
    assert terms_line.split(": ", 1)[1].split(", ") == net["terms"]["zh"]
    assert any(line.startswith("  exclude (zh") for line in out.splitlines())
    assert "(en" not in out
    code, out, _ = textmine_cli("lexicon", "show", "pentagon:NET", "--format", "csv")
    table = pd.read_csv(io.StringIO(out), keep_default_na=False)
    assert set(table["code"]) == {"NET"}
    for kind, key in (("term", "terms"), ("exclude", "exclude")):
        for lang, terms in net[key].items():
            listed = table[(table["kind"] == kind) & (table["lang"] == lang)]["term"].str.lstrip("'")
            assert sorted(listed) == sorted(dict.fromkeys(" ".join(t.split()) for t in terms)), (kind, lang)


def test_show_without_a_code_does_not_cut_names_and_unknown_codes_are_errors(textmine_cli, tmp_path):
    code, out, _ = textmine_cli("lexicon", "show")
    assert code == 0 and "overseas presence and international markets" in out
    code, _, err = textmine_cli("lexicon", "show", "pentagon:NETT")
    assert code == 2 and "no code or scheme 'pentagon:NETT'" in err and "NET INN" in err
    mine = _write(tmp_path, "mine.yaml", EXTENSION)
    code, out, _ = textmine_cli("lexicon", "show", "pentagon:GOV", "--lexicon", mine)
    assert code == 0 and "board of directors" in out
