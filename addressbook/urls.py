"""URLs of the Address book screen (under /projects/<slug>/address-book/)."""

from django.urls import path

from addressbook import views

app_name = "addressbook"

urlpatterns = [
    path("", views.address_book, name="address_book"),
    path("register/", views.register, name="register"),
    path("imports/<int:pk>/", views.import_status, name="import_status"),
    path("groups/", views.create_group, name="create_group"),
    path("groups/<int:sid>/rename/", views.rename_group, name="rename_group"),
    path("groups/<int:sid>/empty/", views.empty_group, name="empty_group"),
    path("groups/<int:sid>/delete/", views.delete_group, name="delete_group"),
    path("edit-groups/", views.edit_groups, name="edit_groups"),
    path("delete/", views.delete_addresses, name="delete_addresses"),
    path("reset/", views.reset, name="reset"),
]
