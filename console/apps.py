"""The console app: its own menu entries and Settings tabs (the apps above add theirs)."""

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ConsoleConfig(AppConfig):
    name = "console"
    verbose_name = _("Console")

    def ready(self) -> None:
        from django.db.models import CharField, TextField

        from console.lookups import InArray

        CharField.register_lookup(InArray)
        TextField.register_lookup(InArray)

        from console.navigation import SETTINGS_KEY, Entry, SettingsTab, add_entry, add_settings_tab

        add_entry(Entry(SETTINGS_KEY, _("Settings"), "settings", "settings", order=60))
        add_entry(Entry("sandbox", _("Sandbox inbox"), "sandbox", "inbox", order=70,
                        active=frozenset({"sandbox_message"}),
                        shown=lambda: settings.SANDBOX_INBOX))
        add_settings_tab(SettingsTab(_("General"), "settings", order=10))
        add_settings_tab(SettingsTab(_("Members and roles"), "members", order=30,
                                     admin_only=True))
        add_settings_tab(SettingsTab(_("API keys"), "api_keys", order=40, admin_only=True))
