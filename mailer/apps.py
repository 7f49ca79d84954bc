"""The mailer app: its demo data, its menu entries and its Settings tabs."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MailerConfig(AppConfig):
    name = "mailer"
    verbose_name = _("Mailer")

    def ready(self) -> None:
        from console.demo import register
        from console.navigation import Entry, SettingsTab, add_entry, add_settings_tab
        from mailer import demo, exporters

        register(demo.fill)
        exporters.register()
        add_entry(Entry("mails", _("Mailing list"), "mailer:mailing_list", "mail", order=10,
                        active=frozenset({"mailer:compose", "mailer:request_mails",
                                                  "mailer:mail_content"})))
        add_entry(Entry("templates", _("Manage templates"), "mailer:templates", "template",
                        order=20, active=frozenset({"mailer:new_template",
                                                    "mailer:edit_template",
                                                    "mailer:template_files"})))
        add_entry(Entry("unsubscribers", _("Unsubscribers / Send block"),
                        "mailer:unsubscribers", "block", order=50,
                        active=frozenset({"mailer:send_blocks"})))
        add_settings_tab(SettingsTab(pgettext_lazy("settings tab", "Sending"),
                                     "mailer:sending_settings", order=20))
        add_settings_tab(SettingsTab(_("Sending domains"), "mailer:sending_domains", order=50,
                                     admin_only=True))
