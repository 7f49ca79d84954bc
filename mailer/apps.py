from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailerConfig(AppConfig):
    name = "mailer"
    verbose_name = _("Mailer")

    def ready(self) -> None:
        from console.demo import register
        from mailer import demo

        register(demo.fill)
