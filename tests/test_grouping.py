"""One default grouping for run, report, plot, matrix and terms, printed by each; tag's labelled code groups."""

from __future__ import annotations

import re

import pytest

from analysis_support import read_csv, sample_results
from textmine.analysis.grouping import choose_grouping

DEFAULT_NOTE = "grouped by country (the default: the first of country, region"


@pytest.fixture(autouse=True)
def no_configured_default(monkeypatch):
    monkeypatch.delenv("TEXTMINE_BY", raising=False)


@pytest.fixture(scope="module")
def results():
    return sample_results()


@pytest.fixture(scope="module")
def without_places(results, tmp_path_factory):
    """The sample's coded units without country and region: the default falls back to documents."""
    frame = read_csv(results / "coded_units.csv").drop(columns=["country", "region"])
    path = tmp_path_factory.mktemp("noplaces") / "coded.csv"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def test_the_rule_by_option_then_configured_then_first_place_column_then_documents(monkeypatch):
    columns = ["doc_id", "region", "level", "country"]
    assert choose_grouping(["level"], columns).by == ("level",)
    assert choose_grouping([], columns).by == ("country",)  # country comes before region in the rule
    assert choose_grouping([], ["doc_id", "region", "level"]).by == ("region",)
    assert choose_grouping([], ["doc_id", "level"]).by == ("doc_id",)
    monkeypatch.setenv("TEXTMINE_BY", "level")
    assert choose_grouping([], columns).by == ("level",)
    assert "TEXTMINE_BY" in choose_grouping([], columns).describe()
    assert choose_grouping([], ["doc_id", "region"]).by == ("region",)  # configured column absent: the rule goes on


def test_run_prints_the_grouping_it_used(textmine_cli, sample_dir, tmp_path):
    document = sample_dir / "fr_poles_competitivite_feuille_de_route_2019.txt"
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / document.name).write_bytes(document.read_bytes())
    code, _, err = textmine_cli("run", folder, "--out", tmp_path / "out", "--workers", "1", "--no-cache", "--no-xlsx")
    assert code == 0, err
    assert "grouped by doc_id (the default: the data has none of country" in err
    (folder / "metadata.csv").write_text(f"file,level,region\n{document.name},national,Paris\n", encoding="utf-8")
    code, _, err = textmine_cli("run", folder, "--out", tmp_path / "out2", "--workers", "1", "--no-cache", "--no-xlsx")
    assert code == 0, err
    assert "grouped by region (the default: the first of country, region" in err
    assert (tmp_path / "out2" / "matrix_pentagon_by_region.csv").is_file()


@pytest.mark.parametrize("command", ["matrix", "plot", "report", "terms"])
def test_commands_without_by_use_the_same_default_and_say_so(textmine_cli, results, tmp_path, command):
    coded = results / "coded_units.csv"
    args = {"matrix": ["--out", tmp_path / "m.csv"], "plot": ["--kind", "radar", "--out", tmp_path / "r.svg"],
            "report": ["--out", tmp_path / "report", "--no-xlsx"], "terms": ["--min-freq", "3", "--out", tmp_path / "terms"]}
    code, _, err = textmine_cli(command, coded, *args[command])
    assert code == 0, err
    assert DEFAULT_NOTE in err
    written = {"matrix": tmp_path / "m.csv", "plot": tmp_path / "r.svg",
               "report": tmp_path / "report" / "matrix_pentagon_by_country.csv",
               "terms": tmp_path / "terms" / "terms_keyness_by_country.csv"}[command]
    assert written.is_file()
    if command == "matrix":
        assert list(read_csv(written)["country"][:2]) == ["CN", "DE"]


def test_without_place_columns_every_command_groups_by_document(textmine_cli, without_places, tmp_path):
    code, out, err = textmine_cli("matrix", without_places, "--scheme", "pentagon")
    assert code == 0 and "grouped by doc_id" in err
    assert out.splitlines()[0].split()[0] == "doc_id"


def test_terms_without_by_groups_by_document_and_lists_frequent_terms(textmine_cli, without_places):
    code, out, err = textmine_cli("terms", without_places, "--min-freq", "3")
    assert code == 0, err
    assert "grouped by doc_id" in err
    lines = out.splitlines()
    frequent = lines[lines.index(next(l for l in lines if l.startswith("Most frequent terms"))) + 1]
    assert re.search(r"集群 \d+", frequent) and re.search(r"cluster \d+", frequent)
    assert any(line.startswith("  fr_poles_competitivite_feuille_de_route_2019: ") for line in lines)  # keyness per doc_id


def test_tag_labels_the_code_groups_by_scheme_in_a_fixed_order(textmine_cli, sample_dir):
    code, out, _ = textmine_cli("tag", sample_dir / "zh_jianghai_cluster_regulation_2023.pdf")
    assert code == 0
    labels = [line.split("  ", 2)[-1] for line in out.splitlines() if line.startswith("zh_jianghai_cluster_regulation_2023-")]
    both = [label for label in labels if "|" in label]
    assert len(both) >= 5
    assert all(re.fullmatch(r"pentagon: [A-Z. ]+ \| instrument: [A-Z. ]+", label) for label in both), both
    assert all(label.startswith(("pentagon: ", "instrument: ")) for label in labels)
    summary = [line.strip().split(":")[0] for line in out.splitlines()[1:3]]
    assert summary == ["pentagon", "instrument"]
