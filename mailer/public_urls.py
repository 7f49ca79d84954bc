from django.urls import path

from mailer import public_views

urlpatterns = [
    path("u/<str:token>/", public_views.unsubscribe, name="unsubscribe"),
    path("o/<str:token>.gif", public_views.opened, name="open"),
]
