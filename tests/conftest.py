"""Shared fixtures: paths to test data, the shipped lexicons, and running the CLI in-process."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
SAMPLE = REPO / "corpora" / "sample"
SHARED = REPO.parent / "shared"


def pytest_configure(config):
    """Caches and configuration that libraries keep under the home folder (matplotlib's font list,
    fontconfig, XDG caches, Dask's ~/.config/dask) go to a temporary folder for the whole run, set before any test
    module imports them and inherited by every command a test runs."""
    home = Path(tempfile.mkdtemp(prefix="textmine-tests-"))
    config.textmine_home = home
    for variable, folder in (("XDG_CACHE_HOME", "cache"), ("XDG_CONFIG_HOME", "config"), ("MPLCONFIGDIR", "matplotlib"),
                             ("DASK_CONFIG", "dask")):
        os.environ[variable] = str(home / folder)


def pytest_unconfigure(config):
    shutil.rmtree(getattr(config, "textmine_home", ""), ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def isolated_cache(tmp_path_factory):
    """Every test, and every command it runs, keeps extracted text in a temporary cache, never in ~/.cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TEXTMINE_CACHE_DIR", str(tmp_path_factory.mktemp("textmine-cache")))
        yield


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared (real policy documents and gold units, not ours to copy); tests using it skip without it."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present (real corpora and gold units live there)")
    return SHARED


@pytest.fixture(scope="session")
def lexicons():
    from textmine.coding.lexicon import load_lexicons

    return load_lexicons()


@pytest.fixture(scope="session")
def tagger(lexicons):
    from textmine.coding.tag import Tagger

    return Tagger(lexicons)


@pytest.fixture
def textmine_cli(capsys):
    """Run `textmine ARGS…` in-process; returns (exit status, stdout, stderr)."""
    from textmine.cli import main

    def run(*args):
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def needs_tesseract():
    return pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed (see README: OCR)")
