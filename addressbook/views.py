"""The Address book screen."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from addressbook.models import Address, RecipientGroup
from console.access import project_view


@project_view()
@require_GET
def address_book(request: HttpRequest) -> HttpResponse:
    groups = RecipientGroup.objects.filter(project=request.project).annotate(
        address_count=Count("groupmember"))
    total = Address.objects.filter(project=request.project).count()
    return render(request, "addressbook/address_book.html", {"groups": groups, "total": total})
