"""How a cell of a statistics table reads on screen (the Excel file keeps the raw values)."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def cell(value):
    if value is None:
        return "-"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    if isinstance(value, float):
        return number_format(value, 1, force_grouping=True)
    return value


@register.filter
def is_number(value) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))
