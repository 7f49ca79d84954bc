"""The console's settings with the benchmarks' URLs (bench/urls.py: the baseline endpoint beside
the product's), for the gunicorn of B2 and B7; never used outside bench/."""

from console.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
WSGI_APPLICATION = "bench.wsgi.application"
