"""The mailer's Settings tabs: sending limits and sending domains with their DKIM keys."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from console.access import Role, project_view
from mailer import domains, monthly_limit, suppression
from mailer.forms import SendingDomainForm, SendingSettingsForm
from mailer.models import MailerSettings, MonthlyUsage, SendingDomain


@project_view()
@require_http_methods(["GET", "POST"])
def sending(request: HttpRequest) -> HttpResponse:
    """Everyone sees the limits and this month's use; admins change them."""
    current = MailerSettings.for_project(request.project.pk)
    if request.method == "POST" and not request.membership.is_admin:
        raise PermissionDenied(_("Only admins change the sending settings."))
    form = SendingSettingsForm(request.POST or None, initial={
        "monthly_limit": current.monthly_limit, "send_block_hours": current.send_block_hours,
        "recipient_language": current.recipient_language})
    if request.method == "POST" and form.is_valid():
        monthly_limit.set_monthly_limit(request.project, form.cleaned_data["monthly_limit"])
        suppression.set_send_block_hours(request.project, form.cleaned_data["send_block_hours"])
        MailerSettings.objects.update_or_create(project=request.project, defaults={
            "recipient_language": form.cleaned_data["recipient_language"]})
        messages.success(request, _("The sending settings were saved."))
        return redirect("mailer:sending_settings", project=request.project.slug)
    month = monthly_limit.usage_month(request.project, timezone.now())
    usage = MonthlyUsage.objects.filter(project=request.project, month=month).first()
    return render(request, "mailer/settings_sending.html", {
        "form": form, "can_edit": request.membership.is_admin, "month": month,
        "used": usage.accepted if usage else 0, "limit": current.monthly_limit,
    })


@project_view(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def sending_domains(request: HttpRequest) -> HttpResponse:
    form = SendingDomainForm(request.POST or None, project=request.project)
    if request.method == "POST" and form.is_valid():
        domain = domains.add_domain(request.project, form.cleaned_data["domain"])
        messages.success(request, _("%(domain)s was added with a new DKIM key: publish the "
                                    "records below.") % {"domain": domain.domain})
        return redirect("mailer:sending_domains", project=request.project.slug)
    rows = [(d, domains.dns_records(d))
            for d in SendingDomain.objects.filter(project=request.project)]
    return render(request, "mailer/settings_domains.html", {"form": form, "rows": rows})


@project_view(Role.ADMIN)
@require_POST
def remove_sending_domain(request: HttpRequest, pk: int) -> HttpResponse:
    domain = get_object_or_404(SendingDomain, project=request.project, pk=pk)
    domain.delete()
    messages.success(request, _("%(domain)s was removed; its mail is no longer signed.") % {
        "domain": domain.domain})
    return redirect("mailer:sending_domains", project=request.project.slug)
