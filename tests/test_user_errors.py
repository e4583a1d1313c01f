"""What used to succeed silently now says what is wrong: unknown codes, empty folders, unmatched metadata, tag FOLDER."""

from __future__ import annotations

import shutil

import pytest


@pytest.mark.parametrize("pattern, expected", [
    ("NETT", "'NETT' is not a code"),
    ("pentagon:NETT", "no code 'NETT' in pentagon"),
    ("nato:N", "no scheme 'nato'"),
    ("pentagon_NETT", "'pentagon_NETT' is not a code"),
])
def test_kwic_with_a_code_that_does_not_exist_is_an_error_listing_the_codes(textmine_cli, sample_dir, pattern, expected):
    code, out, err = textmine_cli("kwic", pattern, sample_dir / "fr_poles_competitivite_feuille_de_route_2019.txt")
    assert code == 2 and out == ""
    assert expected in err and len(err.strip().splitlines()) == 1
    assert "NET" in err and "pentagon" in err  # the valid codes or schemes are listed


def test_kwic_still_searches_words_and_real_codes(textmine_cli, sample_dir):
    text = sample_dir / "en_eu_communication_world_class_clusters_2016.txt"
    code, out, _ = textmine_cli("kwic", "pentagon:NET", text, "--limit", "2")
    assert code == 0 and len(out.splitlines()) == 2
    code, out, _ = textmine_cli("kwic", "cluster", text, "--limit", "2")
    assert code == 0 and len(out.splitlines()) == 2


def test_an_empty_folder_is_an_error(textmine_cli, tmp_path):
    empty = tmp_path / "corpus"
    empty.mkdir()
    code, _, err = textmine_cli("run", empty, "--out", tmp_path / "out", "--workers", "1", "--no-cache")
    assert code == 2 and f"no documents to read in {empty}" in err
    assert not (tmp_path / "out").exists()
    (empty / "notes.odt").write_bytes(b"x")
    code, _, err = textmine_cli("run", empty, "--out", tmp_path / "out", "--workers", "1", "--no-cache")
    assert code == 2 and "notes.odt" in err


def _corpus(sample_dir, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("fr_poles_competitivite_feuille_de_route_2019.txt", "de_oberwald_clusterstrategie_2020.txt"):
        shutil.copy(sample_dir / name, folder / name)
    return folder


def test_a_metadata_row_matching_no_document_is_named_in_a_warning(textmine_cli, sample_dir, tmp_path):
    folder = _corpus(sample_dir, tmp_path)
    (folder / "metadata.csv").write_text(
        "file,country\nfr_poles_competitivite_feuille_de_route_2019.txt,FR\nde_oberwald_clusterstrategie_2020.pdf,DE\n",
        encoding="utf-8")
    code, _, err = textmine_cli("run", folder, "--out", tmp_path / "out", "--workers", "1", "--no-cache", "--no-xlsx")
    assert code == 0, err
    warnings = [line for line in err.splitlines() if "warning:" in line]
    assert len(warnings) == 1 and "'de_oberwald_clusterstrategie_2020.pdf' matches no input file" in warnings[0]


def test_metadata_xlsx_gets_a_hint_to_save_it_as_csv(textmine_cli, sample_dir, tmp_path):
    import pandas as pd

    folder = _corpus(sample_dir, tmp_path)
    pd.DataFrame({"file": ["fr_poles_competitivite_feuille_de_route_2019.txt"], "country": ["FR"]}).to_excel(
        folder / "metadata.xlsx", index=False)
    code, _, err = textmine_cli("run", folder, "--out", tmp_path / "out", "--workers", "1", "--no-cache", "--no-xlsx")
    assert code == 0, err
    assert "metadata.xlsx: not used" in err and "save it as metadata.csv" in err
    assert "not a supported file type" not in err


def test_tag_on_a_folder_says_to_use_run(textmine_cli, sample_dir):
    code, _, err = textmine_cli("tag", sample_dir)
    assert code == 2 and "is a folder: tag takes one file" in err and "textmine run" in err
