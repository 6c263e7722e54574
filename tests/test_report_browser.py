"""The HTML report of the sample project in headless Chromium: it loads without console errors or
network requests, shows its SVG drawings and tables, sorting and filtering work, and a screenshot
is saved as a test artefact (artifacts/report.png, gitignored).

Needs the system ``chromium`` (``.ci/run`` installs Debian's package when it is missing).  Outside
CI the test is skipped when Chromium is absent; in CI (``CI`` set) it must run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backendscan.cli import main
from tests.browser import Chromium, find_chromium
from tests.conftest import FIXTURES

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM = find_chromium()

if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip("chromium is not installed (apt-get install chromium); the browser test runs in CI", allow_module_level=True)

CHECKS = {
    "ready": "document.body.getAttribute('data-ready')",
    "svgs": "document.querySelectorAll('main svg').length",
    "svg_nodes": "document.querySelectorAll('#box-packages svg g, #box-packages svg a').length",
    "er_tables": "document.querySelectorAll('#box-er svg').length",
    "tables": "Array.from(document.querySelectorAll('table')).map(t => t.id).filter(Boolean)",
    "findings": "document.querySelectorAll('#tbl-findings tbody tr').length",
    "sections": "Array.from(document.querySelectorAll('main section')).map(s => s.id)",
    "title": "document.title",
    # sort the packages table by fan-in (descending after two clicks) and read the first package
    "sorted": """(function () {
        var th = document.querySelectorAll('#tbl-packages thead th')[2];
        th.click(); th.click();
        return [th.getAttribute('aria-sort'), document.querySelector('#tbl-packages tbody tr td').textContent.trim()];
    })()""",
    # filter the findings table by a rule id
    "filtered": """(function () {
        var box = document.querySelector('.filter[data-table=tbl-findings]');
        var input = box.querySelector('input');
        input.value = 'hardcoded-secret'; input.dispatchEvent(new Event('input'));
        var shown = Array.from(document.querySelectorAll('#tbl-findings tbody tr')).filter(r => !r.classList.contains('hidden')).length;
        input.value = ''; input.dispatchEvent(new Event('input'));
        return [shown, box.querySelector('.shown').textContent];
    })()""",
}


@pytest.mark.parametrize("engine", ["auto", "python"])
def test_sample_report_in_headless_chromium(tmp_path, engine):
    assert CHROMIUM is not None, "chromium must be installed in CI (.ci/run installs it)"
    out = tmp_path / "report.html"
    argv = ["report", str(FIXTURES / "shop"), "--no-cache", "-q", "--format", "html", "-o", str(out), "--diagrams", engine, "--task", "Add password reset by email"]
    assert main(argv) == 0
    with Chromium(CHROMIUM, width=1400, height=1000) as browser:
        page = browser.load(out.as_uri(), CHECKS)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"report{'' if engine == 'auto' else '-' + engine}.png").write_bytes(page.screenshot)

    assert page.console_errors == [] and page.exceptions == [] and page.log_errors == []
    assert [u for u in page.requests if not u.startswith(("file:", "data:", "about:"))] == []
    v = page.values
    assert v["ready"] == "1"  # our script ran to the end
    assert v["title"] == "Architecture report: shop"
    assert v["svgs"] >= 3 and v["svg_nodes"] >= 11 and v["er_tables"] == 1
    assert {"tbl-packages", "tbl-findings", "tbl-checks", "tbl-reach", "tbl-models"} <= set(v["tables"])
    assert v["sections"][:3] == ["plan", "summary", "stack"]
    assert v["findings"] >= 15
    assert v["sorted"] == ["descending", "shop.settings"]  # imported by six packages
    shown, label = v["filtered"]
    assert shown == 2 and label.endswith(f"of {v['findings']} shown")
    assert page.screenshot[:8] == b"\x89PNG\r\n\x1a\n" and len(page.screenshot) > 50_000
