from django.urls import path

from mailer import settings_views, suppression_views, views

app_name = "mailer"

urlpatterns = [
    path("mails/", views.mailing_list, name="mailing_list"),
    path("templates/", views.templates, name="templates"),
    path("unsubscribers/", suppression_views.unsubscribers, name="unsubscribers"),
    path("unsubscribers/add/", suppression_views.add_unsubscribers, name="add_unsubscribers"),
    path("unsubscribers/<int:pk>/remove/", suppression_views.remove_unsubscriber,
         name="remove_unsubscriber"),
    path("send-block/", suppression_views.send_blocks, name="send_blocks"),
    path("send-block/<int:pk>/unblock/", suppression_views.unblock, name="unblock"),
    path("settings/sending/", settings_views.sending, name="sending_settings"),
    path("settings/domains/", settings_views.sending_domains, name="sending_domains"),
    path("settings/domains/<int:pk>/remove/", settings_views.remove_sending_domain,
         name="remove_sending_domain"),
]
