"""Reading hand-coded units in both forms, and refusing bad ones with a precise one-line reason."""

from __future__ import annotations

import json

import pytest

from textmine.core.errors import InputError
from textmine.coding.gold import read_coding, require_examples

HEADER = "unit_id,doc_id,lang,text,pentagon_NET,pentagon_INN,pentagon_ORG,pentagon_TRU,pentagon_EXC\n"


def write_csv(path, rows, header=HEADER):
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


def test_spreadsheet_form(data_dir, lexicons):
    coding = read_coding(data_dir / "handcoded_units.csv", lexicons)
    assert len(coding) == 48 and coding.schemes == ["pentagon"]
    assert coding.grouping == "doc_id" and len(set(coding.groups)) == 6
    first = coding.unit_ids.index("zh-a-1")
    assert coding.codes["pentagon"][first] == {"NET", "INN"}
    assert coding.langs[first] == "zh"
    assert coding.positives("pentagon", ["NET", "TRU"]) == {"NET": 12, "TRU": 6}


def test_json_lines_form_matches_the_spreadsheet(tmp_path, data_dir, lexicons):
    sheet = read_coding(data_dir / "handcoded_units.csv", lexicons)
    path = tmp_path / "gold.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for i, unit_id in enumerate(sheet.unit_ids):
            record = {"unit_id": unit_id, "lang": sheet.langs[i], "doc": "corpus.jsonl", "record": sheet.groups[i],
                      "text": sheet.texts[i], "pentagon": sorted(sheet.codes["pentagon"][i])}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    lines = read_coding(path, lexicons, ["pentagon"])
    assert lines.codes == sheet.codes and lines.texts == sheet.texts
    assert lines.grouping == "doc+record"
    assert len(set(lines.groups)) == 6  # doc + record, not the one file


def test_dev_gold_groups_by_document_and_record(shared_dir, lexicons):
    coding = read_coding(shared_dir / "gold" / "dev-units.jsonl", lexicons)
    assert set(coding.schemes) == {"pentagon", "instrument"}
    assert len(coding) == 377 and len(set(coding.groups)) == 21


def test_blank_cells_are_zero_and_counts_are_one(tmp_path, lexicons):
    path = write_csv(tmp_path / "g.csv", ["1,d,en,Cooperation of firms.,1,,0,0,0\n", "2,d,en,R&D labs.,0,3,0,0,0\n"])
    coding = read_coding(path, lexicons)
    assert coding.codes["pentagon"] == (frozenset({"NET"}), frozenset({"INN"}))


@pytest.mark.parametrize(
    "rows, header, message",
    [
        (["1,d,en,a,1,0,0,0,0\n", "1,d,en,b,0,0,0,0,0\n"], HEADER, "row 3: duplicate unit_id '1' (first on row 2)"),
        (["1,d,en,a,yes,0,0,0,0\n"], HEADER, "row 2, column pentagon_NET: 'yes' is not 0 or 1"),
        (["1,d,en,a,1,0,0,0\n"], HEADER.replace(",pentagon_EXC", ""), "missing pentagon code columns pentagon_EXC"),
        (["1,d,en,a,1,0,0,0,0,1\n"], HEADER.strip() + ",pentagon_NETT\n", "column pentagon_NETT: unknown pentagon code"),
        (["1,d,en,1,0,0,0,0\n"], HEADER.replace("text,", ""), "no column 'text'"),
    ],
)
def test_bad_spreadsheets(tmp_path, lexicons, rows, header, message):
    path = write_csv(tmp_path / "g.csv", rows, header)
    with pytest.raises(InputError) as error:
        read_coding(path, lexicons, ["pentagon"])
    assert message in str(error.value) and str(error.value).startswith(str(path))
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    "lines, message",
    [
        (['{"text": "a", "pentagon": ["NETT"]}'], "line 1: unknown pentagon code 'NETT' (known: NET, INN, ORG, TRU, EXC)"),
        (['{"text": "a", "pentagon": []}', "{oops"], "line 2: not valid JSON"),
        (['{"text": "a"}'], "line 1: no 'pentagon' list of codes"),
        (['{"pentagon": []}'], "line 1: no 'text'"),
        (['{"unit_id": "u", "text": "a", "pentagon": []}', '{"unit_id": "u", "text": "b", "pentagon": []}'],
         "line 2: duplicate unit_id 'u' (first on line 1)"),
    ],
)
def test_bad_json_lines(tmp_path, lexicons, lines, message):
    path = tmp_path / "g.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_coding(path, lexicons, ["pentagon"])
    assert message in str(error.value)


def test_too_few_examples_names_each_code(data_dir, lexicons):
    coding = read_coding(data_dir / "handcoded_units.csv", lexicons)
    with pytest.raises(InputError) as error:
        require_examples(coding, "pentagon", ["NET", "INN", "ORG", "TRU", "EXC"], 7)
    # counted by hand from make_handcoded.py: ORG 6, TRU 6, EXC 7, NET 12, INN 11
    assert "(need at least 7 units each): ORG has 6, TRU has 6;" in str(error.value)


def test_train_command_reports_bad_gold_with_exit_2(tmp_path, textmine_cli):
    path = write_csv(tmp_path / "g.csv", ["1,d,en,a,1,0,0,0,0\n", "1,e,en,b,0,0,0,0,0\n"])
    code, out, err = textmine_cli("train", path, "--scheme", "pentagon", "--out", tmp_path / "m.skops")
    assert code == 2
    assert err.strip().endswith("row 3: duplicate unit_id '1' (first on row 2)")
    assert not (tmp_path / "m.skops").exists()


def test_unknown_scheme(data_dir, lexicons):
    with pytest.raises(InputError, match="unknown scheme 'nato'"):
        read_coding(data_dir / "handcoded_units.csv", lexicons, ["nato"])
