"""What `run` writes after coding: the same CSVs as the plain row formats give, report.xlsx as a report (--xlsx-units),
the analysis in a second process, and no Monte Carlo test or figures where the groups are single documents."""

import json
import shutil

import numpy as np
import openpyxl
import pandas as pd
import pytest

from textmine.analysis.aggregate import CrosstabAccumulator, accumulator_for
from textmine.analysis.coded import code_infos
from textmine.analysis.comparison import analyse, write_tables
from textmine.coding.lexicon import scheme_roles
from textmine.core.constants import HIT_CONTEXT
from textmine.core.errors import InputError
from textmine.core.export import CsvWriter, safe_cell, write_csv
from textmine.inputs.corpus import find_inputs
from textmine.outputs.rows import DOCUMENT_COLUMNS, HIT_COLUMNS, UNIT_COLUMNS, coded_unit_row, hit_row
from textmine.outputs.run_report import unit_sheets
from textmine.run.background import Background
from textmine.run.batch import RunSettings, make_coder, process_file, run_lexicons
from textmine.run.docresult import _record_metadata

RECORDS = [  # typed metadata: numbers, text that looks like a number, a missing field
    {"id": "r1", "year": 2019, "weight": 0.5, "code": "0012", "text": "第一条 加强产学研合作，建设创新平台，支持企业技术创新。"},
    {"id": "r2", "year": 2021, "code": "-3", "text": "The cluster programme funds research networks and training of skilled workers."},
    {"id": "r3", "year": 2022, "text": '=HYPERLINK("x") The cluster fund, with "quotes",\nand a line break in one unit.'},
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, sample_dir):
    folder = tmp_path_factory.mktemp("corpus")
    for path in sample_dir.iterdir():
        shutil.copy(path, folder / path.name)
    (folder / "records.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    return folder


def run_cli(*args):
    from textmine.cli import main

    with pytest.raises(SystemExit) as exit_:
        main([str(a) for a in args])
    return exit_.value.code


@pytest.fixture(scope="module")
def results(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("results")
    assert run_cli("run", corpus, "--out", out, "--workers", "1", "--no-cache") == 0
    return out


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory):
    """The files as the plain implementation writes them: a dict per row (``coded_unit_row``, ``hit_row``) through
    ``CsvWriter.write``, every unit in a DataFrame chunk for the sums, and the emphasis table group by group."""
    out = tmp_path_factory.mktemp("reference")
    settings = RunSettings(workers=1, cache_dir=None)
    lexicons, coder = run_lexicons(settings), make_coder(settings)
    found = find_inputs([corpus], encoding=None)
    meta_columns = ["file", *[c for c in found.metadata_columns if c not in (*UNIT_COLUMNS, "text", "file")]]
    columns = [*UNIT_COLUMNS, *meta_columns, "text", *coder.code_columns, *coder.score_columns]
    writers = {"coded_units": CsvWriter(out / "coded_units.csv", columns), "hits": CsvWriter(out / "hits.csv", HIT_COLUMNS),
               "documents": CsvWriter(out / "documents.csv", DOCUMENT_COLUMNS)}
    rows = []
    for input_file in found.files:
        for document, tagged, coverage in process_file(input_file, settings, coder):
            metadata = {"file": input_file.relpath, **input_file.metadata, **_record_metadata(document)}
            count = 0
            for unit, codes, scores in tagged:
                for code in codes:
                    writers["hits"].write(hit_row(unit, code, HIT_CONTEXT))
                rows.append(coded_unit_row(unit, codes, metadata, [*coder.code_columns, *coder.score_columns], scores))
                writers["coded_units"].write(rows[-1])
                count += 1
            writers["documents"].write({"doc_id": document.doc_id, "file": input_file.relpath, "kind": document.source_kind,
                                        "lang": document.lang, "pages": len(document.pages) if document.source_kind == "pdf" else "",
                                        "title": str(document.metadata.get("title", "")), "units": count, **coverage.row(),
                                        "warnings": "; ".join(w for page in document.pages for w in page.warnings),
                                        "sha256": document.sha256})
    for writer in writers.values():
        writer.close()
    roles = scheme_roles(lexicons)
    known = {info.column: info for info in code_infos(lexicons)}
    codes = [known[column] for column in coder.code_columns]
    sums = accumulator_for(codes, carry=meta_columns, pairs=roles.framework)
    chunk = pd.DataFrame(rows, columns=columns)
    sums.add(chunk)
    documents = sums.documents()
    for lexicon in lexicons:
        write_csv(_emphasis_by_group(documents, lexicon.columns, ["doc_id", *meta_columns]), out / f"emphasis_{lexicon.scheme}.csv")
    schemes = {lexicon.scheme: lexicon for lexicon in lexicons}
    row_scheme, col_scheme = (schemes[s] for s in roles.framework)
    crosstab = CrosstabAccumulator({c: row_scheme.column(c) for c in row_scheme.codes}, {c: col_scheme.column(c) for c in col_scheme.codes})
    crosstab.add(chunk)
    write_csv(crosstab.table(row_name=roles.framework[0]), out / "crosstab_instrument_pentagon_units.csv")
    write_tables(analyse(documents, codes, ["country"], roles), out)
    return out


def _emphasis_by_group(documents, code_columns, by):
    """The emphasis table computed one group at a time, as textmine did before it was vectorised."""
    rows = []
    for key, group in documents.groupby(by, sort=False, dropna=False):
        units, size = group["n_units"].sum(), group["size"].sum()
        base = {**dict(zip(by, key)), "n_documents": len(group), "n_units": int(units), "size": size,
                "size_unit": group["size_unit"].iloc[0] if group["size_unit"].nunique() == 1 else "characters+words"}
        hits = {c: group[f"{c}#hits"].sum() for c in code_columns}
        carrying = {c: group[f"{c}#units"].sum() for c in code_columns}
        ratio = lambda a, b: round(float(a) / float(b), 6) if b else np.nan  # noqa: E731
        for measure, values in (("units", {c: int(carrying[c]) for c in code_columns}),
                                ("share", {c: ratio(carrying[c], units) for c in code_columns}),
                                ("hits", {c: int(hits[c]) for c in code_columns}),
                                ("per10k", {c: ratio(hits[c] * 10_000, size) for c in code_columns})):
            rows.append({**base, "measure": measure, **values})
    return pd.DataFrame(rows, columns=[*by, "n_documents", "n_units", "size", "size_unit", "measure", *code_columns], dtype=object)


def test_the_csvs_are_byte_for_byte_those_of_the_plain_implementation(results, reference):
    names = sorted(p.name for p in reference.glob("*.csv"))
    assert {"coded_units.csv", "hits.csv", "emphasis_pentagon.csv", "matrix_pentagon_by_country.csv",
            "framework_instrument_pentagon_by_country.csv", "residuals_instrument_by_country.csv"} <= set(names)
    different = [name for name in names if (results / name).read_bytes() != (reference / name).read_bytes()]
    assert different == []
    assert "r2" in (results / "coded_units.csv").read_text(encoding="utf-8-sig")  # the records were coded too


def test_report_xlsx_types_cells_by_column(results):
    book = openpyxl.load_workbook(results / "report.xlsx", read_only=True)
    assert book.sheetnames[:3] == ["coded_units", "hits", "documents"]  # small: the unit and hit sheets are in
    units = pd.read_csv(results / "coded_units.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    rows = list(book["coded_units"].iter_rows(values_only=True))
    cells = [dict(zip(rows[0], row)) for row in rows[1:]]
    assert len(cells) == len(units)
    record = next(c for c in cells if c["id"] == "r1")
    assert record["year"] == 2019 and record["weight"] == 0.5  # numbers stay numbers
    assert record["code"] == "0012"  # an id that looks like a number stays text
    assert all(isinstance(c["pentagon_NET"], (int, float)) for c in cells)
    assert all(isinstance(c["doc_id"], str) and isinstance(c["text"], str) for c in cells)
    for cell, row in zip(cells, units.to_dict("records")):  # every cell is its CSV cell, a number or safe text
        for column, text in row.items():
            value = cell[column]
            assert (value is None and text == "") or value == (float(text) if isinstance(value, (int, float)) else safe_cell(text))
    hits = list(book["hits"].iter_rows(values_only=True))
    assert isinstance(hits[1][hits[0].index("start")], (int, float)) and isinstance(hits[1][hits[0].index("term")], str)
    emphasis = list(book["emphasis_pentagon"].iter_rows(values_only=True))
    records = [dict(zip(emphasis[0], row)) for row in emphasis[1:] if row[0].startswith("records_")]
    assert {r["year"] for r in records} == {2019, 2021, 2022} and {r["code"] for r in records} == {"0012", "'-3", None}  # text, kept from running as a formula
    assert all(isinstance(r["pentagon_NET"], (int, float)) and isinstance(r["n_units"], int) for r in records)


@pytest.fixture(scope="module")
def small(tmp_path_factory, sample_dir):
    """Two documents and two records, without metadata.csv: no grouping column."""
    folder = tmp_path_factory.mktemp("small")
    for name in ("zh_tw_beiyu_cluster_programme_2018.txt", "en_eu_communication_world_class_clusters_2016.txt"):
        shutil.copy(sample_dir / name, folder / name)
    (folder / "records.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    return folder


def test_without_unit_sheets_a_notes_sheet_says_where_they_are(small, tmp_path, capsys):
    assert run_cli("run", small, "--out", tmp_path, "--workers", "1", "--no-cache", "--xlsx-units", "none", "--by", "doc_id") == 0
    book = openpyxl.load_workbook(tmp_path / "report.xlsx", read_only=True)
    assert "coded_units" not in book.sheetnames and "hits" not in book.sheetnames
    assert book.sheetnames[:2] == ["notes", "documents"] and "groups" in book.sheetnames
    note = [row[0] for row in book["notes"].iter_rows(min_row=2, values_only=True)]
    assert len(note) == 1 and "coded_units.csv" in note[0] and "hits.csv" in note[0] and "--xlsx-units none" in note[0]
    assert "note: not in report.xlsx" in capsys.readouterr().err
    assert json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))["notes"] == note
    # --by doc_id was asked for: figures are drawn, but small tables of single documents get no Monte Carlo test
    assert (tmp_path / "figures" / "heatmap_pentagon_by_doc_id.svg").is_file() and "figures" in book.sheetnames
    tests = pd.concat(pd.read_csv(path, encoding="utf-8-sig") for path in tmp_path.glob("chisquare_*_by_doc_id.csv"))
    assert not tests["method"].str.startswith("Monte Carlo").any()
    assert tests.loc[tests["method"] == "none", "p_value"].isna().all()
    assert "no Monte Carlo test: the groups are single documents" in " ".join(tests["warning"].dropna())


def test_unit_sheets_auto_all_and_none():
    files = {"coded_units": "out/coded_units.csv", "hits": "out/hits.csv", "coded_units_parquet": "out/coded_units.parquet"}
    small, notes = unit_sheets(files, ["page"], "auto", 30_000, 70_000)
    assert [s.name for s in small] == ["coded_units", "hits"] and notes == []
    large, notes = unit_sheets(files, ["page"], "auto", 30_000, 70_001)
    assert large == [] and "coded_units (30,000 rows) and hits (70,001 rows)" in notes[0] and "coded_units.parquet" in notes[0]
    every, notes = unit_sheets(files, ["page"], "all", 300_000, 2_000_000)
    assert [s.name for s in every] == ["coded_units"] and "hits (2,000,000 rows)" in notes[0] and "1,048,575" in notes[0]
    assert unit_sheets(files, ["page"], "none", 1, 1)[0] == []


def test_without_a_grouping_column_no_figures_and_no_monte_carlo(small, results, tmp_path, capsys):
    out = tmp_path / "out"
    shutil.copytree(results, out)  # a previous run, whose figures the analysis process wrote
    manifest = json.loads((out / ".textmine-run.json").read_text(encoding="utf-8"))
    assert "figures/radar_pentagon_by_country.svg" in manifest["files"] and "report.html" in manifest["files"]
    assert run_cli("run", small, "--out", out, "--workers", "1", "--no-cache") == 0
    assert "grouped by doc_id (the default" in capsys.readouterr().err
    assert not (out / "figures").exists()  # the previous run's figures are gone, and none are drawn
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "no figures: each group is one document" in html and "<svg" not in html
    tests = pd.read_csv(out / "chisquare_pentagon_by_doc_id.csv", encoding="utf-8-sig")
    assert not tests["method"].str.startswith("Monte Carlo").any()
    assert "figures" not in openpyxl.load_workbook(out / "report.xlsx", read_only=True).sheetnames


def _fails(path):
    raise InputError(f"{path}: no such table")


def test_the_background_process_gives_back_its_value_or_its_error():
    assert Background(sorted, [3, 1, 2]).result() == [1, 2, 3]
    with pytest.raises(InputError, match="t.csv: no such table"):
        Background(_fails, "t.csv").result()


def _warm_up():
    import decimal  # noqa: F401  (something to do before the arguments come)


def test_a_background_process_gets_ready_before_its_arguments_come():
    process = Background(sorted, warm_up=_warm_up)
    process.give([3, 1, 2])
    assert process.result() == [1, 2, 3]
    with pytest.raises(RuntimeError, match="given its arguments"):
        process.give([1])
    failing = Background(_fails, warm_up=_warm_up)
    failing.give("t.csv")
    with pytest.raises(InputError, match="t.csv: no such table"):
        failing.result()
    never_given = Background(sorted, warm_up=_warm_up)
    never_given.stop()  # ends a process still waiting for its arguments
    assert not never_given._process.is_alive()
