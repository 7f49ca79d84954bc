"""The console's URLs plus the benchmarks' baseline endpoint, POST /api/v1/bench/baseline: one
signed request, checked by the API's own authentication (console.api.signed_caller, the same
key query and HMAC check every /api/v1 call starts with), and one INSERT. Under /api/v1/ so that
it passes the same middleware as the API (console.middleware.ApiErrorMiddleware's size and NUL
checks included); it answers what is left when Outbound's own work is taken out of a request:
Django, gunicorn, the signature and one row written."""

from __future__ import annotations

import json

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from bench.harness import BASELINE_TABLE
from console.api import authentication_failed, signed_caller
from console.signature import SignatureError
from console.urls import urlpatterns as console_urlpatterns


@csrf_exempt
@require_POST
def baseline(request: HttpRequest) -> JsonResponse:
    try:
        who = signed_caller(request)
    except SignatureError as error:
        return authentication_failed(str(error))
    payload = request.body.decode()
    json.loads(payload)  # a JSON API reads its body; the product's parse is the one measured
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {BASELINE_TABLE} (api_key_id, received, payload) "
                       "VALUES (%s, now(), %s) RETURNING id", [who.key.pk, payload])
        (row_id,) = cursor.fetchone()
    return JsonResponse({"id": row_id}, status=201)


urlpatterns = [path("api/v1/bench/baseline", baseline, name="bench_baseline"),
               *console_urlpatterns]
