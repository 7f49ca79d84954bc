"""Forms of the console app: login, preferences, projects, members and API keys."""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from console.models import Membership, Profile, Project, time_zone_choices

logger = logging.getLogger(__name__)
User = get_user_model()


class ConsoleFormRenderer(TemplatesSetting):
    """{{ form }} and {{ field.as_field_group }} in the console's markup."""

    form_template_name = "console/forms/form.html"
    field_template_name = "console/forms/field.html"


class ThrottledLoginForm(AuthenticationForm):
    """Refuses further attempts for a while after LOGIN_FAILURE_LIMIT failures, counted per
    username and, more loosely, per client address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Too many failed sign-in attempts. Try again in %(minutes)d minutes."),
    }

    def _keys(self) -> list[tuple[str, int]]:
        username = (self.data.get("username") or "").strip().lower()
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        limit = settings.LOGIN_FAILURE_LIMIT
        return [(f"login-fail:user:{username}", limit), (f"login-fail:ip:{address}", limit * 4)]

    def is_throttled(self) -> bool:
        try:
            counts = cache.get_many([key for key, _limit in self._keys()])
        except Exception:  # cache down: do not lock everybody out
            logger.warning("login throttling unavailable", exc_info=True)
            return False
        return any(counts.get(key, 0) >= limit for key, limit in self._keys())

    def record_failure(self) -> None:
        try:
            for key, _limit in self._keys():
                if not cache.add(key, 1, settings.LOGIN_LOCKOUT_SECONDS):
                    cache.incr(key)
        except Exception:
            logger.warning("login throttling unavailable", exc_info=True)

    def clear_failures(self) -> None:
        try:
            cache.delete(self._keys()[0][0])
        except Exception:
            logger.warning("login throttling unavailable", exc_info=True)

    def clean(self):
        if self.is_throttled():
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": max(settings.LOGIN_LOCKOUT_SECONDS // 60, 1)},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            self.record_failure()
            raise
        self.clear_failures()
        return cleaned


class PreferencesForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        choices=[("", _("As the project says"))],
    )

    class Meta:
        model = Profile
        fields = ["language", "time_zone"]
        labels = {"language": _("Language")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("As the browser says")), *settings.LANGUAGES]
        self.fields["time_zone"].choices = [("", _("As the project says")), *time_zone_choices()]


class ProjectForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=time_zone_choices,
        help_text=_("Reservations and the dates of the API and the console use it."),
    )

    class Meta:
        model = Project
        fields = ["name", "time_zone", "language"]
        help_texts = {
            "language": _("The default language of the members who have not chosen one."),
        }


class NewProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["name"]


class AddMemberForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("Email (for a new account)"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices,
                             initial=Membership.Role.SENDER)

    def __init__(self, *args, project: Project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.project = project

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if Membership.objects.filter(project=self.project, user__username=username).exists():
            raise forms.ValidationError(_("%(name)s is already a member."),
                                        params={"name": username})
        if not User.objects.filter(username=username).exists():
            User.username_validator(username)
        return username


class ChangeRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False,
                           help_text=_("What the key is for, e.g. the sending server's name."))
    user = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(),
                                  help_text=_("The key acts with this member's role."))

    def __init__(self, *args, project: Project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            memberships__project=project
        ).order_by("username")
