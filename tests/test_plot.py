"""Figures: Chinese labels drawn with a CJK font (never as empty boxes), the pentagon drawn as a pentagon, file formats."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from textmine.analysis import plot
from textmine.core.errors import InputError

SHARES = pd.DataFrame({"NET": [0.4, 0.6], "INN": [0.5, 0.4], "ORG": [0.3, 0.5], "TRU": [0.1, 0.1], "EXC": [0.2, 0.3]})
LABELS = ["NET\n合作网络", "INN\n技术创新", "ORG\n促进组织", "TRU\n信任机制", "EXC\n卓越精神"]


def _draw(figure, tmp_path, font) -> list[str]:
    """Render to PNG and SVG; return matplotlib's warnings (it warns for every glyph a font lacks)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plot.save(figure, tmp_path / "f.png", font)
        plot.svg_document(figure, font)
    return [str(w.message) for w in caught]


def test_chinese_labels_render_with_a_cjk_font(tmp_path):
    font = plot.cjk_font()
    if font is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk; .ci/run installs it)")
    labels = plot.Labels(font)
    figure = plot.radar(SHARES, [labels("华岳省", "G1"), "EU"], [labels(t, t.split()[0]) for t in LABELS], font=font)
    assert labels.warnings == []
    caught = _draw(figure, tmp_path, font)
    assert not [w for w in caught if "missing from" in w], caught


def test_without_a_cjk_font_labels_fall_back_to_codes_with_a_warning(tmp_path):
    labels = plot.Labels(None)
    axis = [labels(t, t.split()[0]) for t in LABELS]
    assert axis == ["NET", "INN", "ORG", "TRU", "EXC"]
    assert labels("华岳省", "G1") == "G1" and labels("Lakemoor", "G2") == "Lakemoor"
    assert any("no CJK font" in w and "fonts-noto-cjk" in w for w in labels.warnings)
    figure = plot.heatmap(SHARES, ["G1", "Lakemoor"], axis, font=None)
    caught = _draw(figure, tmp_path, None)
    assert not [w for w in caught if "missing from" in w], caught  # no empty boxes


def test_the_pentagon_model_is_drawn_as_a_regular_pentagon():
    figure = plot.radar(SHARES.iloc[:1], ["EU"], ["NET", "INN", "ORG", "TRU", "EXC"], font=None)
    axes = figure.axes[0]
    rings = [line for line in axes.lines if len(line.get_xdata()) == 6]
    outer = max(rings, key=lambda line: max(line.get_ydata()))  # the outline: the outermost ring
    points = np.column_stack([outer.get_xdata(), outer.get_ydata()])[:5]
    sides = np.linalg.norm(np.roll(points, -1, axis=0) - points, axis=1)
    assert sides == pytest.approx(np.full(5, sides[0]))
    assert points[0] == pytest.approx([0, 1])  # NET on top
    angles = np.degrees(np.arctan2(points[:, 1], points[:, 0]))
    assert (angles[:-1] - angles[1:]) % 360 == pytest.approx(np.full(4, 72.0))  # clockwise, 72° apart


def test_stacked_bars_show_every_share_and_n(tmp_path):
    shares = pd.DataFrame({"SUP": [0.5, 0.2], "ENV": [0.3, 0.5], "DEM": [0.2, 0.3]})
    figure = plot.stacked_bars(shares, ["CN", "EU"], ["SUP", "ENV", "DEM"], counts=[40, 12], font=None)
    texts = {t.get_text() for t in figure.axes[0].texts}
    assert {"50%", "30%", "20%", "n=40", "n=12"} <= texts
    assert len(figure.axes[0].patches) == 6


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF")])
def test_figures_are_written_in_the_format_of_their_name(tmp_path, suffix, magic):
    figure = plot.heatmap(SHARES, ["A", "B"], list(SHARES.columns), font=None)
    path = plot.save(figure, tmp_path / f"heatmap{suffix}")
    assert path.read_bytes().startswith(magic)


def test_an_unknown_figure_format_is_refused(tmp_path):
    with pytest.raises(InputError, match="png, .svg or .pdf"):
        plot.save(plot.heatmap(SHARES, ["A", "B"], list(SHARES.columns), font=None), tmp_path / "x.jpg")


def test_inline_svgs_get_their_own_ids():
    document = plot.svg_document(plot.heatmap(SHARES, ["A", "B"], list(SHARES.columns), font=None))
    first, second = plot.inline_svg(document, "f1"), plot.inline_svg(document, "f2")
    assert first.startswith("<svg") and 'id="f1-' in first and 'id="f2-' in second
    import re

    ids = set(re.findall(r'id="([^"]+)"', first)) & set(re.findall(r'id="([^"]+)"', second))
    assert not ids
    assert all(ref.startswith("f1-") for ref in re.findall(r'href="#([^"]+)"', first))
