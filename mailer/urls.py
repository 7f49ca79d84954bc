from django.urls import path

from mailer.views import mailing_list, settings, suppression, templates

app_name = "mailer"

urlpatterns = [
    path("mails/", mailing_list.mailing_list, name="mailing_list"),
    path("templates/", templates.templates, name="templates"),
    path("templates/new/", templates.new_template, name="new_template"),
    path("templates/preview/", templates.preview, name="template_preview"),
    path("templates/<int:pk>/edit/", templates.edit_template, name="edit_template"),
    path("templates/<int:pk>/move/", templates.move_template, name="move_template"),
    path("templates/<int:pk>/in-use/", templates.set_in_use, name="template_in_use"),
    path("templates/<int:pk>/delete/", templates.delete_template, name="delete_template"),
    path("templates/<int:pk>/restore/", templates.restore_template, name="restore_template"),
    path("templates/<int:pk>/purge/", templates.purge_template, name="purge_template"),
    path("templates/categories/", templates.create_category, name="create_category"),
    path("templates/categories/<int:pk>/", templates.update_category,
         name="update_category"),
    path("templates/categories/<int:pk>/delete/", templates.delete_category,
         name="delete_category"),
    path("templates/files/", templates.template_files, name="template_files"),
    path("templates/files/export/", templates.request_export, name="template_export"),
    path("templates/files/import/", templates.request_import, name="template_import"),
    path("templates/files/<str:kind>/<int:pk>/", templates.job_status,
         name="template_job_status"),
    path("templates/files/export/<int:pk>/download/", templates.download_export,
         name="template_export_download"),
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
