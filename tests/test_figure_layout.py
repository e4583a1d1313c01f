"""Figures a reader can read: radar titles clear of each other and scaled to the data; heatmaps sized by content."""

from __future__ import annotations

import numpy as np
import pandas as pd
from PIL import Image

from textmine.analysis import plot

LABELS = ["NET\n合作网络", "INN\n技术创新", "ORG\n促进组织", "TRU\n信任机制", "EXC\n卓越精神"]


def _boxes(figure):
    """The renderer of the figure drawn as for a PNG (layout done)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return canvas.get_renderer()


def test_radar_title_does_not_collide_with_the_panel_titles():
    shares = pd.DataFrame(np.full((3, 5), 0.3), columns=list("ABCDE"))
    figure = plot.radar(shares, ["municipal (n=72)", "national (n=40)", "regional (n=69)"], LABELS,
                        title="pentagon: share of units carrying each code", font=plot.cjk_font())
    renderer = _boxes(figure)
    title = figure._suptitle.get_window_extent(renderer)
    panel_titles = [t for axes in figure.axes for t in (axes.title, *axes.texts) if t.get_text().endswith(")")]
    assert len(panel_titles) == 3
    for text in panel_titles:
        box = text.get_window_extent(renderer)
        assert box.y1 < title.y0, (text.get_text(), box, title)  # below the figure title, not overlapping it


def test_radar_is_scaled_to_the_data_and_states_the_scale():
    shares = pd.DataFrame([[0.28, 0.1, 0.05, 0.02, 0.12]], columns=list("ABCDE"))
    figure = plot.radar(shares, ["TW (n=30)"], LABELS, title="pentagon", font=None)
    assert "outer ring = 30%" in figure._suptitle.get_text()
    axes = figure.axes[0]
    ring_labels = [t.get_text() for t in axes.texts if t.get_text().endswith("%")]
    assert ring_labels[-1] == "30%" and len(ring_labels) >= 3
    polygon = next(line for line in axes.lines if line.get_marker() == "o")
    top = np.hypot(polygon.get_xdata()[0], polygon.get_ydata()[0])
    assert 0.9 <= top <= 1.0  # the largest share (28%) reaches almost the outer ring instead of a tenth of a 0–100% scale


def test_instrument_heatmap_is_sized_by_content_with_readable_text(tmp_path):
    codes = ["SUP.TAL 人才培养", "SUP.FUND 资金投入", "SUP.TECH 技术支持", "SUP.INFRA 基础设施建设", "SUP.SERV 公共服务",
             "ENV.PLAN 目标规划", "ENV.FIN 金融支持", "ENV.TAX 税收优惠", "ENV.REG 法规管制", "ENV.STRAT 策略性措施",
             "DEM.PROC 政府采购", "DEM.OUT 服务外包", "DEM.TRADE 贸易管制", "DEM.INTL 海外机构", "DEM.PILOT 示范应用"]
    values = pd.DataFrame(np.random.default_rng(1).uniform(0, 0.45, (7, 15)))
    annotations = values.map(lambda v: f"{v:.0%}")
    figure = plot.heatmap(values, ["CN", "DE", "EU", "FI", "FR", "IE", "TW"], codes, annotations=annotations,
                          title="instrument: share of units by country", colorbar="share of units", font=plot.cjk_font())
    path = plot.save(figure, tmp_path / "heatmap.png")
    width, height = Image.open(path).size
    assert width < 1500 and height < 900  # was 2,377 px wide
    axes = figure.axes[0]
    assert min(t.get_fontsize() for t in axes.texts) >= 9
    renderer = _boxes(figure)
    ticks = [t.get_window_extent(renderer) for t in axes.get_xticklabels()]
    assert all(a.x1 <= b.x0 for a, b in zip(ticks, ticks[1:]))  # code labels do not overlap
    cells = [t.get_window_extent(renderer) for t in axes.texts]
    column = (axes.get_window_extent(renderer).width / 15)
    assert max(box.width for box in cells) < column  # every cell text fits its cell
