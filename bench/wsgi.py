"""WSGI entry point of the benchmarks' gunicorn (bench.wsgi:application): the console's, with
bench.settings, so that the baseline endpoint and the API run in the same processes."""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

from console.wsgi import application

__all__ = ["application"]
