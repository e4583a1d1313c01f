"""Every `console` example of README.md and docs/ runs, and prints what the page says it prints.

When an output changes on purpose, `python tools/doc_examples.py --update` rewrites the pages
(see that script for how variable parts are marked with `…`).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _load_tool(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


doc_examples = _load_tool("doc_examples")

PAGES = [path for path in doc_examples.documented_files() if doc_examples.parse(path.read_text(encoding="utf-8"))]


def test_pages_have_examples():
    assert any(block.examples for page in PAGES for block in doc_examples.parse(page.read_text(encoding="utf-8")))


@pytest.mark.parametrize("page", PAGES, ids=[str(page.relative_to(REPO)) for page in PAGES])
def test_examples_print_what_the_page_says(page):
    failures = [outcome.describe() for outcome in doc_examples.run_file(page) if not outcome.ok]
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize(
    ("expected", "actual", "ok"),
    [
        (["a", "b"], ["a", "b"], True),
        (["a", "b"], ["a", "c"], False),
        (["a", "…"], ["a", "b", "c"], True),
        (["a", "…", "d"], ["a", "b", "c", "d"], True),
        (["a", "…", "d"], ["a", "b", "c"], False),
        (["3 matches in … units"], ["3 matches in 2 units"], True),
        (["3 matches in … units"], ["4 matches in 2 units"], False),
        ([], ["output"], False),
    ],
)
def test_ellipsis_marks_variable_parts(expected, actual, ok):
    assert doc_examples.matches(expected, actual) is ok


def test_update_keeps_matching_lines_and_replaces_changed_ones():
    assert doc_examples.updated(["n = …", "old", "…"], ["n = 3", "new", "more", "more"]) == ["n = …", "new", "…"]


def test_every_command_has_an_up_to_date_options_table():
    doc_options = _load_tool("doc_options")
    text = doc_options.PAGE.read_text(encoding="utf-8")
    new, missing = doc_options.updated_page(text)
    assert not missing, f"commands without an options table in docs/commands.md: {missing}"
    assert new == text, "docs/commands.md option tables are out of date: run python tools/doc_options.py --update"
