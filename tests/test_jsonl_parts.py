"""A large .jsonl corpus file is read in parts by several workers, with the outputs of a one-process run."""

import json
from dataclasses import replace

import pytest

from textmine.inputs.corpus import find_inputs
from textmine.inputs.extract import ExtractSettings, extract_documents
from textmine.inputs.extract.records import RecordRange
from textmine.run import parts
from textmine.run.batch import RunSettings, run
from textmine.run.docresult import decode, encode
from textmine.run.workers import Outcome

OUTPUTS = ("coded_units.csv", "hits.csv", "documents.csv", "failures.csv", "warnings.csv", "emphasis_pentagon.csv",
           "emphasis_instrument.csv", "crosstab_instrument_pentagon_units.csv")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, sample_dir):
    """A .jsonl of 120 records (paragraphs of the sample's texts) with one bad line, and two plain documents."""
    folder = tmp_path_factory.mktemp("jsonl")
    paragraphs = [p.strip() for name in ("zh_huayue_opinion_world_class_clusters_2021.txt", "en_eu_communication_world_class_clusters_2016.txt")
                  for p in (sample_dir / name).read_text(encoding="utf-8").split("\n\n") if len(p.strip()) > 40]
    lines = [json.dumps({"id": n, "year": 2000 + n % 20, "text": paragraphs[n % len(paragraphs)]}, ensure_ascii=False) for n in range(120)]
    lines[57] = '{"id": 57, "text": '  # a torn record: one failures.csv row, the others are read
    (folder / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "broken.jsonl").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))  # unreadable as a whole: one row
    for name in ("zh_tw_beiyu_cluster_programme_2018.txt", "de_oberwald_clusterstrategie_2020.txt"):
        (folder / name).write_bytes((sample_dir / name).read_bytes())
    return folder


def test_a_large_jsonl_file_becomes_several_tasks_and_an_unreadable_one_stays_one(corpus, monkeypatch):
    monkeypatch.setattr(parts, "PART_BYTES", 3_000)
    files = find_inputs([corpus]).files
    tasks = parts.split(files, ExtractSettings())
    by_file = {f.relpath: [task.records for index, task in tasks if files[index] == f] for f in files}
    ranges = by_file["records.jsonl"]
    assert len(ranges) > 4
    assert (ranges[0].first, ranges[0].start, ranges[-1].last) == (1, 0, 120)  # every line, once, in order
    assert all(later.first == earlier.last + 1 and later.start == earlier.end for earlier, later in zip(ranges, ranges[1:]))
    assert ranges[-1].end == (corpus / "records.jsonl").stat().st_size
    assert by_file["broken.jsonl"] == [None] and by_file["zh_tw_beiyu_cluster_programme_2018.txt"] == [None]
    assert len(parts.split(files, ExtractSettings(encoding="gb18030"))) == len(files)  # another encoding: not cut


def test_two_workers_sharing_a_jsonl_file_write_what_one_process_writes(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(parts, "PART_BYTES", 3_000)
    one = run([corpus], tmp_path / "one", RunSettings(workers=1, report=False, xlsx=False))
    two = run([corpus], tmp_path / "two", RunSettings(workers=2, report=False, xlsx=False))
    assert (two.documents, two.units, two.hits) == (one.documents, one.units, one.hits)
    assert one.documents == 119 + 2  # 120 records, one of them torn, and the two plain documents
    for name in OUTPUTS:
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name
    failures = (tmp_path / "two" / "failures.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
    assert len(failures) == 2  # the torn record and the unreadable file, each once
    assert any("records.jsonl#58" in row for row in failures) and any("broken.jsonl" in row for row in failures)


def test_a_lost_part_becomes_a_failure_row_naming_its_lines_and_the_other_parts_are_kept(corpus):
    records = next(f for f in find_inputs([corpus]).files if f.relpath == "records.jsonl")
    first, second, third = (replace(records, records=RecordRange(a, b, 0, 0, "abc")) for a, b in ((1, 40), (41, 80), (81, 120)))
    done = [encode("abc", [{"document": {"doc_id": f"records_{n}"}}]) for n in (1, 81)]
    outcomes = [Outcome(0, done[0]), Outcome(1, stage="crash", reason="the worker process was killed by signal SIGSEGV"),
                Outcome(2, done[1])]
    joined = list(parts.joined([(5, first), (5, second), (5, third)], outcomes))
    assert len(joined) == 1 and joined[0].index == 5 and joined[0].ok
    rows = joined[0].value
    assert [row.get("document", {}).get("doc_id") or row["file"] for row in rows] == ["records_1", f"{records.path}#41-80", "records_81"]
    assert rows[1]["stage"] == "crash"


def test_records_are_lines_ending_at_newlines_so_a_line_separator_inside_a_text_stays_in_its_record(tmp_path):
    """JSON leaves U+2028 unescaped (json.dumps(ensure_ascii=False) writes it as it is): it is not the end of a line."""
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"text": "第一条\u2028第二条"}, ensure_ascii=False) + "\r\n" + json.dumps({"text": "二"}) + "\n",
                    encoding="utf-8")
    documents = list(extract_documents(path, "c"))
    assert [(d.doc_id, d.text) for d in documents] == [("c_1", "第一条\u2028第二条"), ("c_2", "二")]


def test_the_parts_of_a_file_read_back_as_one_result():
    whole = encode("abc", [{"n": 1}]) + encode("abc", [{"n": 2}, {"n": 3}])
    assert decode(whole) == ("abc", [{"n": 1}, {"n": 2}, {"n": 3}])
