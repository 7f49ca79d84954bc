"""The Statistics screen."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from console.access import project_view


@project_view()
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    return render(request, "stats/statistics.html")
