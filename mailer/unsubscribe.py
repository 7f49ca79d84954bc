"""Unsubscribe links and messages: a signed token per recipient, so nobody can unsubscribe on
behalf of another recipient."""

from __future__ import annotations

from mailer.links import RecipientLink

UNSUBSCRIBE = RecipientLink("outbound.unsubscribe", "unsubscribe")
unsubscribe_token = UNSUBSCRIBE.token
recipient_from_token = UNSUBSCRIBE.recipient
unsubscribe_url = UNSUBSCRIBE.url


BASIC_MESSAGE = (
    '<p style="font-size:12px;color:#666">'
    "본 메일은 수신에 동의하신 분께 발송되는 광고 메일입니다. 수신을 원하지 않으시면 "
    '<a href="#{UNSUBSCRIBE_URL}" target="_blank">[수신거부]</a>를 클릭하세요.<br>'
    "This is an advertising mail sent to those who agreed to receive it. If you no longer wish "
    'to receive it, <a href="#{UNSUBSCRIBE_URL}" target="_blank">unsubscribe</a>.</p>'
)
CUSTOM_LINK = ' <a href="#{UNSUBSCRIBE_URL}" target="_blank">수신거부 · Unsubscribe</a>'


def unsubscribe_footer(use_basic: bool, custom: str) -> str:
    """The footer of an advertising mail, with #{UNSUBSCRIBE_URL} still in it: the basic one,
    or the custom message (given a link when it has none)."""
    if use_basic or not custom:
        return BASIC_MESSAGE
    return custom if "#{UNSUBSCRIBE_URL}" in custom else custom + CUSTOM_LINK


def unsubscribe_message(footer: str, url: str) -> str:
    """#{UNSUBSCRIBE_MESSAGE}: the footer with this recipient's link."""
    return footer.replace("#{UNSUBSCRIBE_URL}", url)
