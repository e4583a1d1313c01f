"""The Slurm example of docs/large-corpora.md: its jobqueue.yaml makes the job script it promises.

Slurm itself cannot run here; dask-jobqueue builds the job script and starts the cluster's
scheduler (which writes the scheduler file `textmine run --scheduler-file` reads) without it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

dask = pytest.importorskip("dask")
dask_jobqueue = pytest.importorskip("dask_jobqueue")

PAGE = Path(__file__).resolve().parents[1] / "docs" / "large-corpora.md"


def _documented_config() -> dict:
    blocks = re.findall(r"```yaml\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1, "large-corpora.md should hold one jobqueue.yaml"
    return yaml.safe_load(blocks[0])


def test_the_documented_jobqueue_yaml_gives_one_single_thread_worker_per_core(tmp_path, monkeypatch):
    slurm = _documented_config()["jobqueue"]["slurm"]
    monkeypatch.chdir(tmp_path)
    with dask.config.set({f"jobqueue.slurm.{key}": value for key, value in slurm.items()}):
        cluster = dask_jobqueue.SLURMCluster()
        try:
            script = cluster.job_script()
            address = cluster.scheduler_address
        finally:
            cluster.close()
    assert f"--cpus-per-task={slurm['cores']}" in script
    assert f"--nworkers {slurm['processes']}" in script and "--nthreads 1" in script
    assert f"#SBATCH -p {slurm['queue']}" in script and f"#SBATCH -A {slurm['account']}" in script
    assert slurm["job-script-prologue"][0] in script  # the environment where textmine[dask] is installed
    written = json.loads((tmp_path / "scheduler.json").read_text(encoding="utf-8"))
    assert written["address"] == address  # the file `textmine run --scheduler-file scheduler.json` reads
