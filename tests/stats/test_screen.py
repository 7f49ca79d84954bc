"""The Statistics screen over a known workload: every number and rate on every tab, the
drill-down both ways, and each tab's Excel download with the same figures."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from console import exports
from console.models import Export
from mailer import lifecycle
from mailer.models import MonthlyUsage
from tests.mailer.factories import accepted_request
from tests.stats.conftest import SIM, Workload, catch_up


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def counted(workload):
    workload.run()
    catch_up()
    return workload


def _page(client, project, **params) -> str:
    response = client.get(f"/projects/{project.slug}/statistics/", params)
    assert response.status_code == 200
    return response.content.decode()


def _table(html: str, table_id: str = "stats-table") -> list[list[str]]:
    body = html[html.index(f'id="{table_id}"'):]
    body = body[:body.index("</table>")]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = [re.sub(r"<[^>]+>", "", cell).strip()
                 for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        rows.append(cells)
    return rows


def _row(rows: list[list[str]], key: str) -> list[str]:
    return next(row for row in rows if row[0] == key)


def _figures(html: str) -> list[dict]:
    return [json.loads(spec) for spec in re.findall(
        r'<script id="chart-[^"]+-spec" type="application/json">(.*?)</script>', html, re.S)]


def test_by_request_date_shows_the_counts_and_the_three_rates(owner_client, project, counted):
    html = _page(owner_client, project)
    rows = _table(html)
    assert rows[0] == ["Date", "requestCount", "sentCount", "openedCount", "unsubscribeCount",
                       "Delivery rate (%)", "Open rate (%)", "Unsubscribe rate (%)"]
    today = _row(rows, timezone.localdate().isoformat())
    assert today == [timezone.localdate().isoformat(), "11", "8", "1", "1", "72.7", "12.5",
                     "100.0"]
    assert _row(rows, "Total")[1:] == ["11", "8", "1", "1", "72.7", "12.5", "100.0"]
    chart = _figures(html)[0]
    assert [trace["name"] for trace in chart["data"]] == ["requestCount", "sentCount",
                                                          "openedCount", "unsubscribeCount"]
    assert sum(chart["data"][0]["y"]) == 11 and sum(chart["data"][1]["y"]) == 8


def test_a_template_filters_both_daily_tabs(owner_client, project, counted):
    html = _page(owner_client, project, template=counted.b.pk)
    assert _row(_table(html), "Total")[1:] == ["3", "2", "1", "1", "66.7", "50.0", "100.0"]
    html = _page(owner_client, project, tab="send", template=counted.a.pk)
    rows = _table(html)
    assert rows[0] == ["Date", "sentCount", "openedCount", "unsubscribeCount", "Open rate (%)",
                       "Unsubscribe rate (%)"]
    assert _row(rows, "Total")[1:] == ["5", "0", "0", "0.0", "-"]


def test_by_send_date_counts_on_the_day_the_mail_went(owner_client, project, counted):
    rows = _table(_page(owner_client, project, tab="send"))
    assert _row(rows, timezone.localdate().isoformat())[1:] == ["8", "1", "1", "12.5", "100.0"]


def test_by_domain_name_and_its_drill_down(owner_client, project, counted):
    html = _page(owner_client, project, tab="domain")
    rows = _table(html)
    total = sum(Workload.results.values())
    assert _row(rows, "example.com")[1:] == ["6", f"{6 * 100 / total:.1f}"]
    assert _row(rows, SIM)[1:] == ["4", f"{4 * 100 / total:.1f}"]
    assert _row(rows, "Total")[1] == str(total)
    link = re.search(r'<a class="drill" href="([^"]+)"[^>]*data-drill="example.com"', html)
    drilled = owner_client.get(link.group(1).replace("&amp;", "&"),
                               HTTP_HX_REQUEST="true").content.decode()
    codes = _table(drilled, "drill-table")
    assert _row(codes, "MAIL_SENT")[1:3] == ["3", "50.0"]
    assert _row(codes, "CANCELED_MAIL")[1:3] == ["2", "33.3"]
    assert _row(codes, "UNSUBSCRIBE_ADDRESS")[3] == \
        "Sending blocked due to request to an unsubscribed address"
    figure = _figures(drilled)[1]
    assert "/statistics/?tab=code" in figure["data"][0]["customdata"][0][1]


def test_by_result_code_and_its_drill_down(owner_client, project, counted):
    html = _page(owner_client, project, tab="code")
    rows = _table(html)
    assert _row(rows, "MAIL_SENT")[1:] == ["6", "54.5", "Sending successful"]  # 6 of 11
    assert _row(rows, "MAILBOX_ERROR")[1] == "1"
    drilled = _page(owner_client, project, tab="code", code="MAIL_SENT")
    domains = _table(drilled, "drill-table")
    assert _row(domains, "example.com")[1:] == ["3", "50.0"]
    assert _row(domains, SIM)[1:] == ["2", "33.3"]
    assert _row(domains, "other.org")[1:] == ["1", "16.7"]
    # A domain filter narrows the codes.
    narrowed = _table(_page(owner_client, project, tab="code", domain="other.org"))
    assert [row[0] for row in narrowed[1:-1]] == ["MAIL_SENT"]


def test_by_sending_limit_counts_against_the_monthly_limit(owner_client, project, counted):
    html = _page(owner_client, project, tab="limit")
    rows = _table(html)
    assert _row(rows, timezone.localdate().isoformat())[1:3] == ["9", "9"]
    assert re.search(r'id="limit-used">9<', html)
    assert 'id="change-limit"' in html  # the owner is an admin
    # A cancellation gives its recipients back at once.
    waiting = accepted_request(project, confirmAndSend=True,
                               recipients=[{"address": "x@example.com"},
                                           {"address": "y@example.com"}])
    assert re.search(r'id="limit-used">11<', _page(owner_client, project, tab="limit"))
    lifecycle.cancel(waiting)
    assert re.search(r'id="limit-used">9<', _page(owner_client, project, tab="limit"))
    assert MonthlyUsage.objects.get(project=project).accepted == 9
    catch_up()
    assert _row(_table(_page(owner_client, project, tab="limit")),
                timezone.localdate().isoformat())[1] == "9"


def test_the_month_choice_is_this_one_and_the_two_before(owner_client, project, counted):
    html = _page(owner_client, project, tab="limit")
    months = re.findall(r'<option value="(\d{4}-\d{2})"', html)
    assert len(months) == 3 and months[0] == timezone.localdate().strftime("%Y-%m")
    assert "Select a valid choice" in _page(owner_client, project, tab="limit", month="2001-01")


def test_a_viewer_gets_no_limit_change_link(client, project, viewer, counted):
    client.force_login(viewer)
    assert 'id="change-limit"' not in _page(client, project, tab="limit")


@pytest.mark.parametrize("params", [
    {"start": "2026-05-02", "end": "2026-05-01"}, {"start": "x"}, {"tab": "domain", "code": "NO"},
    {"template": "abc"}, {"tab": "nonsense"}, {"start": "2020-01-01", "end": "2026-01-01"},
])
def test_bad_criteria_get_a_message_never_an_error(owner_client, project, params):
    html = _page(owner_client, project, **params)
    assert 'id="search-errors"' in html or params == {"tab": "nonsense"}


def _download(client, project, **params) -> list[list]:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    dialog = client.get(f"/projects/{project.slug}/exports/?kind=statistics&{query}",
                        HTTP_HX_REQUEST="true").content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', dialog))
    client.post(f"/projects/{project.slug}/exports/new/", fields)
    export = Export.objects.filter(kind="statistics").latest("id")
    exports.build(export.pk)
    export.refresh_from_db()
    assert export.status == Export.Status.DONE, export.error
    response = client.get(f"/projects/{project.slug}/exports/{export.pk}/download/")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def test_each_tab_downloads_the_figures_it_shows(owner_client, project, counted):
    rows = _download(owner_client, project, tab="request")
    assert rows[0][:3] == ["Date", "requestCount", "sentCount"]
    assert rows[-1] == ["Total", 11, 8, 1, 1, 72.7, 12.5, 100.0]
    rows = _download(owner_client, project, tab="send", template=counted.b.pk)
    assert rows[-1] == ["Total", 2, 1, 1, 50.0, 100.0]
    rows = _download(owner_client, project, tab="domain", domain="example.com")
    assert ["example.com", 6, pytest.approx(6 * 100 / sum(Workload.results.values()), 0.1)] in \
        rows
    assert ["MAIL_SENT", 3, 50.0, "Sending successful"] in rows
    rows = _download(owner_client, project, tab="code")
    assert ["MAIL_SENT", 6, 54.5, "Sending successful"] in rows
    rows = _download(owner_client, project, tab="limit")
    assert rows[0] == ["Date", "Daily volume", "Monthly cumulative volume",
                       "Share of the limit (%)"]
    assert rows[-1][:3] == ["Total", 9, 9]
