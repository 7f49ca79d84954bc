from __future__ import annotations

import time

from console.health import check_beat
from console.heartbeat import BEAT_HEARTBEAT_KEY, record_beat_heartbeat, redis_client


def test_it_reports_database_and_redis_up(client, db):
    response = client.get("/health/?format=json")
    checks = response.json()["checks"]
    assert checks["web"]["up"] and checks["database"]["up"] and checks["redis"]["up"]


def test_it_reports_a_missing_worker_as_down_with_503(client, db):
    redis_client().delete(BEAT_HEARTBEAT_KEY)
    response = client.get("/health/?format=json")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["up"] is False
    assert response.json()["checks"]["beat"]["up"] is False


def test_it_reports_beat_up_after_a_recent_tick(db):
    record_beat_heartbeat(time.time())
    assert check_beat().up


def test_it_reports_beat_down_after_a_stale_tick(db):
    record_beat_heartbeat(time.time() - 120)
    assert not check_beat().up


def test_it_reports_redis_down(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    checks = client.get("/health/?format=json").json()["checks"]
    assert checks["redis"]["up"] is False
    assert checks["beat"]["up"] is False


def test_it_hides_details_from_anonymous_visitors(client, db):
    assert "detail" not in client.get("/health/?format=json").json()["checks"]["database"]


def test_it_shows_details_to_members(owner_client):
    checks = owner_client.get("/health/?format=json").json()["checks"]
    assert checks["database"]["detail"]


def test_it_renders_the_page(owner_client):
    response = owner_client.get("/health/")
    assert b'data-check="worker"' in response.content


def test_it_refuses_post(client, db):
    from django.test import Client

    assert Client().post("/health/").status_code == 405
