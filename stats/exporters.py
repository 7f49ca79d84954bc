"""Each Statistics tab's table as an Excel download (console's generic export): the same
table the screen shows, with the tab's criteria, and the drill-down table when one is open."""

from __future__ import annotations

from collections.abc import Iterator

from django import forms
from django.utils.translation import gettext_lazy

from console.exports import register_exporter
from console.models import Project
from stats import figures
from stats.figures import FORMS, Tab


class StatisticsExportForm(forms.Form):
    """The tab and its own form's criteria, kept as typed."""

    tab = forms.ChoiceField(choices=Tab.CHOICES)

    def __init__(self, *args, project: Project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.project = project

    def clean(self) -> dict:
        data = super().clean()
        tab = data.get("tab")
        if tab is None:
            return data
        inner = FORMS[tab](self.data, project=self.project)
        if not inner.is_valid():
            raise forms.ValidationError(inner.errors.as_text())
        return {"tab": tab, **{name: str(self.data[name]).strip() for name in inner.fields
                               if self.data.get(name) not in (None, "")}}


def _table(project: Project, params: dict) -> figures.Table:
    tab = params["tab"]
    form = FORMS[tab](params, project=project)
    if not form.is_valid():
        raise ValueError(f"the criteria are no longer valid: {form.errors.as_text()}")
    return figures.table_for(project, tab, form)


def rows(project: Project, params: dict) -> Iterator[list]:
    table = _table(project, params)
    yield table.columns
    yield from table.rows
    if table.total is not None:
        yield table.total
    if table.summary.get("drill_rows"):
        yield []
        yield [table.summary["drill_title"]]
        yield table.summary["drill_columns"]
        yield from table.summary["drill_rows"]


def describe(project: Project, params: dict) -> str:
    label = dict(Tab.CHOICES).get(params.get("tab"), "")
    details = [f"{k}: {v}" for k, v in params.items() if k != "tab"]
    return " · ".join([str(label), *details])


def register() -> None:
    register_exporter("statistics", gettext_lazy("Statistics"), rows, form=StatisticsExportForm,
                      describe=describe)
