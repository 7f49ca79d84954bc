"""Statistics in Chromium over a known workload sent through the real pipeline: every tab opened,
a point hovered, a legend item toggled, the drill-down both ways by clicking the charts, and a
table downloaded and read back."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import sign_in
from tests.mailer.conftest import sink  # noqa: F401 - the fixture
from tests.stats.conftest import (
    SIM,
    Workload,
    catch_up,
    workload,  # noqa: F401 - the fixture
)

pytestmark = pytest.mark.browser


@pytest.fixture
def statistics(page, live_server, project, owner, workload, worker_factory):  # noqa: F811
    workload.run()
    catch_up()
    worker_factory()  # builds the downloads
    sign_in(page, live_server, owner, project)
    page.goto(f"{live_server.url}/projects/{project.slug}/statistics/")
    page.wait_for_selector(".chart[data-drawn=true]")
    return page


def _cell(page, key: str, column: int) -> str:
    return page.locator(f'#stats-table tr[data-key="{key}"] td').nth(column).inner_text()


def _open_tab(page, label: str) -> None:
    page.click(f"nav.tabs a:has-text('{label}')")
    page.wait_for_selector(f"nav.tabs a.active:has-text('{label}')")
    page.wait_for_selector(".chart[data-drawn=true]")


def test_every_tab_with_hover_legend_drill_down_and_download(statistics, screenshot):
    page = statistics
    # By request date: hover a bar, hide a series from the legend.
    total = page.locator("#stats-total td")
    assert [total.nth(n).inner_text() for n in range(1, 8)] == [
        str(Workload.requested), str(Workload.sent), "1", "1", "72.7", "12.5", "100.0"]
    bar = page.locator("#chart-request-1 .trace.bars").first.locator(".point path").last
    box = bar.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => document.querySelector('#chart-request-1 .hoverlayer')"
                           ".textContent.includes('requestCount')")
    hover = page.locator("#chart-request-1 .hoverlayer").text_content()
    assert "requestCount" in hover and "11" in hover and "sentCount" in hover
    screenshot("by-request-date-hover")
    page.locator("#chart-request-1 .legend .traces").first.click()
    page.wait_for_function(
        "() => document.getElementById('chart-request-1').data[0].visible === 'legendonly'")
    screenshot("by-request-date-legend")

    _open_tab(page, "By send date")
    assert "tab=send" in page.url
    screenshot("by-send-date")

    # By domain name → click example.com's bar → its result codes → click a code's bar →
    # that code's domains.
    _open_tab(page, "By domain name")
    screenshot("by-domain")
    chart = "#chart-domain-1"
    page.evaluate(f"""() => {{
        const el = document.querySelector('{chart}');
        const i = el.data[0].x.indexOf('example.com');
        el.emit('plotly_click', {{points: [{{pointIndex: i,
            customdata: el.data[0].customdata[i]}}]}});
    }}""")
    page.wait_for_selector("#drill-table")
    assert "domain=example.com" in page.url
    assert page.locator('#drill-table tr[data-key="CANCELED_MAIL"] td').nth(1).inner_text() == "2"
    page.wait_for_selector("#chart-domain-2[data-drawn=true]")
    screenshot("by-domain-drilled")
    page.evaluate("""() => {
        const el = document.querySelector('#chart-domain-2');
        const i = el.data[0].x.indexOf('MAIL_SENT');
        el.emit('plotly_click', {points: [{pointIndex: i, customdata: el.data[0].customdata[i]}]});
    }""")
    page.wait_for_selector("nav.tabs a.active:has-text('By delivery result code')")
    page.wait_for_selector("#drill-table")
    assert "code=MAIL_SENT" in page.url
    assert page.locator(f'#drill-table tr[data-key="{SIM}"] td').nth(1).inner_text() == "2"
    screenshot("by-code-drilled")
    page.go_back()
    page.wait_for_selector("nav.tabs a.active:has-text('By domain name')")

    _open_tab(page, "By sending limit")
    assert page.locator("#limit-used").inner_text() == str(Workload.usage)
    screenshot("by-limit")

    # Download the table shown.
    _open_tab(page, "By delivery result code")
    page.click("#download-button")
    page.wait_for_selector("#export-dialog")
    page.click("#request-export")
    page.wait_for_selector("#export-list a:has-text('Download')", timeout=60_000)
    with page.expect_download() as download:
        page.click("#export-list a:has-text('Download')")
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()),
                             read_only=True)
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    assert rows[0] == ["Send result code", "Count", "Share (%)", "Description"]
    assert ["MAIL_SENT", 6, 54.5, "Sending successful"] in rows
