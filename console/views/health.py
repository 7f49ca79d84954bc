"""The health page: web, database, Redis, worker and beat, up or down."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from console.health import all_checks


@never_cache
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    checks = all_checks()
    healthy = all(check.up for check in checks)
    status = 200 if healthy else 503
    # Anonymous visitors (load balancers, monitors) see up/down, not the details.
    show_details = request.user.is_authenticated
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": "up" if healthy else "down",
                "checks": {
                    c.name: {"up": c.up, **({"detail": str(c.detail)} if show_details else {})}
                    for c in checks
                },
            },
            status=status,
        )
    return render(request, "console/health.html",
                  {"checks": checks, "healthy": healthy, "show_details": show_details},
                  status=status)
