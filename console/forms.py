"""Forms of the console app: login, preferences, projects, members and API keys."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from console.models import Membership, Profile, Project, time_zone_choices

User = get_user_model()


class ConsoleFormRenderer(TemplatesSetting):
    """{{ form }} and {{ field.as_field_group }} in the console's markup."""

    form_template_name = "console/forms/form.html"
    field_template_name = "console/forms/field.html"


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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("As the browser says")),
                                           *settings.LANGUAGES]


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
