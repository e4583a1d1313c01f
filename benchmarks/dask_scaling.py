"""Documents per second on Dask workers against the local process pool, in the same run.

    python benchmarks/dask_scaling.py               # needs ../shared/corpora and pip install 'textmine[dask]'
    python benchmarks/dask_scaling.py --repeat 5 --tiny 400

Prints, with runs alternated (local 1, Dask 1, local 2, Dask 2, …) and medians over ``--repeat`` rounds:

* documents/s and pages/s of ``textmine run`` (the library call; no OCR, no extraction cache, no
  report; each run in a fresh process, timed from the call of ``run``) on
  ../shared/corpora/text_zh, text_en and pdf_en with the local process pool (``--workers 1``
  and ``2``) and on a `dask scheduler` with 1 and with 2 single-thread `dask worker` processes
  (started once, outside the timings, and warmed up), and the ratios Dask 2 / Dask 1 (target >= 1.6)
  and Dask / local;
* the overhead of the Dask path per document: ``--tiny`` one-sentence documents on one Dask
  worker against ``--workers 1`` (target < 10 ms);
* a capacity plan from the measured per-core rate of text-layer documents and an OCR rate
  (``--ocr-pages-per-s``; default the 0.43 pages/s per core that benchmarks/extract_speed.py
  measured): worker cores for 10^6 documents, 20% of them scanned, 15 pages each, in one day.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
FOLDERS = ("text_zh", "text_en", "pdf_en")
# One run in a fresh process, as the command runs it (the local pool forks from a single-thread process), timed
# from the call of ``run`` (Python's start-up and imports excluded): prints [seconds, documents, pages].
RUN = """
import json, sys, tempfile, time
from pathlib import Path
import pandas as pd
from textmine.run.batch import RunSettings, run
settings = RunSettings(cache_dir=None, ocr=False, report=False, xlsx=False, **json.loads(sys.argv[1]))
with tempfile.TemporaryDirectory() as out:
    started = time.perf_counter()
    result = run(sys.argv[2:], out, settings)
    seconds = time.perf_counter() - started
    documents = pd.read_csv(Path(out) / "documents.csv", encoding="utf-8-sig")
pages = int(pd.to_numeric(documents["pages"], errors="coerce").fillna(1).sum())
print(json.dumps([seconds, result.documents, pages]))
"""


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def timed_run(inputs, **options) -> tuple[float, int, int]:
    """(seconds, documents, pages) of one run into a fresh folder."""
    done = subprocess.run([sys.executable, "-c", RUN, json.dumps(options), *map(str, inputs)], env=_env(),
                          capture_output=True, text=True, check=True)
    seconds, documents, pages = json.loads(done.stdout.strip().splitlines()[-1])
    return seconds, documents, pages


@contextmanager
def dask_cluster(workers: int, folder: Path):
    """A `dask scheduler` and ``workers`` single-thread `dask worker` processes on 127.0.0.1; yields the address."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    log = open(folder / f"dask-{workers}.log", "w")
    dask = [sys.executable, "-m", "dask"]
    processes = [subprocess.Popen([*dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                                  env=_env(), stdout=log, stderr=log, cwd=folder)]
    try:
        processes += [subprocess.Popen([*dask, "worker", address, "--nthreads", "1", "--no-nanny", "--host", "127.0.0.1",
                                        "--no-dashboard", "--local-directory", str(folder / f"w{workers}-{i}")],
                                       env=_env(), stdout=log, stderr=log, cwd=folder) for i in range(workers)]
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=120)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def tiny_corpus(folder: Path, count: int) -> Path:
    folder.mkdir()
    for i in range(count):
        (folder / f"en_tiny_{i:05d}.txt").write_text(f"The ministry will fund cluster cooperation networks, item {i}.\n",
                                                     encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tiny", type=int, default=300, help="one-sentence documents for the overhead per document")
    parser.add_argument("--ocr-pages-per-s", type=float, default=0.43, help="OCR pages per second per core")
    args = parser.parse_args()
    inputs = [CORPORA / name for name in FOLDERS if (CORPORA / name).is_dir()]
    if not inputs:
        print(f"skipped: {CORPORA} has none of {', '.join(FOLDERS)}")
        return
    try:
        import distributed  # noqa: F401
    except ImportError:
        print("skipped: dask is not installed (pip install 'textmine[dask]')")
        return

    with tempfile.TemporaryDirectory() as scratch, dask_cluster(1, Path(scratch)) as one, dask_cluster(2, Path(scratch)) as two:
        tiny = tiny_corpus(Path(scratch) / "tiny", args.tiny)
        configs = {"local 1": {"workers": 1}, "Dask 1": {"scheduler": one}, "local 2": {"workers": 2}, "Dask 2": {"scheduler": two}}
        for options in configs.values():  # every Dask worker starts its textmine process here, outside the timings
            timed_run([tiny], **options)
        corpus: dict[str, list] = {name: [] for name in configs}
        overhead: dict[str, list] = {"local 1": [], "Dask 1": []}
        pdf: list = []  # text-layer PDFs on one core, for the capacity plan
        for round_ in range(args.repeat):
            for name, options in configs.items():
                corpus[name].append(timed_run(inputs, **options))
                if name in overhead:
                    overhead[name].append(timed_run([tiny], **options)[0])
            if (CORPORA / "pdf_en").is_dir():
                pdf.append(timed_run([CORPORA / "pdf_en"], workers=1))
            print(f"round {round_ + 1}: " + ", ".join(f"{n} {corpus[n][-1][0]:.1f} s" for n in configs)
                  + f"; tiny: local 1 {overhead['local 1'][-1]:.2f} s, Dask 1 {overhead['Dask 1'][-1]:.2f} s", flush=True)
    report(inputs, corpus, overhead, pdf, args)


def report(inputs, corpus: dict, overhead: dict, pdf: list, args) -> None:
    documents, pages = corpus["local 1"][0][1:]
    print(f"\n{documents} documents, {pages} pages (PDF pages; other documents count 1) from "
          f"{', '.join(p.name for p in inputs)}; medians of {args.repeat} alternating rounds")
    median = {name: statistics.median(r[0] for r in runs) for name, runs in corpus.items()}
    print("| runner | seconds | documents/s | pages/s |\n|---|---|---|---|")
    for name, seconds in median.items():
        print(f"| {name} | {seconds:.2f} | {documents / seconds:.2f} | {pages / seconds:.1f} |")
    ratios = {name: [runs_b[0] / runs_a[0] for runs_a, runs_b in zip(corpus[a], corpus[b])]
              for name, (a, b) in {"Dask 2 / Dask 1 (speed-up)": ("Dask 2", "Dask 1"),
                                   "local 2 / local 1 (speed-up)": ("local 2", "local 1"),
                                   "Dask 1 / local 1 (speed)": ("Dask 1", "local 1"),
                                   "Dask 2 / local 2 (speed)": ("Dask 2", "local 2")}.items()}
    for name, values in ratios.items():
        print(f"{name}: median {statistics.median(values):.2f}x (rounds: {', '.join(f'{v:.2f}' for v in values)})")
    per_doc = [(d - l) / args.tiny * 1000 for d, l in zip(overhead["Dask 1"], overhead["local 1"])]
    print(f"Dask overhead per document ({args.tiny} one-sentence documents, 1 Dask worker vs --workers 1): "
          f"median {statistics.median(per_doc):.1f} ms (rounds: {', '.join(f'{v:.1f}' for v in per_doc)}; target < 10)")
    if pdf:
        seconds = statistics.median(r[0] for r in pdf)
        print(f"pdf_en alone, --workers 1: {pdf[0][1]} documents, {pdf[0][2]} pages in {seconds:.2f} s (median)")
        speedup = statistics.median(ratios["Dask 2 / Dask 1 (speed-up)"])
        capacity(pdf[0][2] / seconds, speedup / 2, args.ocr_pages_per_s)


def capacity(text_pages_per_s: float, efficiency: float, ocr_pages_per_s: float) -> None:
    """Worker cores for 10^6 documents (20% scanned, 15 pages each) in a day, from per-core rates."""
    documents, scanned, pages, day = 1_000_000, 0.20, 15, 86_400
    text_seconds = documents * (1 - scanned) * pages / text_pages_per_s
    ocr_seconds = documents * scanned * pages / ocr_pages_per_s
    cores = (text_seconds + ocr_seconds) / day
    print(f"\nCapacity plan: 10^6 documents, 20% scanned, 15 pages each, in one day\n"
          f"  text layer: {documents * (1 - scanned) * pages:,.0f} pages at {text_pages_per_s:.0f} pages/s per core "
          f"(extract, segment, code) = {text_seconds / 3600:,.0f} core-hours\n"
          f"  OCR: {documents * scanned * pages:,.0f} pages at {ocr_pages_per_s} pages/s per core = {ocr_seconds / 3600:,.0f} core-hours\n"
          f"  -> {cores:.0f} worker cores at perfect scaling; {cores / min(1.0, efficiency):.0f} at the efficiency of this "
          f"run's 2 Dask workers ({min(1.0, efficiency):.2f} per worker)")


if __name__ == "__main__":
    main()
