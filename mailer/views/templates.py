"""The Templates screen."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from console.access import project_view
from mailer.models import Template


@project_view()
@require_GET
def templates(request: HttpRequest) -> HttpResponse:
    rows = Template.objects.filter(project=request.project, deleted=None)
    return render(request, "mailer/templates.html", {"rows": rows})
