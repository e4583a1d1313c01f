"""Progress within a long document: pages read by OCR are reported while the document is read, and shown."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pypdfium2
import pytest

from conftest import needs_tesseract
from textmine.run.batch import RunSettings, run

REPO = Path(__file__).resolve().parents[1]


def _scanned_corpus(data_dir, folder, pages=3) -> Path:
    """A folder with a scanned PDF of ``pages`` image-only pages (the English test scan repeated) and a text file."""
    folder.mkdir()
    source = pypdfium2.PdfDocument(data_dir / "en_scanned.pdf")
    scan = pypdfium2.PdfDocument.new()
    scan.import_pages(source, [0] * pages)
    scan.save(folder / "long_scan.pdf")
    (folder / "short.txt").write_text("Cluster cooperation between firms and universities.\n", encoding="utf-8")
    return folder


@needs_tesseract()
@pytest.mark.parametrize("workers", [1, 2])
def test_run_reports_the_ocr_pages_of_a_long_document(data_dir, tmp_path, workers):
    corpus = _scanned_corpus(data_dir, tmp_path / "corpus", pages=3 if workers == 1 else 2)
    total = 3 if workers == 1 else 2
    seen, files = [], []
    settings = RunSettings(workers=workers, cache_dir=None, xlsx=False, report=False)
    result = run([corpus], tmp_path / "out", settings, progress=lambda d, t: files.append((d, t)),
                 pages=lambda name, d, t: seen.append((name, d, t)))
    assert result.documents == 2 and not result.failures
    assert seen == [("long_scan.pdf", done, total) for done in range(total + 1)]  # before each page, and when all are read
    assert files[0] == (0, 2) and files[-1] == (2, 2)  # the display starts before the first file


@needs_tesseract()
def test_the_progress_display_shows_the_pages_in_a_terminal(data_dir, tmp_path):
    corpus = _scanned_corpus(data_dir, tmp_path / "corpus", pages=2)
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))  # a terminal 160 columns wide
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, "-m", "textmine", "run", str(corpus), "--out", str(tmp_path / "out"),
                                "--workers", "2", "--no-cache", "--no-xlsx"], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=follower, env=env, cwd=tmp_path)
    os.close(follower)
    shown = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the program ended and closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    assert process.wait(60) == 0, shown.decode(errors="replace")[-2000:]
    text = shown.decode("utf-8", errors="replace")
    assert "long_scan.pdf: OCR page 0/2" in text and "long_scan.pdf: OCR page 1/2" in text, text[-2000:]
