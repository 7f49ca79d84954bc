"""The Django project: settings, urls, the Celery app, accounts, projects, API keys and the sink."""

from console.celery import app as celery_app

__all__ = ["celery_app"]
