from django.urls import path

from mailer import views

app_name = "mailer"

urlpatterns = [
    path("mails/", views.mailing_list, name="mailing_list"),
    path("templates/", views.templates, name="templates"),
    path("unsubscribers/", views.unsubscribers, name="unsubscribers"),
]
