"""The in-app inbox, notification preferences, and the staff page of failed emails."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import KofuError
from core.roles import Role, has_role

from . import services
from .models import Preference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["email", "in_app"]
        widgets = {"email": forms.RadioSelect}


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    preference = Preference.objects.filter(user=request.user).first()
    return render(
        request,
        "notifications/inbox.html",
        {
            "notifications": services.inbox_for(request.user)[:100],
            "unread": services.unread_count(request.user),
            "form": PreferenceForm(instance=preference),
        },
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    services.notification_mark_read(notification_id=pk, by=request.user)
    return redirect("inbox:index")


@login_required
@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferenceForm(request.POST)
    if form.is_valid():
        services.preference_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your notification settings are saved."))
    else:
        messages.error(request, _("Choose how you want to receive email."))
    return redirect("inbox:index")


def _ensure_staff(request: HttpRequest) -> None:
    if not (has_role(request.user, Role.STAFF) or has_role(request.user, Role.ADMIN)):
        raise PermissionDenied


@login_required
def failures(request: HttpRequest) -> HttpResponse:
    _ensure_staff(request)
    return render(
        request,
        "notifications/failures.html",
        {"notifications": services.notifications_needing_attention()[:200]},
    )


@login_required
@require_POST
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_staff(request)
    try:
        services.notification_resend(notification_id=pk, by=request.user)
    except KofuError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The email is queued again."))
    return redirect("inbox:failures")


urlpatterns = [
    path("", inbox, name="index"),
    path("read/", mark_read, name="read_all"),
    path("<int:pk>/read/", mark_read, name="read"),
    path("preferences/", preferences, name="preferences"),
    path("failures/", failures, name="failures"),
    path("failures/<int:pk>/resend/", resend, name="resend"),
]
