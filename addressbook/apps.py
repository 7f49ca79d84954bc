"""The address book app: registers its demo data, its Excel exports and its menu entry."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AddressbookConfig(AppConfig):
    name = "addressbook"
    verbose_name = _("Address book")

    def ready(self) -> None:
        from addressbook import demo, exporters
        from console.demo import register
        from console.navigation import Entry, add_entry

        register(demo.fill)
        exporters.register()
        add_entry(Entry("address_book", _("Address book"), "addressbook:address_book", "book",
                        order=30, active=frozenset({
                            "addressbook:register", "addressbook:import_status",
                            "addressbook:edit_groups"})))
