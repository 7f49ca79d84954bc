"""Unsubscribe links and messages: a signed token per recipient, so nobody can unsubscribe on
behalf of another recipient."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from mailer.links import RecipientLink

UNSUBSCRIBE = RecipientLink("outbound.unsubscribe", "unsubscribe")
unsubscribe_token = UNSUBSCRIBE.token
recipient_from_token = UNSUBSCRIBE.recipient
unsubscribe_url = UNSUBSCRIBE.url


DEFAULT_LANGUAGE = "ko"


def basic_message(language: str = DEFAULT_LANGUAGE) -> str:
    """The basic unsubscribe notice, in the language recipients read (the project's)."""
    with translation.override(language):
        label = _("[Unsubscribe]")
        link = f'<a href="#{{UNSUBSCRIBE_URL}}" target="_blank">{label}</a>'
        text = _("This is an advertising mail sent to those who agreed to receive it. If you "
                 "no longer wish to receive it, click %(link)s.") % {"link": link}
    return f'<p style="font-size:12px;color:#666">{text}</p>'


def unsubscribe_footer(use_basic: bool, custom: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The footer of an advertising mail, with #{UNSUBSCRIBE_URL} still in it: the basic one,
    or the custom message (given a link when it has none)."""
    if use_basic or not custom:
        return basic_message(language)
    if "#{UNSUBSCRIBE_URL}" in custom:
        return custom
    with translation.override(language):
        label = _("[Unsubscribe]")
    return f'{custom} <a href="#{{UNSUBSCRIBE_URL}}" target="_blank">{label}</a>'


def unsubscribe_message(footer: str, url: str) -> str:
    """#{UNSUBSCRIBE_MESSAGE}: the footer with this recipient's link."""
    return footer.replace("#{UNSUBSCRIBE_URL}", url)
