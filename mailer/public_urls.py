from django.urls import path

from mailer.views import public

urlpatterns = [
    path("u/<str:token>/", public.unsubscribe, name="unsubscribe"),
    path("o/<str:token>.gif", public.opened, name="open"),
]
