"""Login throttling with django-axes, counted in the cache (Redis): after LOGIN_FAILURE_LIMIT
failed attempts for a username, the sign-in form refuses that username for
LOGIN_LOCKOUT_SECONDS, even with the right password. While the cache is down, sign-in goes on
unthrottled rather than locking everybody out."""

from __future__ import annotations

import logging
from datetime import timedelta

from axes.handlers.cache import AxesCacheHandler
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def failure_limit(request: HttpRequest, credentials: dict | None = None) -> int:
    return settings.LOGIN_FAILURE_LIMIT


def cool_off(request: HttpRequest | None = None) -> timedelta:
    return timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)


def username(request: HttpRequest, credentials: dict | None = None) -> str:
    """Failures of `Admin` and `admin` count together."""
    value = (credentials or {}).get("username") or request.POST.get("username") or ""
    return value.strip().lower()


def locked_out(request: HttpRequest, response: HttpResponse | None = None,
               credentials: dict | None = None, *args, **kwargs) -> HttpResponse:
    """The sign-in page again, saying why, with 429."""
    form = AuthenticationForm(request, data=request.POST or None)
    form.errors.clear()
    form.add_error(None, _("Too many failed sign-in attempts. Try again in %(minutes)d "
                           "minutes.") % {"minutes": max(settings.LOGIN_LOCKOUT_SECONDS // 60, 1)})
    return render(request, "console/login.html", {"form": form}, status=429)


class ForgivingCacheHandler(AxesCacheHandler):
    """axes' cache handler, which lets sign-in through when the cache cannot be reached."""

    def get_failures(self, request, credentials=None) -> int:
        try:
            return super().get_failures(request, credentials)
        except Exception:
            logger.warning("login throttling unavailable", exc_info=True)
            return 0

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        try:
            return super().user_login_failed(sender, credentials, request, **kwargs)
        except Exception:
            logger.warning("login throttling unavailable", exc_info=True)
            return None

    def user_logged_in(self, sender, request, user, **kwargs):
        try:
            return super().user_logged_in(sender, request, user, **kwargs)
        except Exception:
            logger.warning("login throttling unavailable", exc_info=True)
            return None
