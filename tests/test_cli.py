"""The command line as a user meets it: help, one-line errors and exit codes, tag, kwic, lexicon."""

import subprocess
import sys

import click
import openpyxl
import pandas as pd
import pytest

from textmine.cli import cli


def all_commands(group=cli, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))


@pytest.mark.parametrize("command", list(all_commands()), ids=" ".join)
def test_every_command_has_help(textmine_cli, command):
    code, out, _ = textmine_cli(*command, "--help")
    assert code == 0
    assert "Usage: textmine" in out and len(out.splitlines()) > 3


@pytest.mark.parametrize(
    "args, says",
    [
        (["run", "corpora/sample", "--out", "x", "--frobnicate"], "No such option"),
        (["run", "no/such/folder", "--out", "x"], "input not found"),
        (["tag", "tests/data/en.docx", "--lexicon", "no-such.yaml", "--no-default-lexicons"], "no-such.yaml"),
        (["bogus"], "No such command"),
    ],
)
def test_usage_errors_are_one_line_with_exit_status_2(textmine_cli, args, says, monkeypatch, sample_dir):
    monkeypatch.chdir(sample_dir.parents[1])
    code, out, err = textmine_cli(*args)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and says in err
    assert "Traceback" not in err + out


def test_an_invalid_lexicon_names_file_and_line(textmine_cli, tmp_path, data_dir):
    bad = tmp_path / "bad.yaml"
    bad.write_text("scheme: mine\ncategories:\n  - code: A\n    terms: {en: [ok, 'a*b']}\n", encoding="utf-8")
    code, _, err = textmine_cli("tag", data_dir / "en.html", "--lexicon", bad)
    assert code == 2 and f"{bad}:4" in err and len(err.strip().splitlines()) == 1
    code, out, _ = textmine_cli("lexicon", "check", bad)
    assert code == 2 and f"{bad}:4: error" in out
    code, out, _ = textmine_cli("--verbose", "tag", data_dir / "en.html", "--lexicon", bad)
    assert code == 2


def test_tag_a_spreadsheet_keeps_rows_and_columns_and_adds_codes(textmine_cli, tmp_path):
    source = tmp_path / "units.csv"
    frame = pd.DataFrame(
        {
            "my_id": ["u3", "u1", "u2"],
            "coder": ["A", "A", "B"],
            "body": ["加强产学研合作，建设世界级产业集群。", "The cluster organisation supports joint research.", "=1+2 fees"],
        }
    )
    frame.to_csv(source, index=False, encoding="utf-8")
    code, _, err = textmine_cli("tag", source, "--text-column", "body", "--id-column", "my_id", "--out", tmp_path / "coded.xlsx", "--hits", tmp_path / "hits.csv")
    assert code == 0, err
    book = openpyxl.load_workbook(tmp_path / "coded.xlsx")
    rows = list(book.active.values)
    header = list(rows[0])
    assert header[:3] == ["my_id", "coder", "body"] and "pentagon_NET" in header and "instrument_SUP_TAL" in header
    assert [r[0] for r in rows[1:]] == ["u3", "u1", "u2"]
    assert rows[3][2] == "'=1+2 fees"
    net = header.index("pentagon_NET")
    assert rows[1][net] >= 1 and rows[2][net] >= 1
    hits = pd.read_csv(tmp_path / "hits.csv", encoding="utf-8-sig")
    assert set(hits["unit_id"]) <= {"u1", "u2", "u3"} and "产学研" in set(hits["match"])


def test_tag_a_table_with_a_missing_column_lists_the_columns(textmine_cli, tmp_path):
    source = tmp_path / "units.csv"
    source.write_text("id,content\n1,text\n", encoding="utf-8")
    code, _, err = textmine_cli("tag", source, "--out", tmp_path / "o.csv")
    assert code == 2 and "no column 'text'" in err and "id, content" in err


def test_tag_a_document_prints_a_readable_summary(textmine_cli, sample_dir, tmp_path):
    pdf = sample_dir / "zh_jianghai_cluster_regulation_2023.pdf"
    code, out, _ = textmine_cli("tag", pdf, "--out", tmp_path / "units.csv")
    assert code == 0
    first = out.splitlines()[0]
    assert "units" in first and "3 pages" in first and "language zh" in first
    assert "pentagon:" in out and "instrument:" in out
    assert "zh_jianghai_cluster_regulation_2023-1-1" in out and "[" in out
    units = pd.read_csv(tmp_path / "units.csv", encoding="utf-8-sig")
    assert units["unit_id"].str.startswith("zh_jianghai_cluster_regulation_2023-").all()


def test_tag_an_unreadable_document_exits_3(textmine_cli, data_dir):
    code, _, err = textmine_cli("tag", data_dir / "broken_truncated.pdf")
    assert code == 3 and "corrupt or truncated" in err


def test_kwic_by_term_and_by_code(textmine_cli, sample_dir, tmp_path):
    code, out, err = textmine_cli("kwic", "产学研", sample_dir)
    assert code == 0
    lines = out.splitlines()
    assert len(lines) >= 4 and all("[产学研]" in line or "[產學研]" in line for line in lines)
    assert any("[產學研]" in line for line in lines)  # found in the Traditional-Chinese document too
    assert "matches in" in err
    code, out, _ = textmine_cli("kwic", "cluster organi*", sample_dir, "--limit", "3")
    assert code == 0 and len(out.splitlines()) == 3
    assert all("[cluster organi" in line.lower() for line in out.splitlines())
    code, _, _ = textmine_cli("kwic", "pentagon:TRU", sample_dir, "--out", tmp_path / "tru.csv")
    frame = pd.read_csv(tmp_path / "tru.csv", encoding="utf-8-sig")
    assert code == 0 and len(frame) > 0 and set(frame["code"]) == {"TRU"}


def test_lexicon_import_and_show(textmine_cli, tmp_path):
    dic = tmp_path / "nato.dic"
    dic.write_text("%\n1\tNODALITY\n2\tTREASURE\n%\ninform*\t1\ngrant\t2\n补贴\t2\n", encoding="utf-8")
    code, _, err = textmine_cli("lexicon", "import", dic, "--out", tmp_path / "nato.yaml", "--lang", "en")
    assert code == 0, err
    code, out, _ = textmine_cli("lexicon", "show", tmp_path / "nato.yaml")
    assert code == 0 and "nato_TREASURE" in out and "zh 1" in out
    code, out, _ = textmine_cli("lexicon", "check")
    assert code == 0 and "pentagon.yaml" in out


def test_the_console_script_and_module_run(tmp_path):
    result = subprocess.run([sys.executable, "-m", "textmine", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and "textmine" in result.stdout
