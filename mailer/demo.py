"""The demo project's templates and a few requests, sent through the real pipeline to the
built-in sink once the worker runs (see console.demo)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from mailer import domains
from mailer.acceptance import accept
from mailer.models import SendingDomain, SendRequest, Template, Tool, Unsubscriber
from mailer.schemas import MailRequestIn

SIMULATOR = settings.SIMULATOR_DOMAIN
SENDER = {"senderAddress": "news@shop.example.com", "senderName": "Outbound 쇼핑"}

TEMPLATES = [
    {"name": "welcome", "description": "Sent after sign-up",
     "title": "#{RECIPIENT_NAME}님, 가입을 환영합니다", "sender_name": "Outbound 쇼핑",
     "sender_address": "hello@shop.example.com",
     "body": "<h2>환영합니다, #{RECIPIENT_NAME}님!</h2><p>첫 주문에 쓸 수 있는 쿠폰 "
             "<b>${COUPON}</b>을 드립니다.</p>"},
    {"name": "grade-change", "description": "Membership grade changed",
     "title": "Your grade changed to ${AFTER_GRADE}", "sender_name": "Outbound Shop",
     "sender_address": "members@shop.example.com",
     "body": "<p>Hello #{RECIPIENT_NAME},</p><p>your grade has been changed from "
             "${BEFORE_GRADE} to <b>${AFTER_GRADE}</b>.</p>"},
]


def _requests(templates: dict[str, Template]) -> list[dict]:
    soon = int((timezone.now() + timedelta(days=2)).timestamp() * 1000)
    return [
        {"templateSid": templates["welcome"].pk,
         "recipients": [{"address": "customer03@example.com", "name": "김민수",
                         "parameters": {"COUPON": "WELCOME-10"}},
                        {"address": "customer12@example.com", "name": "佐藤 花子",
                         "parameters": {"COUPON": "WELCOME-10"}}]},
        {**SENDER, "title": "Every simulator outcome", "body": "<p>Hello #{RECIPIENT_NAME}</p>",
         "recipients": [{"address": f"{who}@{SIMULATOR}", "name": who.title()} for who in
                        ("success", "bounce", "blocked", "tempfail", "ooto", "nxdomain")]},
        {**SENDER, "title": "Weekly newsletter", "body": "<p>This week's news for everyone.</p>",
         "individual": False, "recipientGroupFilter": {"andFilter": False,
                                                       "groups": ["newsletter"]}},
        {**SENDER, "title": "Members' week: 30% off everything", "advertising": True,
         "body": "<h2>#{RECIPIENT_NAME}님만을 위한 혜택</h2><p>이번 주 모든 상품 30% 할인.</p>",
         "recipientGroupFilter": {"andFilter": False, "groups": ["vip"]}},
        {**SENDER, "title": "Spring sale starts soon", "body": "<p>Save the date.</p>",
         "reservationUtc": soon, "recipientGroupFilter": {"andFilter": True,
                                                          "groups": ["customers", "newsletter"]}},
    ]


def fill(project, user) -> None:
    if not SendingDomain.objects.filter(project=project).exists():
        domains.add_domain(project, "shop.example.com")
    Unsubscriber.objects.get_or_create(project=project, address="customer27@example.com",
                                       defaults={"is_reg_by_manager": True})
    templates = {}
    for values in TEMPLATES:
        templates[values["name"]], _created = Template.objects.get_or_create(
            project=project, name=values["name"], defaults=values)
    if SendRequest.objects.filter(project=project).exists():
        return
    for body in _requests(templates):
        accept(project, MailRequestIn.model_validate(body), tool=Tool.CONSOLE,
               requester_ip="127.0.0.1", user_id=user.pk)
