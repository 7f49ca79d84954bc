"""The five Statistics tabs as figures: each tab's criteria (a form), its table (rows computed
from the rollups only) and its Plotly chart (a figure spec the page draws with the project's own
plotly.js). The screens and the Excel downloads use the same tables.

Rates as shared/DESIGN.md §8 defines them: delivery = sent / requested, open = opened / sent,
unsubscribe = unsubscribes / opened.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, timedelta

from django import forms
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from console.models import Project
from mailer.models import MailerSettings, MonthlyUsage, Template
from mailer.result_codes import ResultCode
from stats.models import Basis, DailyCounts, DailyUsage, ResultCounts

DEFAULT_DAYS = 30
MAX_DAYS = 366
TOP_BARS = 30  # domains or codes drawn; the table lists them all
FONT = "Noto Sans, Noto Sans CJK KR, Noto Sans CJK JP, sans-serif"
COLOURS = {"requested": "#2458d6", "sent": "#1f9d63", "opened": "#e0a020",
           "unsubscribed": "#c8434b"}


class Tab:
    REQUEST = "request"
    SEND = "send"
    DOMAIN = "domain"
    CODE = "code"
    LIMIT = "limit"
    CHOICES = ((REQUEST, gettext_lazy("By request date")), (SEND, gettext_lazy("By send date")),
               (DOMAIN, gettext_lazy("By domain name")),
               (CODE, gettext_lazy("By delivery result code")),
               (LIMIT, gettext_lazy("By sending limit")))
    NAMES = tuple(name for name, _label in CHOICES)


def _today(project: Project) -> date:
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(project.time_zone))


def rate(part: int, whole: int) -> float | None:
    return None if not whole else round(part * 100 / whole, 1)


class PeriodForm(forms.Form):
    """Request date range (both days included; the last 30 days by default)."""

    start = forms.DateField(label=gettext_lazy("Request date (from)"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("Request date (to)"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, project: Project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.project = project

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", gettext_lazy("The end of the range is before its start."))
        elif start and end and (end - start).days >= MAX_DAYS:
            self.add_error("end", gettext_lazy("Choose at most 366 days."))
        return data

    def period(self) -> tuple[date, date]:
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        if end is None:
            end = min(start + timedelta(days=DEFAULT_DAYS - 1), _today(self.project)) if start \
                else _today(self.project)
        return start or end - timedelta(days=DEFAULT_DAYS - 1), end


class DailyForm(PeriodForm):
    """By request date and By send date: the range and a template."""

    template = forms.TypedChoiceField(label=gettext_lazy("Template"), required=False,
                                      coerce=int, empty_value=None)

    def __init__(self, *args, project: Project, **kwargs) -> None:
        super().__init__(*args, project=project, **kwargs)
        templates = Template.objects.filter(project=project).order_by("name").values_list(
            "pk", "name")
        self.fields["template"].choices = [("", gettext_lazy("All")), *templates]


class ResultForm(PeriodForm):
    """By domain name and By delivery result code: the range, a result code and a domain (also
    the drill-down: a domain's codes, a code's domains)."""

    code = forms.ChoiceField(label=gettext_lazy("Send result code"), required=False,
                             choices=[("", gettext_lazy("All")), *[(c, c) for c in ResultCode]])
    domain = forms.CharField(label=gettext_lazy("Domain"), required=False, max_length=253)

    def clean_domain(self) -> str:
        return self.cleaned_data["domain"].strip().lower().lstrip("@")


class LimitForm(forms.Form):
    """By sending limit: the request month, this one or the two before."""

    month = forms.ChoiceField(label=gettext_lazy("Request month"), required=False)

    def __init__(self, *args, project: Project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        first = _today(project).replace(day=1)
        months = [first]
        for _step in range(2):
            months.append((months[-1] - timedelta(days=1)).replace(day=1))
        self.months = months
        self.fields["month"].choices = [(f"{m:%Y-%m}", f"{m:%Y-%m}") for m in months]

    def chosen(self) -> date:
        value = self.cleaned_data.get("month")
        return next((m for m in self.months if f"{m:%Y-%m}" == value), self.months[0])


FORMS = {Tab.REQUEST: DailyForm, Tab.SEND: DailyForm, Tab.DOMAIN: ResultForm,
         Tab.CODE: ResultForm, Tab.LIMIT: LimitForm}


@dataclass
class Table:
    """What a tab shows and downloads: column titles, rows, the total row, and the figures."""

    columns: list[str]
    rows: list[list]
    total: list | None = None
    charts: list[dict] = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    links: list[str | None] = field(default_factory=list)  # a drill-down URL per row


def _layout(title: str, **extra) -> dict:
    return {"title": {"text": title, "font": {"size": 14}}, "font": {"family": FONT, "size": 12},
            "margin": {"l": 56, "r": 16, "t": 40, "b": 48}, "height": 340,
            "legend": {"orientation": "h", "y": -0.18}, "hovermode": "x unified",
            "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)", **extra}


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def daily(project: Project, basis: str, start: date, end: date,
          template: int | None) -> Table:
    """By request date (basis R) or By send date (S): a row a day, the rates, a total."""
    found = DailyCounts.objects.filter(project=project, basis=basis, day__gte=start,
                                       day__lte=end)
    if template is not None:
        found = found.filter(template_id=template)
    sums = {row["day"]: row for row in found.values("day").annotate(
        requested=Sum("requested"), sent=Sum("sent"), opened=Sum("opened"),
        unsubscribed=Sum("unsubscribed"))}
    days = _days(start, end)
    zero = {"requested": 0, "sent": 0, "opened": 0, "unsubscribed": 0}
    series = {name: [sums.get(day, zero)[name] for day in days] for name in zero}
    by_request = basis == Basis.REQUEST
    names = (["requested"] if by_request else []) + ["sent", "opened", "unsubscribed"]
    titles = {"requested": "requestCount", "sent": "sentCount", "opened": "openedCount",
              "unsubscribed": "unsubscribeCount"}

    def figures(values: dict[str, int]) -> list:
        counts = [values[name] for name in names]
        rates = ([rate(values["sent"], values["requested"])] if by_request else []) + [
            rate(values["opened"], values["sent"]), rate(values["unsubscribed"], values["opened"])]
        return [*counts, *rates]

    rate_titles = ([_("Delivery rate (%)")] if by_request else []) + [
        _("Open rate (%)"), _("Unsubscribe rate (%)")]
    columns = [_("Date"), *[titles[name] for name in names], *rate_titles]
    rows = [[day, *figures({name: series[name][i] for name in zero})]
            for i, day in enumerate(days)]
    totals = {name: sum(series[name]) for name in zero}
    chart = {"data": [{"type": "bar", "name": titles[name], "x": [d.isoformat() for d in days],
                       "y": series[name], "marker": {"color": COLOURS[name]},
                       "hovertemplate": "%{y:,}"} for name in names],
             "layout": _layout(_("By request date") if by_request else _("By send date"),
                               barmode="group", xaxis={"type": "date"},
                               yaxis={"rangemode": "tozero"})}
    return Table(columns, rows, [_("Total"), *figures(totals)], [chart])


def _shares(counts: dict[str, int], label: str) -> tuple[list[list], int]:
    whole = sum(counts.values())
    rows = [[name, n, rate(n, whole)] for name, n in sorted(counts.items(),
                                                            key=lambda kv: (-kv[1], kv[0]))]
    return rows, whole


def _bar(title: str, rows: list[list], links: list[str | None], colour: str) -> dict:
    shown = rows[:TOP_BARS]
    return {"data": [{"type": "bar", "x": [row[0] for row in shown],
                      "y": [row[1] for row in shown],
                      "text": [f"{row[2]} %" for row in shown], "textposition": "auto",
                      "customdata": [[row[2], links[i] or ""] for i, row in enumerate(shown)],
                      "hovertemplate": "%{x}<br>%{y:,} (%{customdata[0]} %)<extra></extra>",
                      "marker": {"color": colour}, "name": title}],
            "layout": _layout(title, hovermode="closest", showlegend=False,
                              xaxis={"type": "category", "automargin": True})}


def _results(project: Project, start: date, end: date, code: str, domain: str):
    found = ResultCounts.objects.filter(project=project, day__gte=start, day__lte=end)
    if code:
        found = found.filter(result_code=code)
    if domain:
        found = found.filter(domain=domain)
    return found


def by_domain(project: Project, start: date, end: date, code: str, domain: str,
              link) -> Table:
    """Counts and shares by recipient domain; with a domain chosen, its result codes too."""
    counts = {row["domain"]: row["n"] for row in _results(project, start, end, code, "")
              .values("domain").annotate(n=Sum("count"))}
    rows, whole = _shares(counts, _("Domain"))
    links = [link(domain=row[0]) for row in rows]
    table = Table([_("Domain"), _("Count"), _("Share (%)")], rows,
                  [_("Total"), whole, 100.0 if whole else None],
                  [_bar(_("By domain name"), rows, links, COLOURS["requested"])], links=links)
    if domain:
        codes = {row["result_code"]: row["n"] for row in _results(
            project, start, end, code, domain).values("result_code").annotate(n=Sum("count"))}
        drill, _whole = _shares(codes, _("Send result code"))
        table.summary = {"drill_title": _("Result codes of %(domain)s") % {"domain": domain},
                         "drill_columns": [_("Send result code"), _("Count"), _("Share (%)"),
                                           _("Description")],
                         "drill_rows": [[c, n, share, _label(c)] for c, n, share in drill]}
        table.charts.append(_bar(table.summary["drill_title"], drill,
                                 [link(code=row[0], tab=Tab.CODE, domain="") for row in drill],
                                 COLOURS["opened"]))
    return table


def _label(code: str) -> str:
    try:
        return str(ResultCode(code).label)
    except ValueError:
        return ""


def by_code(project: Project, start: date, end: date, code: str, domain: str,
            link) -> Table:
    """Counts and shares by result code; with a code chosen, its domains too."""
    counts = {row["result_code"]: row["n"] for row in _results(project, start, end, "", domain)
              .values("result_code").annotate(n=Sum("count"))}
    rows, whole = _shares(counts, _("Send result code"))
    rows = [[c, n, share, _label(c)] for c, n, share in rows]
    links = [link(code=row[0]) for row in rows]
    table = Table([_("Send result code"), _("Count"), _("Share (%)"), _("Description")], rows,
                  [_("Total"), whole, 100.0 if whole else None, ""],
                  [_bar(_("By delivery result code"), rows, links, COLOURS["sent"])],
                  links=links)
    if code:
        domains = {row["domain"]: row["n"] for row in _results(
            project, start, end, code, domain).values("domain").annotate(n=Sum("count"))}
        drill, _whole = _shares(domains, _("Domain"))
        table.summary = {"drill_title": _("Domains of %(code)s") % {"code": code},
                         "drill_columns": [_("Domain"), _("Count"), _("Share (%)")],
                         "drill_rows": drill}
        table.charts.append(_bar(table.summary["drill_title"], drill,
                                 [link(domain=row[0], tab=Tab.DOMAIN, code="") for row in drill],
                                 COLOURS["unsubscribed"]))
    return table


def by_limit(project: Project, month: date) -> Table:
    """The month's daily volume and its cumulative volume against the monthly limit."""
    following = (month + timedelta(days=32)).replace(day=1)
    last = min(following - timedelta(days=1), _today(project))
    days = _days(month, last) if last >= month else []
    counted = dict(DailyUsage.objects.filter(project=project, day__gte=month,
                                             day__lt=following).values_list("day", "counted"))
    limit = MailerSettings.for_project(project.pk).monthly_limit
    usage = MonthlyUsage.objects.filter(project=project, month=month).first()
    rows, running = [], 0
    for day in days:
        running += counted.get(day, 0)
        rows.append([day, counted.get(day, 0), running, rate(running, limit)])
    used = usage.accepted if usage else running
    x = [d.isoformat() for d in days]
    chart = {"data": [
        {"type": "bar", "name": _("Daily volume"), "x": x, "y": [r[1] for r in rows],
         "marker": {"color": COLOURS["requested"]}, "hovertemplate": "%{y:,}"},
        {"type": "scatter", "mode": "lines+markers", "name": _("Monthly cumulative volume"),
         "x": x, "y": [r[2] for r in rows], "line": {"color": COLOURS["sent"]},
         "hovertemplate": "%{y:,}"},
        {"type": "scatter", "mode": "lines", "name": _("Monthly sending limit"), "x": x,
         "y": [limit] * len(x), "line": {"color": COLOURS["unsubscribed"], "dash": "dash"},
         "hovertemplate": "%{y:,}"},
    ], "layout": _layout(_("By sending limit"), xaxis={"type": "date"},
                         yaxis={"rangemode": "tozero"})}
    return Table([_("Date"), _("Daily volume"), _("Monthly cumulative volume"),
                  _("Share of the limit (%)")], rows, [_("Total"), running, running,
                                                      rate(running, limit)], [chart],
                 summary={"limit": limit, "used": used, "left": max(limit - used, 0),
                          "month": month})


def table_for(project: Project, tab: str, form: forms.Form, link=None) -> Table:
    """The table of a tab whose form is valid; `link(**changes)` makes the drill-down URLs."""
    link = link or (lambda **changes: None)
    if tab == Tab.LIMIT:
        return by_limit(project, form.chosen())
    start, end = form.period()
    data = form.cleaned_data
    if tab in (Tab.REQUEST, Tab.SEND):
        basis = Basis.REQUEST if tab == Tab.REQUEST else Basis.SEND
        return daily(project, basis, start, end, data.get("template"))
    if tab == Tab.DOMAIN:
        return by_domain(project, start, end, data.get("code", ""), data.get("domain", ""), link)
    return by_code(project, start, end, data.get("code", ""), data.get("domain", ""), link)
