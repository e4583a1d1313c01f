"""Fuzzing the contract of `run` and `lexicon check` with mutated small PDFs, docx, .jsonl and YAML (issue 10).

The contract: exit status 0, 2 or 3 only; every input file (every record of a .jsonl) in
documents.csv or failures.csv exactly once; no file written outside --out; peak memory bounded.
Bounded: a few examples of a few mutations each, so the whole file runs in well under a minute
on an idle machine.
"""

from __future__ import annotations

import csv
import io
import json
import resource
import tempfile
from pathlib import Path

import docx
from hypothesis import HealthCheck, given, settings, strategies as st

EN = "The cluster programme funds research and development networks between universities and firms."
PEAK_LIMIT_KB = 2_000_000  # the whole test process, pytest included
FUZZ = settings(max_examples=5, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

mutations = st.lists(
    st.tuples(st.sampled_from(["flip", "insert", "delete", "truncate", "repeat"]), st.integers(0, 1 << 30),
              st.binary(min_size=1, max_size=8)),
    min_size=1, max_size=4,
)


def mutate(data: bytes, steps) -> bytes:
    for kind, where, extra in steps:
        at = where % max(len(data), 1)
        if kind == "flip":
            data = data[:at] + bytes(b ^ 0xFF for b in extra[:1]) + data[at + 1:]
        elif kind == "insert":
            data = data[:at] + extra + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + len(extra) * 16:]
        elif kind == "truncate":
            data = data[:at]
        else:
            data = data[:at] + data[at:at + 64] * (1 + extra[0] % 50) + data[at:]
    return data


def small_pdf(text: str = EN) -> bytes:
    """A one-page PDF with a Helvetica text line, uncompressed, so mutations hit its structure."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def small_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Cluster programme", 1)
    document.add_paragraph(EN)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def small_jsonl() -> bytes:
    records = [{"text": EN, "year": 2020}, {"text": "本办法支持产学研合作和创新集群建设。", "year": 2021}]
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def mutate_docx(data: bytes, steps) -> bytes:
    """The docx with its word/document.xml mutated and zipped again (valid CRCs: the XML reader gets the bytes)."""
    import zipfile

    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item)
            archive.writestr(item, mutate(content, steps) if item.filename == "word/document.xml" else content)
    return target.getvalue()


SEEDS = {"doc.pdf": small_pdf(), "doc.docx": small_docx(), "records.jsonl": small_jsonl()}
MUTATORS = {"doc.pdf": mutate, "doc.docx": mutate_docx, "records.jsonl": mutate}

LEXICON = """scheme: fuzz
version: 1
categories:
  - code: NET
    name: {en: networks}
    terms:
      en: [network, cluster*]
      zh: [集群]
  - code: FUND
    terms:
      en: &money [funding, grant]
    exclude:
      en: [funding gap]
"""


def snapshot(root: Path, skip: Path) -> dict:
    return {p: (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*") if skip not in (p, *p.parents)}


def rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def peak_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def test_seeds_are_read_whole(textmine_cli, tmp_path):
    """Without mutations every seed is a document (so the fuzz starts from files that work)."""
    for name, data in SEEDS.items():
        (tmp_path / name).write_bytes(data)
    code, _, err = textmine_cli("run", tmp_path, "--out", tmp_path / "out", "--workers", "1", "--no-cache", "--no-ocr")
    assert code == 0, err
    assert sorted({r["file"] for r in rows(tmp_path / "out" / "documents.csv")}) == sorted(SEEDS)


@FUZZ
@given(pdf=mutations, docx_=mutations, jsonl=mutations)
def test_run_keeps_its_contract_on_mutated_documents(textmine_cli, pdf, docx_, jsonl):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inputs, out = root / "in", root / "out"
        inputs.mkdir()
        for (name, seed), steps in zip(SEEDS.items(), (pdf, docx_, jsonl)):
            (inputs / name).write_bytes(MUTATORS[name](seed, steps))
        (inputs / "clean.txt").write_text(EN, encoding="utf-8")
        before = snapshot(root, out)
        code, _, err = textmine_cli("run", inputs, "--out", out, "--workers", "1", "--no-cache", "--no-ocr", "--timeout", "30",
                                   "--no-xlsx")
        assert code in (0, 2, 3), err
        assert snapshot(root, out) == before  # nothing written outside --out
        assert peak_kb() < PEAK_LIMIT_KB
        if code == 2:
            assert len(err.strip().splitlines()) == 1
            return
        document_rows = rows(out / "documents.csv")
        documents = [r["file"] for r in document_rows]
        failed = [Path(r["file"]).name for r in rows(out / "failures.csv")]
        assert (code == 3) == bool(failed)
        for name in ("doc.pdf", "doc.docx", "clean.txt"):  # one document each, or one failure
            assert documents.count(name) + failed.count(name) == 1, (name, documents, failed)
        assert_records_once(document_rows, failed)


def assert_records_once(document_rows: list[dict], failed: list[str]) -> None:
    """records.jsonl: failed whole, or each record a document or a failure row (records.jsonl#N), never both."""
    read = [r["doc_id"].rsplit("_", 1)[1] for r in document_rows if r["file"] == "records.jsonl"]
    lines = [f.split("#", 1)[1] for f in failed if f.startswith("records.jsonl#")]
    whole = failed.count("records.jsonl")
    assert (whole == 1 and not read and not lines) or (whole == 0 and (read or lines)), (read, lines, failed)
    assert len(set(read)) == len(read) and len(set(lines)) == len(lines) and not set(read) & set(lines), (read, lines)


@settings(max_examples=40, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=mutations)
def test_lexicon_check_keeps_its_contract_on_mutated_yaml(textmine_cli, steps):
    with tempfile.TemporaryDirectory() as tmp:
        lexicon = Path(tmp) / "fuzz.yaml"
        lexicon.write_bytes(mutate(LEXICON.encode("utf-8"), steps))
        code, out, err = textmine_cli("lexicon", "check", lexicon)
        assert code in (0, 2), out + err
        assert peak_kb() < PEAK_LIMIT_KB
        assert sorted(p.name for p in Path(tmp).iterdir()) == ["fuzz.yaml"]
