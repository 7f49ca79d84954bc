"""The Mailing list, Templates and Unsubscribers / Send block screens."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from console.access import project_view


@project_view()
@require_GET
def mailing_list(request: HttpRequest) -> HttpResponse:
    return render(request, "mailer/mailing_list.html")


@project_view()
@require_GET
def templates(request: HttpRequest) -> HttpResponse:
    return render(request, "mailer/templates.html")


@project_view()
@require_GET
def unsubscribers(request: HttpRequest) -> HttpResponse:
    return render(request, "mailer/unsubscribers.html")
