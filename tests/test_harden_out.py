"""Regression tests of issue 10's output-side findings, each with its recipe on small generated files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from hostile_files import alias_bomb
from textmine.core.export import XLSX_MAX_CELL, write_xlsx

EN = "The cluster programme funds research and development networks between universities and firms."


def read_csv(path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def run_cli(textmine_cli, *args):
    return textmine_cli("run", *args, "--workers", "1", "--no-cache")


# --- finding 5: a cell longer than csv's field limit (131,072) -------------------------------


def test_xlsx_takes_a_csv_cell_longer_than_the_csv_field_limit(tmp_path):
    source = tmp_path / "long.csv"
    source.write_text("id,text\n1," + "集" * 200_000 + "\n", encoding="utf-8-sig")
    notes = write_xlsx(tmp_path / "out.xlsx", [("units", source)])
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True)["units"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == "集" * XLSX_MAX_CELL
    assert notes and "cut" in notes[0] and "units" in notes[0]


def test_run_writes_report_xlsx_for_a_unit_longer_than_the_csv_field_limit(tmp_path, textmine_cli):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "long.txt").write_text("集" * 140_000, encoding="utf-8")
    code, _, err = run_cli(textmine_cli, inputs, "--out", tmp_path / "out")
    assert code == 0, err
    assert (tmp_path / "out" / "report.xlsx").is_file()  # (segmentation may split the unit; the writer test above covers a long cell)


# --- finding 8: `terms` on a small coded table -----------------------------------------------


def test_terms_on_a_small_coded_table_says_there_are_no_candidates(tmp_path, textmine_cli, data_dir):
    out = tmp_path / "out"
    code, _, err = run_cli(textmine_cli, data_dir / "en_crlf_hyphen.txt", data_dir / "zh_gbk.txt", "--out", out)
    assert code == 0, err
    code, stdout, err = textmine_cli("terms", out / "coded_units.csv")
    assert code == 0, err
    assert "(no term occurs --min-freq times)" in stdout and "(none: no term occurs --min-freq times" in stdout
    code, _, err = textmine_cli("terms", out / "coded_units.csv", "--out", tmp_path / "terms")
    assert code == 0, err
    assert list(read_csv(tmp_path / "terms" / "terms_candidates.csv")) == []


# --- findings 9, 10, 16: names from users in headers and file names ----------------------------

EVIL = '=HYPERLINK("http://evil.example","x")'
UP = "../../../../ESCAPED"


def corpus_with_metadata(root: Path, header: list[str], values: list[list[str]]) -> Path:
    """root/a/b/c/d/ holding two texts and a metadata.csv with ``header`` (file first)."""
    folder = root / "a" / "b" / "c" / "d"
    folder.mkdir(parents=True)
    (folder / "one.txt").write_text(EN, encoding="utf-8")
    (folder / "two.txt").write_text("本办法支持产学研合作和创新集群建设。", encoding="utf-8")
    with open(folder / "metadata.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["file", *header], ["one.txt", *values[0]], ["two.txt", *values[1]]])
    return folder


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


def header_of(path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


def test_formula_column_names_are_written_as_text_in_every_table(tmp_path, textmine_cli):
    folder = corpus_with_metadata(tmp_path, [EVIL, "country"], [["a", "UK"], ["b", "CN"]])
    (folder / "recs.jsonl").write_text(json.dumps({"text": EN, "@SUM(1)": "1"}) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run_cli(textmine_cli, folder, "--out", out)
    assert code == 0, err
    for name in ("coded_units.csv", "emphasis_pentagon.csv", "emphasis_instrument.csv"):
        header = header_of(out / name)
        assert "'" + EVIL in header and not any(h.startswith(("=", "+", "-", "@")) for h in header), name
    assert "'@SUM(1)" in header_of(out / "coded_units.csv")
    sheet = openpyxl.load_workbook(out / "report.xlsx", read_only=True)["coded_units"]
    first_row = next(sheet.iter_rows(values_only=True))
    assert "'" + EVIL in first_row and not any(str(h).startswith("=") for h in first_row)
    table = tmp_path / "units.csv"
    table.write_text(f'text,"{EVIL.replace(chr(34), chr(34) * 2)}"\n{EN},1\n', encoding="utf-8")
    code, _, err = textmine_cli("tag", table, "--out", tmp_path / "tagged.csv")
    assert code == 0, err
    assert "'" + EVIL in header_of(tmp_path / "tagged.csv")


def test_by_a_column_named_like_a_path_writes_only_inside_out(tmp_path, textmine_cli):
    folder = corpus_with_metadata(tmp_path, [UP], [["g1"], ["g2"]])
    out = folder / "out"
    before = files_under(tmp_path)
    code, _, err = run_cli(textmine_cli, folder, "--out", out, "--by", UP)
    assert code == 0, err
    new = files_under(tmp_path) - before
    assert new and all(path == out or out in path.parents for path in new), sorted(new - files_under(out))
    by_tables = sorted(p.name for p in out.glob("*_by_*.csv"))
    assert len(by_tables) == 7, by_tables  # matrix x2, framework, chisquare x2, residuals x2: none overwrote another
    assert all(p.endswith("_by_ESCAPED.csv") for p in by_tables)
    assert len(list((out / "figures").glob("*_by_ESCAPED.png"))) == 4


@pytest.mark.parametrize("column", ["doc_id", "unit_id", "page", "section", "lang", "sha256", "text", "n_units", "pentagon_NET"])
def test_metadata_csv_with_a_reserved_column_is_refused(tmp_path, textmine_cli, column):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text(EN, encoding="utf-8")
    (folder / "metadata.csv").write_text(f"file,{column}\none.txt,X\n", encoding="utf-8")
    code, _, err = run_cli(textmine_cli, folder, "--out", tmp_path / "out")
    assert code == 2
    assert f"column '{column}'" in err and "rename it" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out" / "coded_units.csv").exists()


def test_jsonl_fields_with_reserved_names_are_prefixed_and_overwrite_nothing(tmp_path, textmine_cli):
    folder = tmp_path / "in"
    folder.mkdir()
    record = {"text": EN, "doc_id": "X", "page": 7, "lang": "fr", "file": "elsewhere.pdf", "sha256": "0"}
    (folder / "recs.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run_cli(textmine_cli, folder, "--out", out)
    assert code == 0, err
    rows = read_csv(out / "coded_units.csv")
    assert {r["doc_id"] for r in rows} == {"recs_1"} and {r["lang"] for r in rows} == {"en"}
    assert {r["page"] for r in rows} == {"1"} and {r["file"] for r in rows} == {"recs.jsonl"}
    assert {(r["meta_doc_id"], r["meta_page"], r["meta_lang"], r["meta_file"]) for r in rows} == {("X", "7", "fr", "elsewhere.pdf")}
    hits = read_csv(out / "hits.csv")
    assert hits and {h["unit_id"] for h in hits} <= {r["unit_id"] for r in rows}  # hits.csv joins coded_units.csv


# --- findings 6, 7: model and lexicon files that would expand hugely ---------------------------


def peak_kb() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def deep_skops(path: Path, depth: int = 200_000) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("schema.json", '{"__class__": "UnitClassifier", "x": ' + "[" * depth + "]" * depth + "}")
    return path


def skops_declaring(path: Path, declared: int) -> Path:
    """A tiny zip whose directory says schema.json unpacks to ``declared`` bytes (a zip bomb's signature)."""
    import struct
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("schema.json", "{}")
    data = bytearray(path.read_bytes())
    entry = data.rindex(b"PK\x01\x02")
    data[entry + 24 : entry + 28] = struct.pack("<I", declared)  # uncompressed size in the central directory
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("make, reason", [(deep_skops, "nested more than"),
                                          (lambda p: skops_declaring(p, 3 << 30), "it unpacks to 3,221,225,472 bytes"),
                                          (lambda p: skops_declaring(p, 100 << 20), "schema.json has 104,857,600 bytes")])
@pytest.mark.parametrize("command", ["run", "tag"])
def test_model_file_that_would_expand_is_refused_before_reading(tmp_path, textmine_cli, make, reason, command):
    model = make(tmp_path / "bad.skops")
    text = tmp_path / "a.txt"
    text.write_text(EN, encoding="utf-8")
    before = peak_kb()
    if command == "run":
        code, _, err = run_cli(textmine_cli, text, "--model", model, "--mode", "model", "--out", tmp_path / "out")
    else:
        code, _, err = textmine_cli("tag", text, "--model", model, "--mode", "model")
    assert code == 2, err
    assert reason in err and "refused" in err and len(err.strip().splitlines()) == 1
    assert peak_kb() - before < 200_000


def test_schema_depth_counts_brackets_outside_strings_only():
    from textmine.core.untrusted import json_depth

    assert json_depth(b'{"a": [1, [2, {"b": []}]]}') == 5
    assert json_depth(b'["[[[[", "\\"[[", "\\\\", [[]]]') == 3  # an escaped quote does not end a string
    assert json_depth(b'"' + b'\\"' * 100_000) == 0  # an unterminated string: no brackets outside it


def test_lexicon_alias_bomb_is_refused_in_bounded_memory(tmp_path, textmine_cli):
    lexicon = tmp_path / "bomb.yaml"
    lexicon.write_text(alias_bomb(), encoding="utf-8")
    assert lexicon.stat().st_size < 1000
    before = peak_kb()
    code, out, err = textmine_cli("lexicon", "check", lexicon)
    assert code == 2
    assert "aliases (*name) expand to more than" in out + err
    assert peak_kb() - before < 200_000


def test_lexicon_with_a_python_tag_is_refused_with_its_line(tmp_path, textmine_cli):
    lexicon = tmp_path / "evil.yaml"
    marker = tmp_path / "PWNED"
    lexicon.write_text("scheme: evil\ncategories:\n  - code: X\n    terms:\n"
                       f'      en: [!!python/object/apply:os.system ["touch {marker}"]]\n', encoding="utf-8")
    code, out, err = textmine_cli("lexicon", "check", lexicon)
    assert code == 2 and f"{lexicon}:5:" in out + err and "!!python/object/apply:os.system" in out + err
    text = tmp_path / "a.txt"
    text.write_text(EN, encoding="utf-8")
    code, _, err = run_cli(textmine_cli, text, "--lexicon", lexicon, "--out", tmp_path / "out")
    assert code == 2 and "is not allowed in a lexicon" in err and len(err.strip().splitlines()) == 1
    assert not marker.exists()


def test_lexicon_may_still_share_a_term_list_through_an_alias(tmp_path, textmine_cli):
    lexicon = tmp_path / "shared.yaml"
    lexicon.write_text("scheme: shared\ncategories:\n  - code: A\n    terms:\n      en: &common [cluster, network]\n"
                       "  - code: B\n    terms:\n      de: *common\n", encoding="utf-8")
    code, out, err = textmine_cli("lexicon", "check", lexicon)
    assert code == 0, out + err


# --- findings 17, 18: the output folder ----------------------------------------------------------


def two_text_corpus(folder: Path, metadata: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "one.txt").write_text(EN, encoding="utf-8")
    (folder / "two.txt").write_text("本办法支持产学研合作和创新集群建设。", encoding="utf-8")
    if metadata:
        (folder / "metadata.csv").write_text("file,country\none.txt,UK\ntwo.txt,CN\n", encoding="utf-8")
    return folder


def test_out_inside_the_input_folder_is_not_read_as_input(tmp_path, textmine_cli):
    inputs = two_text_corpus(tmp_path / "in")
    out = inputs / "out"
    for _ in range(2):
        code, _, err = run_cli(textmine_cli, inputs, "--out", out)
        assert code == 0, err
    assert sorted(r["file"] for r in read_csv(out / "documents.csv")) == ["one.txt", "two.txt"]
    assert "a textmine output folder" in err and "not a supported file type" not in err
    code, _, err = run_cli(textmine_cli, inputs, "--out", tmp_path / "elsewhere")  # an earlier run's folder too
    assert code == 0 and sorted(r["file"] for r in read_csv(tmp_path / "elsewhere" / "documents.csv")) == ["one.txt", "two.txt"]


def test_rerun_into_out_leaves_nothing_of_the_previous_run(tmp_path, textmine_cli):
    inputs = two_text_corpus(tmp_path / "in")
    out = tmp_path / "out"
    code, _, err = run_cli(textmine_cli, inputs, "--out", out)
    assert code == 0, err
    assert (out / "matrix_pentagon_by_country.csv").is_file() and (out / "report.xlsx").is_file()
    (inputs / "metadata.csv").unlink()
    (out / ".coded_units.csv.x1y2.part").write_text("left by a killed run")
    (out / "figures" / ".radar.png.x1y2.part").write_text("left by a killed run")
    (out / "notes.txt").write_text("the user's own file")
    code, _, err = run_cli(textmine_cli, inputs, "--out", out, "--no-xlsx")
    assert code == 0, err
    assert not list(out.glob("*_by_country*")) and not list((out / "figures").glob("*_by_country*"))
    assert not (out / "report.xlsx").exists()
    assert not list(out.rglob("*.part"))
    assert (out / "notes.txt").read_text() == "the user's own file"
    assert list(out.glob("matrix_pentagon_by_doc_id.csv"))


def test_second_concurrent_run_into_the_same_out_exits_2(tmp_path, data_dir):
    import os
    import subprocess
    import sys

    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1]), "TEXTMINE_CACHE_DIR": str(tmp_path / "cache")}
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom textmine.run.outfolder import OutputFolder\n"
                               "with OutputFolder(sys.argv[1]) as folder:\n    folder.start(); print('locked', flush=True); time.sleep(60)", str(out)],
                              env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        second = subprocess.run([sys.executable, "-m", "textmine", "run", str(data_dir / "en_crlf_hyphen.txt"), "--out", str(out),
                                 "--workers", "1", "--no-cache"], env=env, capture_output=True, text=True, timeout=120)
    finally:
        holder.kill()
        holder.wait()
    assert second.returncode == 2
    assert f"process {holder.pid}" in second.stderr and "another textmine run" in second.stderr
    assert len(second.stderr.strip().splitlines()) == 1
    assert not (out / "coded_units.csv").exists()


def test_a_refused_run_keeps_the_previous_results_and_frees_the_folder(tmp_path, textmine_cli):
    inputs = two_text_corpus(tmp_path / "in")
    out = tmp_path / "out"
    code, _, err = run_cli(textmine_cli, inputs, "--out", out)
    assert code == 0, err
    results = sorted(p.name for p in out.iterdir())
    bad = tmp_path / "bad.yaml"
    bad.write_text("scheme: [", encoding="utf-8")
    code, _, _ = run_cli(textmine_cli, inputs, "--out", out, "--lexicon", bad)
    assert code == 2
    code, _, _ = run_cli(textmine_cli, inputs, "--out", out, "--by", "no_such_column")
    assert code == 2
    assert sorted(p.name for p in out.iterdir()) == results
    code, _, err = run_cli(textmine_cli, inputs, "--out", out, "--no-xlsx")
    assert code == 0, err


# --- finding 22: workers die with their parent ------------------------------------------------------


@pytest.mark.parametrize("start", ["fork", "fork server"])
def test_workers_die_when_their_parent_is_killed(tmp_path, start):
    import os
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "pool.py"
    script.write_text("import threading, time\nfrom textmine.run.workers import run_ordered\n"
                      "if __name__ == '__main__':\n"
                      + ("    threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n" if start == "fork server" else "")
                      + "    for outcome in run_ordered(time.sleep, [60, 60, 60], workers=2, timeout=None):\n        pass\n")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    parent = subprocess.Popen([sys.executable, str(script)], env=env)
    deadline = time.monotonic() + 60
    workers = []
    while len(workers) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
        workers = pool_workers(parent.pid)
    assert len(workers) == 2
    time.sleep(1)  # the workers are inside time.sleep(60)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    time.sleep(1.5)
    assert [pid for pid in workers if alive(pid)] == []


def pool_workers(pid: int) -> list[int]:
    """Descendants of ``pid`` without children of their own (the fork server and resource tracker are not)."""
    descendants, todo = [], children_of(pid)
    while todo:
        child = todo.pop()
        descendants.append(child)
        todo += children_of(child)
    return [p for p in descendants if not children_of(p) and b"resource_tracker" not in _cmdline(p)]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                pass
    return found


def alive(pid: int) -> bool:
    """Running or sleeping (a zombie waiting to be reaped is dead)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
