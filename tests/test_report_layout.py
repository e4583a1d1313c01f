"""report.html at 1,400 px in real Chromium: no sideways scrolling of the page; a wide table scrolls inside itself."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from analysis_support import sample_results
from test_report import CHROMIUM, HEADLESS

MEASURE = """<script>
window.addEventListener('load', () => {
  const page = document.documentElement;
  const tables = [...document.querySelectorAll('table')].map(t => {
    const box = t.parentElement.getBoundingClientRect();
    return {right: Math.round(box.right), scrolls: t.parentElement.scrollWidth > t.parentElement.clientWidth};
  });
  const figures = [...document.querySelectorAll('figure.chart svg')].map(s => Math.round(s.getBoundingClientRect().right));
  document.body.setAttribute('data-measure', JSON.stringify({scrollWidth: page.scrollWidth, clientWidth: page.clientWidth, tables, figures}));
});
</script>"""


def _measure(report, tmp_path, width=1400):
    page = report.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>")
    probe = tmp_path / "report.html"
    probe.write_text(page, encoding="utf-8")
    done = subprocess.run([CHROMIUM, *HEADLESS, f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={width},1000",
                           "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()], capture_output=True, text=True, timeout=120)
    match = re.search(r'data-measure="([^"]+)"', done.stdout)
    assert match, done.stderr[-2000:]
    return json.loads(match.group(1).replace("&quot;", '"'))


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium; .ci/run installs it)")
@pytest.mark.parametrize("by", ["country", "doc_id"])
def test_report_html_does_not_scroll_sideways_at_1400_px(textmine_cli, tmp_path, by):
    code, _, err = textmine_cli("report", sample_results() / "coded_units.csv", "--by", by, "--out", tmp_path / "report", "--no-xlsx")
    assert code == 0, err
    measured = _measure(tmp_path / "report" / "report.html", tmp_path)
    assert measured["scrollWidth"] <= measured["clientWidth"], measured
    assert all(t["right"] <= measured["clientWidth"] for t in measured["tables"])
    assert all(right <= measured["clientWidth"] for right in measured["figures"])
    assert any(t["scrolls"] for t in measured["tables"])  # the wide instrument table scrolls within its own box
