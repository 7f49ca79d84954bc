"""The URL configuration: accounts, projects and settings, the apps' screens, the API."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from console.api_root import api
from console.views import accounts, exports, health, project_settings, projects, sandbox

project_patterns = [
    path("", projects.project_home, name="project_home"),
    path("settings/", project_settings.general, name="settings"),
    path("settings/members/", project_settings.members, name="members"),
    path("settings/members/<int:pk>/role/", project_settings.change_role, name="change_role"),
    path("settings/members/<int:pk>/remove/", project_settings.remove_member,
         name="remove_member"),
    path("settings/api-keys/", project_settings.api_keys, name="api_keys"),
    path("settings/api-keys/<int:pk>/revoke/", project_settings.revoke_api_key,
         name="revoke_api_key"),
    path("sandbox/", sandbox.inbox, name="sandbox"),
    path("sandbox/<int:pk>/", sandbox.message, name="sandbox_message"),
    path("sandbox/<int:pk>/raw/", sandbox.raw, name="sandbox_raw"),
    path("sandbox/<int:pk>/attachments/<int:index>/", sandbox.attachment,
         name="sandbox_attachment"),
    path("exports/", exports.export_list, name="export_list"),
    path("exports/new/", exports.request_export, name="request_export"),
    path("exports/<int:pk>/", exports.export_status, name="export_status"),
    path("exports/<int:pk>/download/", exports.download, name="export_download"),
    path("", include("mailer.urls")),
    path("address-book/", include("addressbook.urls")),
    path("statistics/", include("stats.urls")),
]

urlpatterns = [
    path("", projects.home, name="home"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/preferences/", accounts.preferences, name="preferences"),
    path("accounts/language/", accounts.switch_language, name="switch_language"),
    path("health/", health.health, name="health"),
    path("projects/", projects.projects, name="projects"),
    path("projects/<slug:project>/", include(project_patterns)),
    path("api/v1/", api.urls),
    path("", include("mailer.public_urls")),
    path("django-admin/", admin.site.urls),
]
