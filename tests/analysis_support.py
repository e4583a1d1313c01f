"""One `textmine run` of the sample corpus shared by the analysis, report and terms tests (run once per session)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import pandas as pd

SAMPLE = Path(__file__).resolve().parents[1] / "corpora" / "sample"


@lru_cache(maxsize=1)
def sample_results() -> Path:
    from textmine.cli import main

    out = Path(tempfile.mkdtemp(prefix="textmine-analysis-tests-")) / "results"
    atexit.register(shutil.rmtree, out.parent, True)
    try:
        main(["run", str(SAMPLE), "--out", str(out)])
    except SystemExit as exit_:
        assert exit_.code == 0, f"textmine run exited {exit_.code}"
    return out


def read_csv(path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype={"doc_id": str, "unit_id": str, "year": str}, keep_default_na=False, na_values=[""])
