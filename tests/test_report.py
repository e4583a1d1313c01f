"""report.xlsx and report.html: every table, native charts, frozen headers; an offline page that real Chromium renders."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile

import openpyxl
import pytest

from analysis_support import sample_results

CHROMIUM = next((shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome") if shutil.which(name)), None)
HEADLESS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run"]
# Draws each character of the first heading on a canvas in the heading's own font. A missing glyph is drawn as the
# same box (or the same fallback glyph) for every character, so distinct characters with distinct, inked bitmaps
# mean the page really has their glyphs.
PROBE = """<script>
(() => {
  const heading = document.querySelector('h1');
  const font = getComputedStyle(heading).font.replace(/[\\d.]+px/, '40px');
  const canvas = document.createElement('canvas'); canvas.width = 64; canvas.height = 64;
  const context = canvas.getContext('2d');
  const chars = [...new Set([...heading.textContent].filter(c => /[\\u4e00-\\u9fff]/.test(c)))];
  const glyphs = chars.map(c => {
    context.clearRect(0, 0, 64, 64); context.font = font; context.fillText(c, 4, 48);
    const data = context.getImageData(0, 0, 64, 64).data; let ink = 0, hash = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]) { ink++; hash = (hash * 31 + i * data[i]) % 1000000007; }
    return ink + ':' + hash;
  });
  const figures = [...document.querySelectorAll('figure.chart svg')].map(s => { const r = s.getBoundingClientRect(); return [r.width, r.height]; });
  document.body.setAttribute('data-probe', JSON.stringify({chars, glyphs, figures}));
})();
</script>"""


@pytest.fixture(scope="module")
def results():
    return sample_results()


def test_report_workbook_has_every_table_frozen_headers_and_native_charts(results):
    book = openpyxl.load_workbook(results / "report.xlsx")
    names = book.sheetnames
    for sheet in ["coded_units", "hits", "emphasis_pentagon", "crosstab_instrument_pentagon_un", "groups", "matrix_pentagon",
                  "matrix_instrument", "framework", "framework_by_group", "chisquare_pentagon", "residuals_pentagon",
                  "charts", "figures", "failures", "lexicon", "run"]:
        assert sheet in names, sheet
    assert names.index("crosstab_instrument_pentagon_un") < names.index("matrix_pentagon") < names.index("run")
    matrix = book["matrix_pentagon"]
    assert matrix.freeze_panes == "A2" and matrix["A1"].value == "country"
    assert matrix.column_dimensions["A"].width >= 9
    with zipfile.ZipFile(results / "report.xlsx") as archive:
        charts = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart")]
        images = [n for n in archive.namelist() if n.startswith("xl/media/")]
    assert any("<c:radarChart>" in c for c in charts) and any("<c:barChart>" in c and "percentStacked" in c for c in charts)
    assert len(images) == 4


def test_framework_sheet_is_laid_out_as_papers_print_it(results):
    sheet = openpyxl.load_workbook(results / "report.xlsx", read_only=True)["framework"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0].startswith("Units carrying both codes")
    assert rows[1][:5] == ["type 类型", "code 代码", "名称", "name", "NET 合作网络"]
    assert any(row[1] == "SUP (subtotal)" and row[2] == "供给型" for row in rows)
    assert any(row[0] and str(row[0]).startswith("Row percentages") for row in rows)


def test_report_html_is_self_contained_and_traceable(results):
    page = (results / "report.html").read_text(encoding="utf-8")
    assert page.count("<svg") >= 4 and "<script" not in page
    assert not re.search(r"""(src|href)=["'](https?:)?//""", page)  # nothing fetched
    info = json.loads((results / "run.json").read_text(encoding="utf-8"))
    assert info["lexicons"][0]["sha256"] in page and "textmine_version" in page
    assert "合作网络" in page and "Adjusted standardized residuals" in page and "1.96" in page


def _chromium(*args, tmp_path) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    return subprocess.run([CHROMIUM, *HEADLESS, f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium; .ci/run installs it)")
def test_chromium_renders_the_figures_and_the_chinese_text(results, tmp_path):
    page = (results / "report.html").read_text(encoding="utf-8").replace("</body>", PROBE + "</body>")
    probe_page = tmp_path / "report.html"
    probe_page.write_text(page, encoding="utf-8")
    done = _chromium("--window-size=1280,2000", "--dump-dom", probe_page.as_uri(), tmp_path=tmp_path)
    match = re.search(r'data-probe="([^"]+)"', done.stdout)
    assert match, done.stderr[-2000:]
    probe = json.loads(match.group(1).replace("&quot;", '"'))
    assert len(probe["figures"]) == 4 and all(w > 300 and h > 150 for w, h in probe["figures"])
    inked = [g for g in probe["glyphs"] if int(g.split(":")[0]) > 20]
    assert len(probe["chars"]) >= 4 and len(inked) == len(probe["chars"])
    assert len(set(probe["glyphs"])) == len(probe["chars"]), "Chinese characters render as identical boxes"
    shot = tmp_path / "page.png"
    _chromium("--window-size=1280,1600", f"--screenshot={shot}", (results / "report.html").as_uri(), tmp_path=tmp_path)
    assert shot.stat().st_size > 50_000


def test_report_command_writes_the_report_of_any_grouping(results, textmine_cli, tmp_path):
    code, _, err = textmine_cli("report", results / "coded_units.csv", "--by", "level", "--out", tmp_path)
    assert code == 0, err
    for name in ["report.xlsx", "report.html", "matrix_pentagon_by_level.csv", "residuals_instrument_by_level.csv",
                 "framework_instrument_pentagon_by_level.csv", "figures/radar_pentagon_by_level.svg"]:
        assert (tmp_path / name).is_file(), name
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "coded_file_sha256" in page and "municipal" in page
    book = openpyxl.load_workbook(tmp_path / "report.xlsx", read_only=True)
    assert "provenance" in book.sheetnames and "coded_units" not in book.sheetnames
