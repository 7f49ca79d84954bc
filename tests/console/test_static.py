"""Every asset is served by the app itself: no CDN anywhere."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize("path", ["/static/plotly/plotly.min.js",
                                  "/static/django_htmx/htmx-2.min.js",
                                  "/static/console/console.css", "/static/console/icons.svg",
                                  "/static/ninja/swagger-ui-bundle.js"])
def test_it_serves_the_asset(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])


def test_plotly_comes_from_the_plotly_package(client, db):
    import plotly

    from console.staticfinders import PLOTLY_DIR

    response = client.get("/static/plotly/plotly.min.js")
    served = b"".join(response.streaming_content)
    assert served == (PLOTLY_DIR / "plotly.min.js").read_bytes()
    assert PLOTLY_DIR.is_relative_to(__import__("pathlib").Path(plotly.__file__).parent)


@pytest.mark.parametrize("url", ["/accounts/login/", "/projects/acme/mails/",
                                 "/projects/acme/settings/api-keys/", "/health/",
                                 "/api/v1/docs"])
def test_pages_load_nothing_from_elsewhere(owner_client, project, url):
    body = owner_client.get(url).content.decode()
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', body)
    assert external == []
