"""The address book app: registers its demo data and its Excel exports with the console."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AddressbookConfig(AppConfig):
    name = "addressbook"
    verbose_name = _("Address book")

    def ready(self) -> None:
        from addressbook import demo, exporters
        from console.demo import register

        register(demo.fill)
        exporters.register()
