"""Pages for recipients, outside the console: unsubscribing from a project's mail."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from addressbook.addresses import normalise_address
from mailer.models import MailerSettings, Recipient, Unsubscriber
from mailer.tracking import PIXEL, recipient_from_open_token, record_open
from mailer.unsubscribe import recipient_from_token


def _get_recipient(token: str) -> Recipient:
    pk = recipient_from_token(token)
    recipient = (Recipient.objects.select_related("project", "send_request").filter(pk=pk).first()
                 if pk is not None else None)
    if recipient is None:
        raise Http404("This unsubscribe link is not valid")
    return recipient


# The signed token authorises the request; mail clients' RFC 8058 one-click POST carries no
# CSRF token, and the action only ever concerns the token's own recipient.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """In the language the project chose for its recipients."""
    recipient = _get_recipient(token)
    language = MailerSettings.for_project(recipient.project_id).recipient_language
    with translation.override(language):
        return _unsubscribe(request, recipient, token, language)


def _unsubscribe(request: HttpRequest, recipient: Recipient, token: str,
                 language: str) -> HttpResponse:
    context = {"recipient": recipient, "token": token, "language": language,
               "sender": recipient.send_request.sender_name
               or recipient.send_request.sender_address}
    if request.method == "POST":
        Unsubscriber.objects.get_or_create(
            project=recipient.project, address=normalise_address(recipient.address),
            defaults={"send_request": recipient.send_request, "is_reg_by_manager": False},
        )
        Recipient.objects.filter(pk=recipient.pk, unsubscribed_at__isnull=True).update(
            unsubscribed_at=timezone.now())
        return render(request, "mailer/unsubscribed.html", context)
    return render(request, "mailer/unsubscribe.html", context)


@never_cache
@require_GET
def opened(request: HttpRequest, token: str) -> HttpResponse:
    """The tracking image: the same transparent pixel for every token, valid or not, so it
    tells nothing about anyone; a valid token's first load marks its recipient opened."""
    pk = recipient_from_open_token(token)
    if pk is not None:
        record_open(pk)
    return HttpResponse(PIXEL, content_type="image/gif")
