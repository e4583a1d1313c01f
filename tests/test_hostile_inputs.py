"""Hostile and broken inputs (issue 10, input side): each finding's recipe on small generated files.

The contract: exit 0, 2 or 3 with a one-line reason; every input in documents.csv or failures.csv
exactly once; nothing else lost. Bombs only declare huge sizes or expand from kilobytes: the
tests check that the limit triggers before anything is expanded.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import hostile_files as H

REPO = Path(__file__).resolve().parents[1]


def rows(path):
    with open(path, encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def run(textmine_cli, inputs, out, *options):
    """`textmine run` without the comparative report (not what these tests are about, and slow)."""
    xlsx = () if "--xlsx" in options else ("--no-xlsx",)
    options = tuple(o for o in options if o != "--xlsx")
    return textmine_cli("run", *inputs, "--out", out, "--workers", "1", "--no-cache", *xlsx, *options)


def accounted(out) -> tuple[list[str], dict[str, str]]:
    """(files of documents.csv, {file: stage} of failures.csv), after checking no input is in both."""
    documents = [row["file"] for row in rows(out / "documents.csv")]
    failures = {row["file"]: row["stage"] for row in rows(out / "failures.csv")}
    assert len(failures) == len(rows(out / "failures.csv")), "a failure is listed twice"
    names = {Path(f.split("#")[0]).name for f in failures}
    assert not names & {Path(f).name for f in documents if "#" not in f and not f.endswith(".jsonl")}
    return documents, failures


def good(folder: Path, name: str = "good.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(H.SENTENCE + "\n", encoding="utf-8")
    return path


def without_file_permissions(command: list[str], **kwargs):
    """Run ``command`` so that file permissions apply even to root (which ignores them)."""
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: permissions cannot be tested")
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *command]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, cwd=REPO, **kwargs)


def textmine_command(*args) -> list[str]:
    return [sys.executable, "-m", "textmine", *map(str, args)]


# --- 1: one page PDFium cannot load -------------------------------------------------------------


def test_a_page_pdfium_cannot_load_is_skipped_and_the_rest_kept(textmine_cli, tmp_path):
    path = tmp_path / "in" / "two.pdf"
    path.parent.mkdir()
    path.write_bytes(H.pdf_with_broken_page())
    code, out, err = textmine_cli("extract", path, "--no-cache")
    assert code == 0, err
    assert "research cooperation" in out
    assert "page 2: PDFium cannot load this page" in err
    code, _, err = run(textmine_cli, [path.parent], tmp_path / "out")
    assert code == 0, err
    [document] = rows(tmp_path / "out" / "documents.csv")
    assert document["pages"] == "2" and "page 2: PDFium cannot load" in document["warnings"]


# --- 2, 14: .jsonl lines too deep, not JSON, without text ------------------------------------------


def test_a_jsonl_line_nested_100000_deep_fails_alone(textmine_cli, tmp_path):
    folder = tmp_path / "in"
    good(folder)
    (folder / "deep.jsonl").write_text(H.deep_jsonl_line(100_000) + "\n", encoding="utf-8")
    code, _, err = run(textmine_cli, [folder], tmp_path / "out")
    assert code == 3, err
    documents, failures = accounted(tmp_path / "out")
    assert documents == ["good.txt"]
    assert failures == {f"{folder / 'deep.jsonl'}#1": "limit"}
    code, _, err = textmine_cli("extract", folder, "--out", tmp_path / "json", "--workers", "1", "--no-cache")
    assert code == 3 and (tmp_path / "json" / "good.json").exists(), err


def test_a_bad_jsonl_line_loses_only_itself(textmine_cli, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    lines = [json.dumps({"text": H.SENTENCE + " One."}), '{"text": "unterminated', "[1, 2]", '{"text": 123}', '{"text": ""}',
             json.dumps({"text": H.SENTENCE + " Six."})]
    (folder / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run(textmine_cli, [folder], tmp_path / "out")
    assert code == 3, err
    assert [row["doc_id"] for row in rows(tmp_path / "out" / "documents.csv")] == ["c_1", "c_6"]
    failures = rows(tmp_path / "out" / "failures.csv")
    assert [row["file"] for row in failures] == [f"{folder / 'c.jsonl'}#{n}" for n in (2, 3, 4, 5)]
    assert all(row["reason"].startswith(f"line {n}") for row, n in zip(failures, (2, 3, 4, 5)))


# --- 3: a file name that is not UTF-8 ---------------------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_read_and_shown_escaped(textmine_cli, tmp_path):
    folder = tmp_path / "in"
    good(folder)
    with open(os.fsencode(folder) + b"/latin1_\xe9.txt", "wb") as handle:
        handle.write(H.SENTENCE.encode())
    code, _, err = run(textmine_cli, [folder], tmp_path / "out")
    assert code == 0, err
    documents = rows(tmp_path / "out" / "documents.csv")
    assert sorted(row["file"] for row in documents) == ["good.txt", "latin1_\\xe9.txt"]
    assert len({row["doc_id"] for row in documents}) == 2
    info = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert any(f["file"].endswith("latin1_\\xe9.txt") for f in info["input_files"])


# --- 4: unreadable input, unwritable --out ------------------------------------------------------------


def test_an_unreadable_file_is_a_failure_and_the_run_finishes(tmp_path):
    folder = tmp_path / "in"
    good(folder)
    secret = folder / "secret.txt"
    secret.write_text(H.SENTENCE, encoding="utf-8")
    secret.chmod(0)
    out = tmp_path / "out"
    done = without_file_permissions(textmine_command("run", folder, "--out", out, "--workers", "1", "--no-cache", "--no-xlsx"))
    assert done.returncode == 3, done.stderr
    documents, failures = accounted(out)
    assert documents == ["good.txt"] and failures == {str(secret): "read"}
    info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert {Path(f["file"]).name: f["sha256"] for f in info["input_files"]}["secret.txt"] is None


def test_an_unwritable_out_is_a_clear_error(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    done = without_file_permissions(textmine_command("run", good(tmp_path / "in"), "--out", locked / "out", "--no-cache"))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == f"textmine: error: --out {locked / 'out'}: cannot write there (Permission denied)"


# --- 11: bombs -------------------------------------------------------------------------------------


@pytest.mark.parametrize("part, declared", [("word/media/image1.png", 4 << 30), ("word/document.xml", 3 << 30)])
def test_a_docx_declaring_gigabytes_is_refused_before_unpacking(textmine_cli, tmp_path, part, declared):
    folder = tmp_path / "in"
    good(folder)
    (folder / "bomb.docx").write_bytes(H.docx_declaring(part, declared))
    code, _, err = run(textmine_cli, [folder], tmp_path / "out")
    assert code == 3, err
    _, failures = accounted(tmp_path / "out")
    assert failures == {str(folder / "bomb.docx"): "limit"}
    [row] = rows(tmp_path / "out" / "failures.csv")
    assert part in row["reason"] and "over the limit" in row["reason"]


def test_a_docx_entity_bomb_is_a_limit_failure(textmine_cli, tmp_path):
    path = tmp_path / "laughs.docx"
    path.write_bytes(H.docx_entity_bomb())
    code, out, err = textmine_cli("extract", path, "--no-cache")
    assert code == 2 and out == ""
    assert "the XML of this .docx is over a limit" in err and "amplification" in err


def test_a_docx_with_its_parts_within_the_limits_is_read(textmine_cli, tmp_path):
    path = tmp_path / "ok.docx"
    path.write_bytes(H.docx_declaring("word/media/image1.png", 1 << 20))
    code, out, err = textmine_cli("extract", path, "--no-cache")
    assert code == 0 and "research cooperation" in out, err


def test_a_pdf_content_stream_bomb_is_refused_before_pdfium_expands_it(textmine_cli, tmp_path):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(H.pdf_content_bomb(300 << 20))  # a 300 KB file
    assert path.stat().st_size < 1 << 20
    code, _, err = textmine_cli("extract", path, "--no-cache")
    assert code == 2
    assert "expands to more than 256 MiB" in err and len(err.strip().splitlines()) == 1


def test_a_pdf_with_a_large_but_allowed_stream_is_read(textmine_cli, tmp_path):
    path = tmp_path / "spaces.pdf"
    path.write_bytes(H.pdf_content_bomb(8 << 20))
    code, out, err = textmine_cli("extract", path, "--no-cache")
    assert code == 0 and "research cooperation" in out, err


def test_a_text_file_over_the_size_limit_is_refused_without_reading_it(textmine_cli, tmp_path):
    folder = tmp_path / "in"
    good(folder)
    with open(folder / "huge.txt", "wb") as handle:  # sparse: declares 200 MB, takes no disk space
        handle.truncate(200 << 20)
    code, _, err = run(textmine_cli, [folder], tmp_path / "out")
    assert code == 3, err
    [row] = rows(tmp_path / "out" / "failures.csv")
    assert (row["stage"], row["reason"]) == ("limit", "file of 200 MiB is over the limit of 32 MiB for this kind of file")


# --- 12, 13: the cache ----------------------------------------------------------------------------


def test_the_text_of_an_encrypted_pdf_is_never_cached(textmine_cli, data_dir, tmp_path):
    cache = tmp_path / "cache"
    code, text, _ = textmine_cli("extract", data_dir / "encrypted_user_pw.pdf", "--password", "secret", "--cache-dir", cache)
    assert code == 0 and "Partnership" in text
    for password in ((), ("--password", "wrong")):
        code, out, err = textmine_cli("extract", data_dir / "encrypted_user_pw.pdf", *password, "--cache-dir", cache)
        assert code == 2 and out == "" and "password" in err
    stored = [p.read_text(encoding="utf-8") for p in cache.rglob("*") if p.is_file()]
    assert not any("Partnership" in entry for entry in stored)


def test_the_cache_is_where_textmine_cache_dir_says(textmine_cli, data_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("TEXTMINE_CACHE_DIR", str(tmp_path / "elsewhere"))
    code, _, err = textmine_cli("extract", data_dir / "en_text.pdf")
    assert code == 0, err
    assert len(list((tmp_path / "elsewhere").rglob("*.json"))) == 1


def test_tests_never_use_the_home_cache():
    assert os.environ["TEXTMINE_CACHE_DIR"] and not Path(os.environ["TEXTMINE_CACHE_DIR"]).is_relative_to(Path.home() / ".cache")


# --- 15: unique document ids ------------------------------------------------------------------------


def test_document_ids_are_unique_by_construction(textmine_cli, tmp_path):
    folder = tmp_path / "in"
    for name in ("with space.txt", "with_space.txt", "x_1.txt", "X.txt"):
        good(folder, name)
    (folder / "x.jsonl").write_text(json.dumps({"text": H.SENTENCE}) + "\n", encoding="utf-8")
    code, _, err = run(textmine_cli, [folder], tmp_path / "out")
    assert code == 0, err
    ids = [row["doc_id"] for row in rows(tmp_path / "out" / "documents.csv")]
    assert len(ids) == 5 and len({i.casefold() for i in ids}) == 5
    units = [row["unit_id"] for row in rows(tmp_path / "out" / "coded_units.csv")]
    assert len(units) == len(set(units))
    code, _, err = textmine_cli("extract", folder, "--out", tmp_path / "json", "--workers", "1", "--no-cache")
    assert code == 0 and len(list((tmp_path / "json").glob("*.json"))) == 5, err


# --- 19: encodings --------------------------------------------------------------------------------


def test_utf16le_without_bom_is_decoded(textmine_cli, tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes((H.SENTENCE + "\n").encode("utf-16-le"))
    code, out, err = textmine_cli("extract", path, "--no-cache")
    assert code == 0 and out.startswith("Article 1. The region") and "\x00" not in out, err


def test_euc_jp_is_detected(textmine_cli, tmp_path):
    path = tmp_path / "jp.txt"
    text = "第一条 この規則は、地域の研究協力を支援するために定める。大学と企業の連携を推進する。"
    path.write_bytes(text.encode("euc_jp"))
    code, out, err = textmine_cli("extract", path, "--no-cache")
    assert code == 0 and out.strip() == text, err


def test_a_short_text_is_not_guessed_and_encoding_reads_it(textmine_cli, tmp_path):
    path = tmp_path / "short.txt"
    path.write_bytes("推进产学研合作".encode("gbk"))
    code, out, err = textmine_cli("extract", path, "--no-cache")
    assert code == 2 and out == ""
    assert "too short to tell the text encoding" in err and "--encoding" in err
    code, out, err = textmine_cli("extract", path, "--no-cache", "--encoding", "gb18030")
    assert code == 0 and out.strip() == "推进产学研合作", err
    code, _, err = textmine_cli("extract", path, "--encoding", "klingon")
    assert code == 2 and "unknown encoding 'klingon'" in err


def test_a_number_like_text_stays_text_in_report_xlsx(textmine_cli, tmp_path):
    path = tmp_path / "num.txt"
    path.write_text("2020.\n", encoding="utf-8")
    code, _, err = run(textmine_cli, [path], tmp_path / "out", "--xlsx")
    assert code == 0, err
    sheet = openpyxl.load_workbook(tmp_path / "out" / "report.xlsx", read_only=True)["coded_units"]
    header, first = list(sheet.iter_rows(min_row=1, max_row=2, values_only=True))
    assert isinstance(first[header.index("text")], str)


# --- 20, 21: silent skips, FIFOs, devices, links ---------------------------------------------------


def test_nothing_in_a_folder_is_skipped_silently_or_followed_outside(textmine_cli, tmp_path):
    folder = tmp_path / "in"
    good(folder)
    outside = good(tmp_path / "elsewhere", "outside.txt")
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / "link.txt").symlink_to(outside)
    (folder / "zero.txt").symlink_to("/dev/zero")
    code, _, err = run(textmine_cli, [folder], tmp_path / "out")
    assert code == 3, err
    documents, failures = accounted(tmp_path / "out")
    assert documents == ["good.txt"]
    assert set(failures) == {str(folder / n) for n in ("dangling.txt", "pipe.txt", "link.txt", "zero.txt")}
    reasons = {Path(row["file"]).name: row["reason"] for row in rows(tmp_path / "out" / "failures.csv")}
    assert "broken symbolic link" in reasons["dangling.txt"]
    assert "FIFO" in reasons["pipe.txt"]
    assert "--follow-symlinks" in reasons["link.txt"] and "--follow-symlinks" in reasons["zero.txt"]
    code, _, err = run(textmine_cli, [folder], tmp_path / "out2", "--follow-symlinks")
    assert code == 3, err
    assert sorted(row["file"] for row in rows(tmp_path / "out2" / "documents.csv")) == ["good.txt", "link.txt"]
    reasons = {Path(row["file"]).name: row["reason"] for row in rows(tmp_path / "out2" / "failures.csv")}
    assert "character device" in reasons["zero.txt"]


def test_a_folder_that_cannot_be_listed_is_a_failure(tmp_path):
    folder = tmp_path / "in"
    good(folder)
    locked = folder / "locked"
    good(locked, "inside.txt")
    locked.chmod(0)
    try:
        done = without_file_permissions(textmine_command("run", folder, "--out", tmp_path / "out", "--workers", "1",
                                                         "--no-cache", "--no-xlsx"))
    finally:
        locked.chmod(0o755)
    assert done.returncode == 3, done.stderr
    documents, failures = accounted(tmp_path / "out")
    assert documents == ["good.txt"] and failures == {str(locked): "read"}


def test_a_fifo_given_directly_is_refused_at_once(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    done = subprocess.run(textmine_command("extract", tmp_path / "pipe.txt"), capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(REPO)), cwd=REPO)
    assert done.returncode == 2
    assert done.stderr.strip() == "textmine: error: not a regular file but a FIFO (named pipe): textmine reads only regular files"


def test_linked_folders_are_walked_once_and_only_inside_unless_followed(tmp_path):
    from textmine.inputs.corpus import find_inputs

    folder = tmp_path / "in"
    good(folder / "a", "x.txt")
    good(tmp_path / "outside" / "b", "y.txt")
    (folder / "link_a").symlink_to(folder / "a")
    (folder / "a" / "up").symlink_to(folder)
    (folder / "link_b").symlink_to(tmp_path / "outside" / "b")
    found = find_inputs([folder])
    assert [(f.relpath, f.problem and f.problem[0]) for f in found.files] == [("a/x.txt", None), ("link_b", "read")]
    assert "--follow-symlinks" in found.files[1].problem[1]
    assert [f.relpath for f in find_inputs([folder], follow_symlinks=True).files] == ["a/x.txt", "link_b/y.txt"]


# the peak of this program's own memory: VmHWM (getrusage's ru_maxrss keeps the peak of the process that forked it)
PEAK_CHILD = """
import re, sys
from pathlib import Path
from textmine.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exit_:
    code = exit_.code
peak_kb = int(re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1))
print(code, peak_kb // 1024, file=sys.stderr)
"""


# just over the limits; without them a 1 GiB stream or part took 2.2 GB (both), so these would take about 700 MB
@pytest.mark.parametrize("name, make", [
    ("bomb.pdf", lambda: H.pdf_content_bomb(300 << 20)),
    ("bomb.docx", lambda: H.real_docx_bomb("word/media/image1.png", 300 << 20)),
])
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory is read from /proc (Linux)")
def test_a_real_bomb_fails_with_bounded_memory(tmp_path, name, make):
    path = tmp_path / name
    path.write_bytes(make())
    done = subprocess.run([sys.executable, "-c", PEAK_CHILD, "extract", str(path), "--no-cache"], capture_output=True,
                          text=True, timeout=300, env=dict(os.environ, PYTHONPATH=str(REPO)), cwd=REPO)
    *messages, last = done.stderr.strip().splitlines()
    code, peak_mb = map(int, last.split())
    assert code == 2 and ("over the limit" in messages[-1] or "more than 256 MiB" in messages[-1]), done.stderr
    assert peak_mb < 500, f"peak {peak_mb} MB"
