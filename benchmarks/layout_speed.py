"""Layout repair must be near-linear in the lines of a page (issue 10, finding 23).

Builds pages of N lines (2,500 / 10,000 / 20,000) of two kinds and times what layout repair does
with them: the fake-bold overprint filter (``textlayer._without_overprint``) and ``layout.lay_out``.
"repeated" is a page of one short mark repeated on every line (a table of dashes, dots or zeros),
which made the old overprint filter compare each line with every earlier twin; "two-column" is
two columns of distinct prose lines. The baseline is the previous, quadratic filter, copied below,
timed in the same run; it is skipped above ``--baseline-max`` lines (20,000 took over a minute).

    python benchmarks/layout_speed.py [--sizes 2500,10000,20000] [--baseline-max 20000]
"""

from __future__ import annotations

import argparse
import time

from textmine.inputs.extract.layout import PageLines, lay_out
from textmine.inputs.extract.textlayer import Line, _without_overprint


def baseline_without_overprint(lines: list[Line]) -> list[Line]:
    """The filter before the fix: every line compared with every kept line of the same text."""
    seen: dict[str, list[Line]] = {}
    out = []
    for line in lines:
        twins = seen.setdefault(line.text, [])
        if any(abs(t.x0 - line.x0) < 0.3 * line.size and abs(t.baseline - line.baseline) < 0.3 * line.size for t in twins):
            continue
        twins.append(line)
        out.append(line)
    return out


def page(n: int, kind: str) -> list[Line]:
    """``n`` lines filling a US-letter page (tiny type, as such pages have)."""
    step = 772.0 / n
    size = 0.8 * step
    lines = []
    for i in range(n):
        y = 782.0 - i * step
        if kind == "repeated":
            lines.append(Line("—", 20, y, 30, y + size, size, y))
        else:
            x = 20 if i % 2 else 320
            lines.append(Line(f"Line {i} of the report on research cooperation.", x, y, x + 250, y + size, size, y))
    return lines


def seconds(func, *args) -> tuple[float, object]:
    start = time.perf_counter()
    value = func(*args)
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2500,10000,20000")
    parser.add_argument("--baseline-max", type=int, default=20000)
    args = parser.parse_args()
    print(f"{'page':<11} {'lines':>6} {'filter s':>9} {'lay_out s':>9} {'baseline s':>10} {'speed-up':>8}")
    for kind in ("repeated", "two-column"):
        for n in map(int, args.sizes.split(",")):
            lines = page(n, kind)
            new, kept = seconds(_without_overprint, lines)
            laid, _ = seconds(lay_out, [PageLines(1, 612, 792, kept)])
            old = seconds(baseline_without_overprint, lines) if n <= args.baseline_max else None
            if old is not None:
                assert old[1] == kept, "the new filter must keep exactly the lines the old one kept"
            base = f"{old[0]:10.2f} {old[0] / new:7.1f}x" if old else f"{'skipped':>10} {'':>8}"
            print(f"{kind:<11} {n:>6} {new:9.2f} {laid:9.2f} {base}", flush=True)


if __name__ == "__main__":
    main()
