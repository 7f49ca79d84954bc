from __future__ import annotations

from tests.integration.conftest import wait_for


def test_it_shows_every_part_up_with_a_real_worker_and_beat(client, celery_worker, celery_beat):
    def all_up() -> bool:
        return client.get("/health/?format=json").status_code == 200

    wait_for(all_up, 30, "every health check up")
    checks = client.get("/health/?format=json").json()["checks"]
    assert all(check["up"] for check in checks.values())


def test_it_shows_the_worker_down_once_it_stops(client, worker_factory):
    from tests.integration.conftest import stop

    worker = worker_factory()
    assert client.get("/health/?format=json").json()["checks"]["worker"]["up"] is True
    stop(worker)
    assert client.get("/health/?format=json").json()["checks"]["worker"]["up"] is False
