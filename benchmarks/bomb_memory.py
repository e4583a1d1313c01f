"""Peak memory of refusing small model and lexicon files that would expand hugely (issue 10, findings 6, 7).

Each bomb is made in a temporary folder (none is larger than 310 kB on disk) and given to
textmine in its own process; the peak memory (max RSS of that process) and wall time are
printed beside the baseline of the same command on a shipped file, as a ratio. A ratio near 1
means the bomb was refused before it expanded. ``--timeout`` and ``--limit-mb`` bound a run of
an older textmine, which would try to expand them (RLIMIT_AS, so it stops with MemoryError).

    python benchmarks/bomb_memory.py [--timeout 120] [--limit-mb 3000]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from hostile_files import alias_bomb  # noqa: E402  (the same bomb the tests refuse)
EN = "The cluster programme funds research and development networks."


def make_bombs(folder: Path) -> dict[str, Path]:
    (folder / "a.txt").write_text(EN, encoding="utf-8")
    (folder / "alias_bomb.yaml").write_text(alias_bomb(), encoding="utf-8")
    (folder / "python_tag.yaml").write_text(
        'scheme: evil\ncategories:\n  - code: X\n    terms:\n      en: [!!python/object/apply:os.system ["true"]]\n')
    with zipfile.ZipFile(folder / "deep.skops", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("schema.json", '{"__class__": "UnitClassifier", "x": ' + "[" * 200_000 + "]" * 200_000 + "}")
    with zipfile.ZipFile(folder / "big_schema.skops", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("schema.json", "w", force_zip64=True) as schema:  # 300 MB of JSON in about 300 kB
            schema.write(b'{"__class__": "UnitClassifier", "__module__": "textmine.coding.classify", "pad": [')
            for _ in range(150):
                schema.write(b"0," * (1 << 20))
            schema.write(b"0]}")
    return {name: folder / name for name in ("a.txt", "alias_bomb.yaml", "python_tag.yaml", "deep.skops", "big_schema.skops")}


def measure(args: list[str], timeout: float, limit_mb: int) -> tuple[float, int, object]:
    """(seconds, peak MB, exit status or "timeout") of `python -m textmine ARGS` in its own process."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, limit_mb << 20))

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "textmine", *args], env=env, cwd=REPO, preexec_fn=limit,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            code = os.waitstatus_to_exitcode(status)
            break
        if time.perf_counter() - started > timeout:
            process.kill()
            _, _, usage = os.wait4(process.pid, 0)
            code = "timeout"
            break
        time.sleep(0.05)
    process.returncode = code if isinstance(code, int) else -9  # reaped here, not by Popen
    return time.perf_counter() - started, usage.ru_maxrss // 1024, code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--limit-mb", type=int, default=3000)
    options = parser.parse_args()
    shipped_lexicon = REPO / "textmine" / "lexicons" / "pentagon.yaml"
    with tempfile.TemporaryDirectory() as tmp:
        files = make_bombs(Path(tmp))
        cases = [
            ("lexicon check", ["lexicon", "check", str(shipped_lexicon)],
             [("alias bomb (%d B)" % files["alias_bomb.yaml"].stat().st_size, ["lexicon", "check", str(files["alias_bomb.yaml"])]),
              ("!!python tag", ["lexicon", "check", str(files["python_tag.yaml"])])]),
            ("tag --model", ["tag", str(files["a.txt"]), "--model", "pentagon", "--mode", "model"],
             [("schema 200,000 deep", ["tag", str(files["a.txt"]), "--model", str(files["deep.skops"]), "--mode", "model"]),
              ("schema 300 MB in %d kB" % (files["big_schema.skops"].stat().st_size // 1000),
               ["tag", str(files["a.txt"]), "--model", str(files["big_schema.skops"]), "--mode", "model"])]),
        ]
        print(f"{'case':32} {'exit':>7} {'seconds':>8} {'peak MB':>8} {'x baseline':>10}")
        for title, baseline_args, bombs in cases:
            base_s, base_mb, base_code = measure(baseline_args, options.timeout, options.limit_mb)
            print(f"{'baseline: ' + title:32} {base_code!s:>7} {base_s:8.1f} {base_mb:8d} {1.0:10.2f}")
            for name, args in bombs:
                seconds, mb, code = measure(args, options.timeout, options.limit_mb)
                print(f"{name:32} {code!s:>7} {seconds:8.1f} {mb:8d} {mb / base_mb:10.2f}")


if __name__ == "__main__":
    main()
