"""`run` on a real Dask cluster (a `dask scheduler` and two `dask worker` processes on 127.0.0.1) and `run --resume`:
the outputs are those of a local run, a worker killed mid-run costs nothing, and a client killed mid-run resumes
without reading again the files it completed."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

import textmine

from conftest import SAMPLE

pytest.importorskip("distributed", reason="the dask extra is not installed (pip install 'textmine[dask]')")

TIMINGS = {"started", "seconds", "options", "files_processed", "files_resumed"}  # what may differ between equal runs
BOOKKEEPING = {".textmine-run.json", ".textmine.lock", ".textmine-resume"}
STOP_SECONDS = 10


def _env() -> dict:
    """Subprocesses import the textmine this test imports (the source tree, or an installed copy)."""
    here = str(Path(textmine.__file__).resolve().parents[1])
    return {**os.environ, "PYTHONPATH": here + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _textmine(*args) -> list[str]:
    # the console script, not `python -m`, which would import the source tree in the working folder first
    return [str(Path(sys.executable).with_name("textmine")), *map(str, args)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_SECONDS)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The sample corpus coded by a local run (in this process, one worker): every default output."""
    from textmine.run.batch import RunSettings, run

    out = tmp_path_factory.mktemp("local")
    run([str(SAMPLE)], out, RunSettings(workers=1, cache_dir=None))
    return out


@contextmanager
def _dask_cluster(folder: Path, env: dict):
    """A `dask scheduler` and two single-thread `dask worker` processes (their PIDs), stopped at the end whatever happens."""
    from distributed import Client

    address = f"tcp://127.0.0.1:{_free_port()}"
    scheduler_file = folder / "scheduler.json"
    dask = [sys.executable, "-m", "dask"]
    log = open(folder / "dask.log", "w")
    processes = [subprocess.Popen([*dask, "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard",
                                   "--scheduler-file", str(scheduler_file)], env=env, stdout=log, stderr=log, cwd=folder)]
    try:
        for name in ("a", "b"):
            processes.append(subprocess.Popen([*dask, "worker", address, "--nthreads", "1", "--no-nanny", "--host", "127.0.0.1",
                                               "--no-dashboard", "--local-directory", str(folder / name), "--name", name],
                                              env=env, stdout=log, stderr=log, cwd=folder))
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
            pids = client.run(os.getpid)  # worker address -> PID
        yield {"address": address, "scheduler_file": scheduler_file, "pids": pids}
    finally:
        for process in reversed(processes):
            _stop(process)
        log.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with _dask_cluster(tmp_path_factory.mktemp("dask"), _env()) as started:
        yield started


def _kill_worker_holding(cluster: dict, run: subprocess.Popen, key_end: str = "") -> int | None:
    """Kill (SIGKILL) the first worker that holds a task of the run (whose key ends with ``key_end``); its PID."""
    from distributed import Client

    with Client(cluster["address"], timeout=60) as client:
        deadline = time.monotonic() + 120
        while run.poll() is None and time.monotonic() < deadline:
            for worker, keys in client.processing().items():
                if any(str(k).startswith("textmine-") and str(k).endswith(key_end) for k in keys):
                    os.kill(cluster["pids"][worker], signal.SIGKILL)
                    return cluster["pids"][worker]
            time.sleep(0.005)
    return None


def _outputs(folder: Path) -> dict[str, object]:
    """Every output file of a run, as comparable content (timings and execution options taken out)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_dir() or relative.parts[0] in BOOKKEEPING:
            continue
        name = relative.as_posix()
        if name == "run.json":
            found[name] = {k: v for k, v in json.loads(path.read_text(encoding="utf-8")).items() if k not in TIMINGS}
        elif name == "report.html":
            found[name] = re.sub(r"<dl class=prov>.*?</dl>", "", path.read_text(encoding="utf-8"), flags=re.S)
        elif name == "report.xlsx":
            found[name] = _workbook(path)
        else:
            found[name] = path.read_bytes()
    return found


def _workbook(path: Path) -> dict:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    sheets = {}
    for sheet in book.worksheets:
        rows = [row for row in sheet.iter_rows(values_only=True)]
        if sheet.title == "run":
            rows = [row for row in rows if row[0] not in TIMINGS]
        sheets[sheet.title] = rows
    book.close()
    return sheets


def _assert_same(folder: Path, reference: Path) -> None:
    got, expected = _outputs(folder), _outputs(reference)
    assert sorted(got) == sorted(expected)
    for name in expected:
        assert got[name] == expected[name], f"{name} differs from the local run's"


def test_the_time_limit_holds_on_dask_workers(cluster, tmp_path):
    """A file far too long for --timeout is a `timeout` row, as in a local run; the others are coded."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SAMPLE / "en_eu_communication_world_class_clusters_2016.txt", corpus)
    text = (SAMPLE / "zh_huayue_opinion_world_class_clusters_2021.txt").read_text(encoding="utf-8")
    (corpus / "zh_long.txt").write_text(text * 2000, encoding="utf-8")  # 12 MB: several seconds of coding
    out = tmp_path / "out"
    done = subprocess.run(_textmine("run", corpus, "--out", out, "--timeout", "1", "--no-cache", "--no-xlsx",
                                    "--scheduler-file", cluster["scheduler_file"]), env=_env(), capture_output=True, text=True, timeout=180)
    assert done.returncode == 3, done.stderr
    failures = (out / "failures.csv").read_text(encoding="utf-8-sig").splitlines()
    assert failures[1:] == [f"{corpus / 'zh_long.txt'},timeout,took longer than the time limit of 1 s (--timeout)"]
    assert (out / "documents.csv").read_text(encoding="utf-8-sig").count("\n") == 2  # the header and the short file


def test_a_resumed_run_reads_only_what_was_not_completed(reference, tmp_path):
    """The client killed mid-run (SIGKILL), then `--resume`: the same outputs, and completed files not read again."""
    out = tmp_path / "out"
    manifest = out / ".textmine-resume" / "manifest.jsonl"
    client = subprocess.Popen(_textmine("run", SAMPLE, "--out", out, "--workers", "1", "--no-cache"), env=_env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while client.poll() is None and time.monotonic() < deadline:
            if manifest.is_file() and manifest.read_text(encoding="utf-8").count("\n") >= 3:
                client.send_signal(signal.SIGKILL)
                break
            time.sleep(0.005)
        client.wait(STOP_SECONDS)
    finally:
        _stop(client)
    assert client.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    completed = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines()]
    shards = {p: p.stat().st_mtime_ns for p in (out / ".textmine-resume" / "shards").rglob("*.z")}
    assert 3 <= len(completed) < 11 and len(shards) == len(completed)

    done = subprocess.run(_textmine("run", SAMPLE, "--out", out, "--workers", "1", "--no-cache", "--resume"), env=_env(),
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    _assert_same(out, reference)
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert (record["files_resumed"], record["files_processed"]) == (len(completed), 11 - len(completed))
    assert all(p.stat().st_mtime_ns == mtime for p, mtime in shards.items())  # not written again
    assert manifest.read_text(encoding="utf-8").count("\n") == 11  # one line more per file read now


def test_editing_the_german_terms_of_a_lexicon_resumes_the_documents_they_cannot_code(tmp_path):
    """German terms are looked for in German units and in the Latin text of Chinese units (``tag.applies``): the
    English and French documents are taken over, the others coded again, and the result is a fresh run's."""
    from textmine.run.batch import RunSettings, run

    lexicon = tmp_path / "extra.yaml"
    scheme = "scheme: extra\nversion: 1\ncategories:\n  - code: CL\n    terms:\n      en: [cluster]\n      de: [{}]\n"
    lexicon.write_text(scheme.format("Cluster"), encoding="utf-8")
    settings = RunSettings(lexicons=(str(lexicon),), workers=1, cache_dir=None, xlsx=False, report=False)
    first = run([str(SAMPLE)], tmp_path / "out", settings)
    lexicon.write_text(scheme.format("Strategie"), encoding="utf-8")
    shown = []
    resumed = run([str(SAMPLE)], tmp_path / "out", RunSettings(**{**settings.__dict__, "resume": True}),
                  status=lambda progress: shown.append(progress.describe()))
    fresh = run([str(SAMPLE)], tmp_path / "fresh", settings)

    import pandas as pd

    units = pd.read_csv(tmp_path / "fresh" / "coded_units.csv", encoding="utf-8-sig")
    langs = units.groupby("file")["lang"].agg(set)
    untouched = [f for f, found in langs.items() if not found & {"de", "zh", "ja", "ko"}]
    assert first.files_processed == 11 and len(untouched) >= 4
    assert resumed.files_resumed == len(untouched) and resumed.files_processed == 11 - len(untouched)
    assert fresh.files_resumed == 0
    assert len(shown) == 11 and shown[0].startswith("1 done, 0 failed, 10 remaining; ") and shown[-1].startswith("11 done, 0 failed, 0 remaining; ")
    _assert_same(tmp_path / "out", tmp_path / "fresh")


def test_a_run_on_a_dask_cluster_writes_what_a_local_run_writes_though_a_worker_is_killed(cluster, reference, tmp_path):
    """One of the two workers is killed (SIGKILL) while it holds files of the run: they run again on the other, and
    every output is the local run's. Runs last: it leaves one worker."""
    out = tmp_path / "out"
    run = subprocess.Popen(_textmine("run", SAMPLE, "--out", out, "--scheduler", cluster["address"]), env=_env(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        killed = _kill_worker_holding(cluster, run)
        _, stderr = run.communicate(timeout=180)
    finally:
        _stop(run)
    assert killed is not None, "no worker took a file"
    assert run.returncode == 0, stderr
    _assert_same(out, reference)
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["options"]["scheduler"] == cluster["address"]


def test_a_local_run_does_not_import_dask(tmp_path):
    code = ("import sys; from textmine.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))")
    done = subprocess.run([sys.executable, "-c", code, "run", SAMPLE / "fr_poles_competitivite_feuille_de_route_2019.txt",
                           "--out", tmp_path / "out", "--no-xlsx", "--workers", "1"], env=_env(), capture_output=True, text=True, timeout=120)
    assert (tmp_path / "out" / "coded_units.csv").is_file(), done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("options, message", [
    (["--cluster", "local:x"], "use local:N"),
    (["--cluster", "local:2", "--scheduler", "tcp://127.0.0.1:1"], "give one of --scheduler, --scheduler-file and --cluster"),
])
def test_cluster_options_are_checked(textmine_cli, tmp_path, options, message):
    code, _, err = textmine_cli("run", SAMPLE, "--out", tmp_path / "out", *options)
    assert code == 2 and message in err
    assert not (tmp_path / "out").exists()


def test_a_file_that_kills_its_workers_is_given_up_and_the_run_goes_on(tmp_path):
    """A scheduler that gives a task up at the first worker death (allowed-failures 0): the file whose worker is killed
    gets a `worker` row in failures.csv, the other file is coded."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("de_oberwald_clusterstrategie_2020.txt", "fr_poles_competitivite_feuille_de_route_2019.txt"):
        shutil.copy(SAMPLE / name, corpus)
    (tmp_path / "dask").mkdir()
    env = {**_env(), "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"}
    with _dask_cluster(tmp_path / "dask", env) as fragile:
        run = subprocess.Popen(_textmine("run", corpus, "--out", tmp_path / "out", "--scheduler", fragile["address"], "--no-xlsx"),
                               env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            killed = _kill_worker_holding(fragile, run, key_end="-0")  # the first file's task
            _, stderr = run.communicate(timeout=180)
        finally:
            _stop(run)
    assert killed is not None and run.returncode == 3, stderr
    failures = (tmp_path / "out" / "failures.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
    assert len(failures) == 1 and failures[0].startswith(f"{corpus / 'de_oberwald_clusterstrategie_2020.txt'},worker,")
    documents = (tmp_path / "out" / "documents.csv").read_text(encoding="utf-8-sig")
    assert "fr_poles_competitivite_feuille_de_route_2019" in documents and "de_oberwald" not in documents
