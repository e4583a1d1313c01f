"""`textmine --help` and `textmine tag` on one document start without the heavy libraries; `run` imports SciPy for its
analysis while the documents are coded.

Each command runs as a fresh process with ``python -X importtime``, which lists every module
the process imported: pandas, pyarrow, matplotlib, scikit-learn and SciPy must not be among
them (they are imported where a table, figure or model is made). Checked by what is imported,
not by timing: ``benchmarks/startup.py`` measures the time.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO, SAMPLE

HEAVY = {"pandas", "pyarrow", "matplotlib", "sklearn", "scipy"}


def imported(*args: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run ``python -m textmine ARGS``; the result and the top-level packages of every module it imported."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "textmine", *args], capture_output=True, text=True,
                          env=env, timeout=120)
    names = {line.rsplit("|", 1)[1].strip().split(".")[0] for line in done.stderr.splitlines()
             if line.startswith("import time:") and "|" in line}
    return done, names


def test_importtime_lists_what_a_process_imports(tmp_path):
    """The check below can fail: a command that reads a table does import pandas."""
    done, names = imported("tag", str(SAMPLE / "metadata.csv"), "--text-column", "region", "--out", str(tmp_path / "coded.csv"))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "pandas" in names


@pytest.mark.parametrize("args", [
    ["--help"],
    ["tag", "--help"],
    ["run", "--help"],
    ["tag", str(SAMPLE / "zh_huayue_opinion_world_class_clusters_2021.txt")],
    ["tag", str(SAMPLE / "en_lakemoor_s3_cluster_programme_2021.pdf")],
], ids=["help", "tag-help", "run-help", "tag-txt", "tag-pdf"])
def test_no_heavy_imports(args):
    done, names = imported(*args)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip()
    assert not names & HEAVY, f"textmine {' '.join(args[:1])} imported {sorted(names & HEAVY)}"


def test_every_command_help_is_light():
    from textmine.cli import cli

    for name, command in cli.commands.items():
        for sub in getattr(command, "commands", {None: None}):
            args = [name, *([sub] if sub else []), "--help"]
            done, names = imported(*args)
            assert done.returncode == 0, done.stderr[-2000:]
            assert not names & HEAVY, f"textmine {' '.join(args)} imported {sorted(names & HEAVY)}"


def test_the_processes_that_draw_figures_do_without_scipy():
    """`run` draws figures in processes that import the analysis module and matplotlib before the analysis is done;
    SciPy is imported by the statistical tests, in the process that runs them."""
    code = ("import sys, textmine.analysis.comparison, textmine.analysis.plot as plot; plot.warm_up(); "
            "print(' '.join(name for name in ('matplotlib', 'scipy') if name in sys.modules))")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["matplotlib"]


WHEN_SCIPY_IS_IMPORTED = """
import sys
from pathlib import Path
import textmine.run.batch as batch

seen = []
write_outputs = batch.write_outputs
def spy(*args, **kwargs):
    seen.append("scipy.stats" in sys.modules)
    return write_outputs(*args, **kwargs)
batch.write_outputs = spy
sample, out = Path(sys.argv[1]), Path(sys.argv[2])
batch.run([sample / "zh_huayue_opinion_world_class_clusters_2021.txt"], out / "terms",
          batch.RunSettings(workers=1, cache_dir=None, xlsx=False, report=False))
seen.append("scipy" in sys.modules)
batch.run([sample], out / "run", batch.RunSettings(workers=1, cache_dir=None, xlsx=False))
print(seen)
"""


def test_run_imports_scipy_while_documents_are_coded_and_only_for_its_analysis(tmp_path):
    """The statistical tests need SciPy (half a second to import): `run` imports it after its first file, not once
    the documents are done, when the figure processes start; a run without the analysis (`terms`) never does."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", WHEN_SCIPY_IS_IMPORTED, str(SAMPLE), str(tmp_path)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[False, False, True]"
