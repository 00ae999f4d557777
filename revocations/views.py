"""The revocation and repayment pages: staff prepare a revocation, another approver decides it,
finance records what the company repays and follows the orders still open. Every staff-side
role reads; anyone else gets 403. Every change is one service call whose refusal is shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from applications.models import Application
from applications.selectors import grant_decision_in_force
from core.dates import today_jst
from core.errors import KofuError
from core.roles import Role, has_role, is_staff_side
from payments.selectors import payment_received

from . import exports, selectors, services
from .models import Revocation
from .selectors import repayment_due

Status = Revocation.Status
DEADLINE_DAYS = 30  # a suggestion for the form; the preparer decides


def _ensure_reader(request: HttpRequest) -> None:
    if not is_staff_side(request.user):
        raise PermissionDenied(_("Only prefectural staff can see revocations and repayments."))


def _ensure_preparer(request: HttpRequest) -> None:
    if not has_role(request.user, Role.STAFF):
        raise PermissionDenied(_("Only programme staff can prepare a revocation."))


def _revocation(pk: int) -> Revocation:
    revocation = (
        Revocation.objects.select_related(
            "application__company",
            "application__round",
            "original",
            "prepared_by",
            "decided_by",
            "letter",
        )
        .filter(pk=pk)
        .first()
    )
    if revocation is None:
        raise Http404(_("There is no such revocation."))
    return revocation


def _act(request: HttpRequest, action: Callable[[], Any], done: str) -> Any | None:
    """Run one service; show its refusal, or ``done``, as a message."""
    try:
        result = action()
    except KofuError as error:
        messages.error(request, str(error.message))
        return None
    messages.success(request, done)
    return result


def _form_errors(request: HttpRequest, form: forms.Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- the list of repayment orders ------------------------------------------------------------


@login_required
def repayments(request: HttpRequest) -> HttpResponse:
    """Repayment orders with what is due today, open ones first; revocations awaiting a decision."""
    _ensure_reader(request)
    today = today_jst()
    rows = [exports.repayment_row(revocation, today) for revocation in selectors.repayment_orders()]
    return render(
        request,
        "revocations/repayments.html",
        {
            "rows": rows,
            "today": today,
            "awaiting": selectors.revocations_awaiting_decision(),
            "outstanding_total": sum(row["total"] for row in rows),
        },
    )


@login_required
def repayments_xlsx(request: HttpRequest) -> HttpResponse:
    _ensure_reader(request)
    today = today_jst()
    return _download(
        exports.repayments_xlsx(selectors.repayment_orders(), today),
        exports.XLSX_CONTENT_TYPE,
        f"repayments-{today:%Y-%m-%d}.xlsx",
    )


# --- preparing a revocation ------------------------------------------------------------------


class RevocationForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the revocation"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        max_length=4000,
    )
    revoked_amount = forms.IntegerField(label=gettext_lazy("Amount revoked (yen)"), min_value=1)
    repayment_deadline = forms.DateField(
        label=gettext_lazy("Repay by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, paid: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not paid:  # nothing to repay, so no deadline to set
            del self.fields["repayment_deadline"]


def _live_revocation(application: Application) -> Revocation | None:
    return application.revocations.exclude(status=Status.CANCELLED).first()


def _prepare(request: HttpRequest, application: Application, form: RevocationForm) -> Any:
    try:
        return services.revocation_prepare(
            application_id=application.pk,
            by=request.user,
            reason=form.cleaned_data["reason"],
            revoked_amount=form.cleaned_data["revoked_amount"],
            repayment_deadline=form.cleaned_data.get("repayment_deadline"),
        )
    except KofuError as error:
        form.add_error(error.field if error.field in form.fields else None, str(error.message))
        return None


@login_required
def revocation_new(request: HttpRequest, application_id: int) -> HttpResponse:
    """Staff prepare the revocation of an application's grant, for an approver to decide."""
    _ensure_preparer(request)
    application = get_object_or_404(
        Application.objects.select_related("company", "round"), pk=application_id
    )
    live = _live_revocation(application)
    if live is not None:
        messages.info(request, _("A revocation of this application is already under way."))
        return redirect("revocations:detail", pk=live.pk)
    if application.status not in Application.REVOCABLE:
        messages.error(
            request,
            _("An application that is %(status)s has no grant to revoke.")
            % {"status": application.get_status_display()},
        )
        return redirect(application.get_absolute_url())
    paid = payment_received(application.pk)
    in_force = services.amount_in_force(application)
    form = RevocationForm(
        request.POST or None,
        paid=paid is not None,
        initial={
            "revoked_amount": in_force,
            "repayment_deadline": today_jst() + dt.timedelta(days=DEADLINE_DAYS),
        },
    )
    if request.method == "POST" and form.is_valid():
        revocation = _prepare(request, application, form)
        if revocation is not None:
            messages.success(
                request, _("Revocation prepared: another approver must now decide it.")
            )
            return redirect("revocations:detail", pk=revocation.pk)
    return render(
        request,
        "revocations/new.html",
        {
            "application": application,
            "form": form,
            "paid": paid,
            "in_force": in_force,
            "original": grant_decision_in_force(application),
        },
    )


# --- a revocation ----------------------------------------------------------------------------


class CancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=1000)


class RepaymentForm(forms.Form):
    amount = forms.IntegerField(label=gettext_lazy("Amount received (yen)"), min_value=1)
    received_on = forms.DateField(
        label=gettext_lazy("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )


def _decide_hint(revocation: Revocation, user: Any) -> str:
    """Why this approver cannot decide; the service decides, this only explains."""
    if revocation.status == Status.PREPARED and revocation.prepared_by_id == user.pk:
        return _("You prepared this revocation, so another approver must decide it (four eyes).")
    return ""


def _terms(revocation: Revocation) -> dict[str, Any]:
    """The 加算金 terms: a decided order keeps those of its day, a prepared one shows today's."""
    percent = revocation.interest_percent
    days = revocation.interest_days_in_year
    return {
        "percent": percent if percent is not None else settings.KOFU_REPAYMENT_INTEREST_PERCENT,
        "days_in_year": days or settings.KOFU_REPAYMENT_DAYS_IN_YEAR,
        "since": revocation.interest_from,
    }


@login_required
def revocation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_reader(request)
    revocation = _revocation(pk)
    user = request.user
    prepared = revocation.status == Status.PREPARED
    today = today_jst()
    return render(
        request,
        "revocations/detail.html",
        {
            "revocation": revocation,
            "application": revocation.application,
            "original": exports.original_decision(revocation),
            "terms": _terms(revocation),
            "due": repayment_due(revocation, today),
            "today": today,
            "receipts": revocation.receipts.select_related("recorded_by"),
            "can_decide": prepared
            and has_role(user, Role.APPROVER)
            and revocation.prepared_by_id != user.pk,
            "decide_hint": _decide_hint(revocation, user) if has_role(user, Role.APPROVER) else "",
            "can_cancel": prepared
            and (has_role(user, Role.STAFF) or has_role(user, Role.APPROVER)),
            "can_record": revocation.status == Status.ORDERED and has_role(user, Role.FINANCE),
            "cancel_form": CancelForm(),
            "repayment_form": RepaymentForm(initial={"received_on": today}),
        },
    )


@login_required
@require_POST
def revocation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_reader(request)
    _revocation(pk)
    _act(
        request,
        lambda: services.revocation_decide(revocation_id=pk, by=request.user),
        _("Revocation decided: the grant is revoked and the notice is being issued."),
    )
    return redirect("revocations:detail", pk=pk)


@login_required
@require_POST
def revocation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_reader(request)
    _revocation(pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        _act(
            request,
            lambda: services.revocation_cancel(
                revocation_id=pk, by=request.user, reason=form.cleaned_data["reason"]
            ),
            _("Revocation cancelled: the grant stands."),
        )
    return redirect("revocations:detail", pk=pk)


@login_required
@require_POST
def repayment_add(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_reader(request)
    _revocation(pk)
    form = RepaymentForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("revocations:detail", pk=pk)
    receipt = _act(
        request,
        lambda: services.repayment_record(
            revocation_id=pk,
            by=request.user,
            amount=form.cleaned_data["amount"],
            received_on=form.cleaned_data["received_on"],
        ),
        _("Repayment recorded."),
    )
    if receipt is not None and receipt.revocation.status == Status.SETTLED:
        messages.success(
            request, _("Principal and additional charge are repaid: the order is settled.")
        )
    return redirect("revocations:detail", pk=pk)
