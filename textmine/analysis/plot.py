"""Figures from ready tables (matplotlib; no computation here): emphasis heatmap, pentagon radar, stacked bars.

Chinese labels are drawn with a CJK font found on the system (Noto Sans CJK,
Source Han Sans, WenQuanYi, Microsoft YaHei …). Without one, a label that
needs it is replaced by its fallback (a code, or G1, G2 … for group names)
and ``Labels.warnings`` says so: a figure never shows empty boxes. Figures
use the object-oriented API (no pyplot state), so that they are safe to make
in a library.
"""

from __future__ import annotations

import contextlib
import io
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK JP", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC",
    "Noto Serif CJK SC", "Droid Sans Fallback", "AR PL UMing CN",
)
_NEEDS_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
FORMATS = (".png", ".svg", ".pdf")
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of an installed font that has Chinese characters, or None."""
    from matplotlib import font_manager

    by_name = {}
    for entry in font_manager.fontManager.ttflist:
        by_name.setdefault(entry.name, entry.fname)
    candidates = [n for n in CJK_FAMILIES if n in by_name] + sorted(n for n in by_name if "CJK" in n and n not in CJK_FAMILIES)
    for name in candidates:
        if _has_glyph(by_name[name], "集"):
            return name
    return None


def warm_up() -> None:
    """Import matplotlib and its PNG and SVG writers and find the CJK font: half a second a process spends before its
    first figure, which a drawing process can spend while the figures' data is computed."""
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.backends.backend_svg  # noqa: F401
    import matplotlib.figure  # noqa: F401

    cjk_font()


def _has_glyph(path: str, char: str) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        return FT2Font(path).get_char_index(ord(char)) != 0
    except (OSError, RuntimeError):
        return False


@dataclass
class Labels:
    """Chooses label texts the figure's font can draw; ``font=None`` means no CJK font."""

    font: str | None
    warnings: list[str] = field(default_factory=list)

    def __call__(self, text: str, fallback: str) -> str:
        text = str(text)
        if self.font or not _NEEDS_CJK.search(text):
            return text
        self.warnings.append(f"no CJK font found: label '{text}' drawn as '{fallback}' (install fonts-noto-cjk)")
        return fallback


def families(font: str | None) -> list[str]:
    return [font, "DejaVu Sans"] if font else ["DejaVu Sans"]


@contextlib.contextmanager
def style(font: str | None):
    """Font families (CJK first when there is one) and text drawn as paths in SVG, so that it needs no font to show."""
    import matplotlib

    with matplotlib.rc_context({"font.family": families(font), "svg.fonttype": "path", "svg.hashsalt": "textmine",
                                "axes.titlesize": 11, "font.size": 9}):
        yield


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


CELL_FONT, LABEL_FONT = 9, 9  # points


def text_inches(text: str, points: float) -> float:
    """Approximate width of one line of text: CJK characters are about 1 em wide, others about 0.6 em."""
    ems = sum(1.0 if _NEEDS_CJK.match(ch) else 0.6 for ch in text)
    return ems * points / 72


def _wrap_label(label: str) -> str:
    """``SUP.TAL 人才培养`` -> two lines (code, name), so that a column needs only the wider of the two."""
    return label.replace(" ", "\n", 1) if "\n" not in label else label


def heatmap(values: pd.DataFrame, row_labels: Sequence[str], col_labels: Sequence[str], *, annotations=None,
            marks=None, title: str = "", colorbar: str = "", font: str | None = None):
    """Groups (rows) x codes (columns), coloured by ``values``; cells show ``annotations`` (text) and ``marks``.

    Sized by content: a column is as wide as its widest cell text (labels are wrapped onto two lines and turned
    upright when wider than that), so that many codes make a wider figure at the same, readable text size."""
    data = values.to_numpy(dtype=float)
    texts = [[("" if annotations is None else str(annotations.iat[i, j])) + ("" if marks is None else str(marks.iat[i, j]))
              for j in range(data.shape[1])] for i in range(data.shape[0])]
    labels = [_wrap_label(str(label)) for label in col_labels]
    cell = max(0.45, max((text_inches(t, CELL_FONT) for row in texts for t in row), default=0) + 0.18)
    label_width = max((text_inches(line, LABEL_FONT) for label in labels for line in label.split("\n")), default=0)
    row_width = max((text_inches(str(label), LABEL_FONT) for label in row_labels), default=0)
    title_lines = title.count("\n") + 1 if title else 0
    width = max(row_width + cell * data.shape[1] + 1.4, max((text_inches(t, 11) for t in title.split("\n")), default=0) + 0.4, 3.5)
    upright = label_width > (width - row_width - 1.4) / max(data.shape[1], 1) - 0.1  # the cells as drawn, title-wide
    label_height = label_width + 0.1 if upright else 0.45
    with style(font):
        figure = _figure(width, 0.35 * title_lines + label_height + 0.36 * data.shape[0] + 0.5)
        axes = figure.add_subplot()
        image = axes.imshow(np.ma.masked_invalid(data), cmap="YlGnBu", aspect="auto", vmin=0)
        axes.set_xticks(range(data.shape[1]), labels, rotation=90 if upright else 0, fontsize=LABEL_FONT,
                        ha="center", va="top", linespacing=1.1)
        axes.set_yticks(range(data.shape[0]), row_labels, fontsize=LABEL_FONT)
        top = np.nanmax(data) if np.isfinite(data).any() else 0
        for (i, j), value in np.ndenumerate(data):
            color = "white" if np.isfinite(value) and top and value > 0.6 * top else "black"
            axes.text(j, i, texts[i][j], ha="center", va="center", fontsize=CELL_FONT, color=color)
        figure.colorbar(image, ax=axes, label=colorbar, shrink=0.8, aspect=15, pad=0.02)
        axes.set_title(title)
    return figure


def _pentagon(k: int, radius: float) -> np.ndarray:
    angles = np.pi / 2 - 2 * np.pi * np.arange(k) / k  # first vertex on top, then clockwise
    return np.column_stack([radius * np.cos(angles), radius * np.sin(angles)])


def radar_scale(value: float, max_rings: int = 6) -> tuple[float, float]:
    """(outer ring, ring step) for data up to ``value``: the smallest round step (1, 2, 2.5, 5 × 10^k) that reaches
    ``value`` in at most ``max_rings`` rings, so that low shares are not drawn as tiny polygons."""
    if not np.isfinite(value) or value <= 0:
        return 1.0, 0.2
    exponent = math.floor(math.log10(value / max_rings))
    for step in sorted(m * 10.0 ** e for e in (exponent, exponent + 1) for m in (1, 2, 2.5, 5)):
        rings = math.ceil(round(value / step, 9))
        if rings <= max_rings:
            return round(step * max(rings, 2), 12), step
    return value, value / max_rings


def radar(values: pd.DataFrame, titles: Sequence[str], axis_labels: Sequence[str], *, reference=None,
          reference_label: str = "", title: str = "", percent: bool = True, font: str | None = None, columns: int = 3):
    """One polygon chart per row of ``values`` (the axes drawn as a regular polygon: a pentagon for five codes).

    The scale fits the data (``radar_scale``); the ring values are written along the first axis and the
    outer ring is stated under the title."""
    data = values.to_numpy(dtype=float)
    k = data.shape[1]
    top, step = radar_scale(np.nanmax([np.nanmax(data) if data.size else 0,
                                       *(np.asarray(reference, float) if reference is not None else [])]))
    columns = max(1, min(columns, len(data)))
    rows = math.ceil(len(data) / columns)
    scale = f"scale: outer ring = {_ring_label(top, percent)}, rings every {_ring_label(step, percent)}"
    with style(font):
        figure = _figure(3.3 * columns, 3.5 * rows + 0.6)
        for index, row in enumerate(data):
            axes = figure.add_subplot(rows, columns, index + 1)
            _radar_axes(axes, k, top, step, axis_labels, percent)
            if reference is not None:
                ref = _pentagon(k, 1.0) * (np.asarray(reference, float)[:, None] / top)
                axes.plot(*np.vstack([ref, ref[:1]]).T, color="#555555", linestyle="--", linewidth=1, label=reference_label)
            points = _pentagon(k, 1.0) * (np.nan_to_num(row)[:, None] / top)
            color = PALETTE[index % len(PALETTE)]
            axes.fill(*points.T, color=color, alpha=0.25)
            axes.plot(*np.vstack([points, points[:1]]).T, color=color, linewidth=1.8, marker="o", markersize=3)
            # the panel title inside the axes' own box, so that layout keeps it clear of the figure title
            title_text = _wrap_title(titles[index])
            axes.text(0, 1.48, title_text, ha="center", va="bottom", fontsize=11).set_in_layout(False)
            axes.set_ylim(-1.3, 1.75 + 0.3 * title_text.count("\n"))
        if reference is not None and reference_label:
            figure.legend(*figure.axes[0].get_legend_handles_labels(), loc="lower center", ncols=1, frameon=False)
        figure.suptitle(f"{title}\n{scale}" if title else scale)
    return figure


def _wrap_title(title: str, width: int = 30) -> str:
    """A long panel title (a document id) on several lines, broken after _ or a space, so that it fits its panel."""
    lines, line = [], ""
    for piece in re.findall(r"[^_\s]+[_\s]*", title):
        if line and len(line) + len(piece.rstrip()) > width:
            lines.append(line.rstrip())
            line = ""
        line += piece
    return "\n".join([*lines, line.rstrip()]) if line else "\n".join(lines)


def _ring_label(value: float, percent: bool) -> str:
    return f"{value * 100:.4g}%" if percent else f"{value:.4g}"


def _radar_axes(axes, k: int, top: float, step: float, labels: Sequence[str], percent: bool) -> None:
    levels = np.arange(1, round(top / step) + 1) * step / top
    for level in levels:
        ring = _pentagon(k, level)
        axes.plot(*np.vstack([ring, ring[:1]]).T, color="#bbbbbb", linewidth=0.8)
        axes.text(0.04, level, _ring_label(level * top, percent), fontsize=7, color="#555555", va="center",
                  bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})
    for (x, y), label in zip(_pentagon(k, 1.0), labels):
        axes.plot([0, x], [0, y], color="#cccccc", linewidth=0.8)
        ha = "center" if abs(x) < 0.1 else "left" if x > 0 else "right"
        va = "bottom" if y > 0.5 else "top" if y < -0.5 else "center"
        axes.text(x * 1.06, y * 1.06, label, ha=ha, va=va, fontsize=8)
    axes.set_xlim(-1.45, 1.45)
    axes.set_ylim(-1.3, 1.75)
    axes.set_aspect("equal")
    axes.axis("off")


def stacked_bars(shares: pd.DataFrame, row_labels: Sequence[str], segment_labels: Sequence[str], *, counts=None,
                 title: str = "", xlabel: str = "", font: str | None = None):
    """One horizontal bar per row, its columns stacked (shares that sum to 1); ``counts`` are shown beside each bar."""
    data = np.nan_to_num(shares.to_numpy(dtype=float))
    with style(font):
        figure = _figure(7.5, 1.3 + 0.45 * len(data))
        axes = figure.add_subplot()
        left = np.zeros(len(data))
        positions = np.arange(len(data))[::-1]
        for j, label in enumerate(segment_labels):
            axes.barh(positions, data[:, j], left=left, color=PALETTE[j % len(PALETTE)], label=label, height=0.7)
            for y, x0, width in zip(positions, left, data[:, j]):
                if width >= 0.06:
                    axes.text(x0 + width / 2, y, f"{width:.0%}", ha="center", va="center", fontsize=7, color="white")
            left += data[:, j]
        if counts is not None:
            for y, n in zip(positions, counts):
                axes.text(1.01, y, f"n={n}", va="center", fontsize=7)
        axes.set_yticks(positions, row_labels)
        axes.set_xlim(0, 1.12)
        axes.set_xticks(np.linspace(0, 1, 6), [f"{v:.0%}" for v in np.linspace(0, 1, 6)])
        axes.set_xlabel(xlabel)
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 if xlabel else -0.06), ncols=min(4, len(segment_labels)), frameon=False)
        axes.set_title(title)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
    return figure


def save(figure, path, font: str | None = None) -> Path:
    """Write ``figure`` as PNG, SVG or PDF (by the extension of ``path``)."""
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        from textmine.core.errors import InputError

        raise InputError(f"cannot draw '{path}': use a .png, .svg or .pdf file name")
    from textmine.core.export import atomic_path

    with style(font), atomic_path(path) as tmp:
        figure.savefig(tmp, format=path.suffix[1:].lower(), dpi=150, metadata=_metadata(path.suffix.lower()))
    return path


def _metadata(suffix: str) -> dict:
    return {"Date": None} if suffix == ".svg" else {}


def svg_document(figure, font: str | None = None) -> str:
    """The figure as a standalone SVG document (text drawn as paths)."""
    buffer = io.StringIO()
    with style(font):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def inline_svg(document: str, prefix: str) -> str:
    """An SVG document as an element for an HTML page, its ids prefixed so that several figures can share one page."""
    text = document[document.index("<svg") :]
    text = re.sub(r'id="([^"]+)"', rf'id="{prefix}-\1"', text)
    text = re.sub(r'(xlink:href|href)="#([^"]+)"', rf'\1="#{prefix}-\2"', text)
    return re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", text)


def write_svg(document: str, path) -> Path:
    from textmine.core.export import atomic_path

    with atomic_path(path) as tmp:
        tmp.write_text(document, encoding="utf-8")
    return Path(path)


def close(figure) -> None:
    figure.clear()
