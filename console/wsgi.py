"""WSGI entry point (gunicorn console.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

from console.gc_tuning import tune

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")
application = get_wsgi_application()
tune()
