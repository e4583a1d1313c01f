"""Run the `console` examples of README.md, CONTRIBUTING.md and docs/*.md, and check or update their output.

An example is a fenced block marked `console`: lines starting with `$ ` are commands, the
lines after a command (up to the next `$ `) are what it prints, stdout and stderr together.
The examples of one Markdown file run in order in one fresh folder, so a later example can
read what an earlier one wrote. The folder holds a copy of `corpora/`, of `tests/data/` and of
`docs/examples/` (as `examples/`), and `textmine` is the one of the Python running this.

Variable parts of an output are written `…`:
- a line that is only `…` stands for any number of lines (none included);
- `…` inside a line stands for any text within that line.

    python tools/doc_examples.py            # check every example, print the differences
    python tools/doc_examples.py --update   # rewrite the outputs in the Markdown files

`--update` keeps each expected line that still matches (with its `…`) and replaces the
others with what the command printed now; a trailing `…` line is kept.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ELLIPSIS = "…"
FENCE = re.compile(r"^```console\s*$")
COMMAND_TIMEOUT = 300


@dataclass
class Example:
    command: str
    expected: list[str]
    line: int  # 1-based line of the command in its file


@dataclass
class Block:
    first: int  # 0-based index of the first line inside the fence
    last: int  # 0-based index of the closing fence
    examples: list[Example] = field(default_factory=list)


def documented_files(repo: Path = REPO) -> list[Path]:
    docs = sorted(p for p in (repo / "docs").rglob("*.md") if "_incoming" not in p.parts)
    return [repo / "README.md", repo / "CONTRIBUTING.md", *docs]


def parse(text: str) -> list[Block]:
    lines = text.split("\n")
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        if FENCE.match(lines[index]):
            end = index + 1
            while end < len(lines) and lines[end].strip() != "```":
                end += 1
            blocks.append(_block(lines, index + 1, end))
            index = end
        index += 1
    return blocks


def _block(lines: list[str], first: int, last: int) -> Block:
    block = Block(first, last)
    for number in range(first, last):
        line = lines[number]
        if line.startswith("$ "):
            block.examples.append(Example(line[2:], [], number + 1))
        elif block.examples:
            block.examples[-1].expected.append(line)
    return block


def line_matches(pattern: str, actual: str) -> bool:
    if ELLIPSIS not in pattern:
        return pattern.rstrip() == actual.rstrip()
    parts = [re.escape(part) for part in pattern.rstrip().split(ELLIPSIS)]
    return re.fullmatch(".*".join(parts), actual.rstrip(), flags=re.DOTALL) is not None


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether the lines match, `…` lines standing for any number of lines."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head.strip() == ELLIPSIS:
        return any(matches(rest, actual[skip:]) for skip in range(len(actual) + 1))
    return bool(actual) and line_matches(head, actual[0]) and matches(rest, actual[1:])


def updated(expected: list[str], actual: list[str]) -> list[str]:
    """The expected lines rewritten to match `actual`, keeping what still matches."""
    if matches(expected, actual):
        return expected
    shown = len(actual)
    trailing = bool(expected) and expected[-1].strip() == ELLIPSIS
    if trailing:
        shown = min(len(actual), len(expected) - 1)
    kept = [
        old if index < len(expected) and line_matches(old := expected[index], new) else new
        for index, new in enumerate(actual[:shown])
    ]
    return kept + ([ELLIPSIS] if trailing else [])


def workspace(root: Path) -> Path:
    """A fresh folder with the inputs the examples use."""
    shutil.copytree(REPO / "corpora", root / "corpora")
    shutil.copytree(REPO / "tests" / "data", root / "tests" / "data")
    shutil.copytree(REPO / "docs" / "examples", root / "examples")
    return root


def environment(root: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "COV_"))}
    bin_dir = str(Path(sys.executable).parent)
    env.update(
        PATH=bin_dir + os.pathsep + env.get("PATH", ""),
        HOME=str(root / "home"),
        TEXTMINE_CACHE_DIR=str(root / "cache"),
        XDG_CACHE_HOME=str(root / "cache"),
        XDG_CONFIG_HOME=str(root / "config"),
        COLUMNS="100",
        LC_ALL="C.UTF-8",
        PYTHONHASHSEED="0",
        MPLBACKEND="Agg",
        PYTHONPATH=str(REPO) + os.pathsep + env.get("PYTHONPATH", ""),
    )
    return env


def run_command(command: str, root: Path, env: dict[str, str]) -> list[str]:
    done = subprocess.run(
        ["bash", "-c", command], cwd=root, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, timeout=COMMAND_TIMEOUT,
    )
    output = done.stdout.rstrip("\n")
    return output.split("\n") if output else []


@dataclass
class Outcome:
    path: Path
    example: Example
    actual: list[str]

    @property
    def ok(self) -> bool:
        return matches(self.example.expected, self.actual)

    def describe(self) -> str:
        where = f"{self.path.relative_to(REPO)}:{self.example.line}: $ {self.example.command}"
        expected = "\n".join("    " + line for line in self.example.expected)
        actual = "\n".join("    " + line for line in self.actual)
        return f"{where}\n  expected:\n{expected}\n  printed:\n{actual}"


def run_file(path: Path) -> list[Outcome]:
    blocks = parse(path.read_text(encoding="utf-8"))
    if not any(block.examples for block in blocks):
        return []
    with tempfile.TemporaryDirectory(prefix="textmine-docs-") as folder:
        root = workspace(Path(folder))
        env = environment(root)
        return [
            Outcome(path, example, run_command(example.command, root, env))
            for block in blocks for example in block.examples
        ]


def update_file(path: Path, outcomes: list[Outcome]) -> bool:
    lines = path.read_text(encoding="utf-8").split("\n")
    changed = False
    for outcome in reversed(outcomes):  # from the end, so earlier line numbers stay valid
        start = outcome.example.line  # 0-based index of the first expected line
        old = outcome.example.expected
        new = updated(old, outcome.actual)
        if new != old:
            lines[start:start + len(old)] = new
            changed = True
    if changed:
        path.write_text("\n".join(lines), encoding="utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--update", action="store_true", help="rewrite outputs that changed")
    parser.add_argument("files", nargs="*", type=Path, help="Markdown files (default: README.md and docs/)")
    args = parser.parse_args(argv)
    failed = 0
    for path in [p.resolve() for p in args.files] or documented_files():
        outcomes = run_file(path)
        bad = [outcome for outcome in outcomes if not outcome.ok]
        failed += len(bad)
        for outcome in bad:
            print(outcome.describe(), end="\n\n")
        if args.update and bad and update_file(path, outcomes):
            print(f"updated {path.relative_to(REPO)}")
        print(f"{path.relative_to(REPO)}: {len(outcomes) - len(bad)} of {len(outcomes)} examples match")
    return 1 if failed and not args.update else 0


if __name__ == "__main__":
    sys.exit(main())
