from django.urls import path

from mailer.views import mailing_list, settings, suppression, templates

app_name = "mailer"

urlpatterns = [
    path("mails/", mailing_list.mailing_list, name="mailing_list"),
    path("templates/", templates.templates, name="templates"),
    path("unsubscribers/", suppression.unsubscribers, name="unsubscribers"),
    path("unsubscribers/add/", suppression.add_unsubscribers, name="add_unsubscribers"),
    path("unsubscribers/<int:pk>/remove/", suppression.remove_unsubscriber,
         name="remove_unsubscriber"),
    path("send-block/", suppression.send_blocks, name="send_blocks"),
    path("send-block/add/", suppression.add_send_blocks, name="add_send_blocks"),
    path("send-block/<int:pk>/unblock/", suppression.unblock, name="unblock"),
    path("settings/sending/", settings.sending, name="sending_settings"),
    path("settings/domains/", settings.sending_domains, name="sending_domains"),
    path("settings/domains/<int:pk>/remove/", settings.remove_sending_domain,
         name="remove_sending_domain"),
]
