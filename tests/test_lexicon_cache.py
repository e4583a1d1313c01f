"""The cache of lexicons and matchers: a start that finds them cached codes exactly as one that reads the files,
an edited lexicon is never served from it, and a cache that cannot be used only costs time."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from conftest import REPO, SAMPLE

DOCUMENT = SAMPLE / "zh_huayue_opinion_world_class_clusters_2021.txt"
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")  # what click strips from text printed to a file


def tag(cache, *args) -> tuple[str, set[str]]:
    """`textmine tag ARGS` in a fresh process with this cache folder: what it printed, and the modules it imported."""
    env = {**os.environ, "TEXTMINE_CACHE_DIR": str(cache),
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "textmine", "tag", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    modules = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    return done.stdout, modules


def test_a_second_start_reads_the_cache_and_prints_the_same(tmp_path):
    first, first_modules = tag(tmp_path / "cache", DOCUMENT)
    entries = list((tmp_path / "cache" / "lexicons").glob("*.json"))
    assert len(entries) >= 2  # the lexicons, and the matcher of the document's language
    second, second_modules = tag(tmp_path / "cache", DOCUMENT)
    assert second == first and "pentagon:" in first
    assert "yaml" in first_modules and "yaml" not in second_modules  # the lexicon files were not parsed again


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TEXTMINE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_an_edited_lexicon_is_never_served_from_the_cache(tmp_path, own_cache, textmine_cli):
    document = tmp_path / "plan.txt"
    document.write_text("支持产业集群发展。\n\n加强技术创新。\n", encoding="utf-8")
    lexicon = tmp_path / "mine.yaml"

    def codes_with(term: str) -> str:
        lexicon.write_text(textwrap.dedent(f"""\
            scheme: mine
            categories:
              - code: HIT
                terms:
                  zh: [{term}]
            """), encoding="utf-8")
        status, out, err = textmine_cli("tag", document, "--lexicon", lexicon, "--no-default-lexicons")
        assert status == 0, err
        return out

    assert "mine: HIT 1" in codes_with("集群")
    assert "[集群]" in codes_with("集群")  # the same file again: from the cache
    changed = codes_with("创新")  # the same size, another term
    assert "[创新]" in changed and "[集群]" not in changed


def test_a_cache_that_cannot_be_written_or_is_damaged_only_costs_time(tmp_path):
    reference, _ = tag(tmp_path / "cache", DOCUMENT)
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("", encoding="utf-8")
    assert tag(not_a_folder, DOCUMENT)[0] == reference
    entries = list((tmp_path / "cache" / "lexicons").glob("*.json"))
    for number, entry in enumerate(entries):
        entry.write_text(["{", "[]", '{"lexicons": [1]}', '{"patterns": 5, "keys": 1}'][number % 4], encoding="utf-8")
    assert tag(tmp_path / "cache", DOCUMENT)[0] == reference
    assert all(isinstance(json.loads(entry.read_text(encoding="utf-8")), dict) for entry in entries)  # written again


def test_cached_lexicons_are_those_the_files_give(own_cache):
    from textmine.coding.lexicon import load_lexicons, shipped_lexicon_paths

    paths = [*shipped_lexicon_paths(), REPO / "docs" / "examples" / "extend_pentagon.yaml", REPO / "docs" / "examples" / "nato.yaml"]
    read = load_lexicons(paths)
    assert list((own_cache / "lexicons").glob("*.json"))
    cached = load_lexicons(paths)
    assert cached == read and [l.lines for l in cached] == [l.lines for l in read]
    assert [[c.terms for c in l.categories] for l in cached] == [[c.terms for c in l.categories] for l in read]


def test_the_summary_without_styles_is_the_styled_one_stripped(tmp_path):
    """Printed to a file, the summary is built without styles: the same text click would leave of the styled one,
    also when the document itself holds escape codes."""
    from textmine.cli import cli

    escaped = tmp_path / "escaped.txt"
    escaped.write_text("第一条 支持产业集群发展。\x1b[1m加强\x1b[技术创新。\n", encoding="utf-8")  # ESC [ before a term
    runner = CliRunner()
    for document in (DOCUMENT, escaped):
        styled = runner.invoke(cli, ["tag", str(document)], color=True)
        plain = runner.invoke(cli, ["tag", str(document)], color=False)
        assert styled.exit_code == plain.exit_code == 0, plain.output
        assert "\x1b[" in styled.output
        assert ANSI.sub("", styled.output) == plain.output
