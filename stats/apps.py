"""The Statistics app: its menu entry."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from console.navigation import Entry, add_entry
        from stats import exporters

        exporters.register()

        add_entry(Entry("statistics", _("Statistics"), "stats:statistics", "chart", order=40))
