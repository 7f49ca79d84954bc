"""Sign in (throttled by django-axes), sign out, password change and the user's own preferences."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from console.forms import PreferencesForm


class LoginView(auth_views.LoginView):
    """Throttled by django-axes (console/login_throttle.py)."""

    template_name = "console/login.html"
    redirect_authenticated_user = True
    http_method_names = ["get", "post"]


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "console/password_change.html"
    http_method_names = ["get", "post"]
    success_url = reverse_lazy("preferences")

    def form_valid(self, form):
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, instance=request.profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your preferences were saved."))
        return redirect("preferences")
    return render(request, "console/preferences.html", {"form": form})


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """The language switch on every page: a signed-in user's choice is saved with their
    preferences (empty: as the project, then the browser, says); anyone's is kept in the
    language cookie, which the sign-in page follows. Back to the page it was made on."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = ""
    if request.user.is_authenticated:
        request.profile.language = language
        request.profile.save(update_fields=["language"])
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = reverse("home")
    response = redirect(back)
    if language:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language,
                            max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax")
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
    return response
