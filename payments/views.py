"""The finance pages: payables awaiting a batch, batches (prepare, release, cancel, the bank
file, the bank's results) and their Excel exports. Finance users act; auditors read; anyone
else gets 403. Every change is one service call whose refusal is shown as a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.dates import add_business_days, today_jst
from core.errors import KofuError
from core.roles import Role, has_role

from . import exports, policy, services
from .models import BatchItem, PaymentBatch
from .selectors import batch_get, batch_items, batch_list, payables_awaiting_batch

PAGE_SIZE = 50


def _ensure_reader(request: HttpRequest) -> None:
    if not (has_role(request.user, Role.FINANCE) or has_role(request.user, Role.AUDITOR)):
        raise PermissionDenied(_("Only finance staff and auditors can see the finance pages."))


def _ensure_finance(request: HttpRequest) -> None:
    if not has_role(request.user, Role.FINANCE):
        raise PermissionDenied(_("Only finance staff can change payments."))


def _batch(batch_id: int) -> PaymentBatch:
    try:
        return batch_get(batch_id)
    except PaymentBatch.DoesNotExist as error:
        raise Http404(_("There is no such payment batch.")) from error


def _act(request: HttpRequest, action: Callable[[], Any]) -> Any | None:
    """Run one service; show its refusal as a message and return None."""
    try:
        return action()
    except KofuError as error:
        messages.error(request, str(error.message))
        return None


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def bank_file_response(batch: PaymentBatch) -> HttpResponse:
    """The stored bank file as a download, byte for byte, with its SHA-256 in a header."""
    response = _download(
        exports.bank_file_bytes(batch), "application/octet-stream", exports.bank_file_name(batch)
    )
    response["X-Content-SHA256"] = batch.file_sha256
    return response


# --- payables ------------------------------------------------------------------------------


class PayableIdsField(forms.Field):
    """The checked payables; an empty choice is the service's to refuse."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        try:
            return [int(item) for item in value or []]
        except (TypeError, ValueError) as error:
            raise ValidationError(_("Choose payables from the list.")) from error


class BatchPrepareForm(forms.Form):
    payable = PayableIdsField(required=False)
    transfer_date = forms.DateField(
        label=gettext_lazy("Transfer date"), widget=forms.DateInput(attrs={"type": "date"})
    )


def _form_errors(request: HttpRequest, form: forms.Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _prepare(request: HttpRequest, form: BatchPrepareForm) -> PaymentBatch | None:
    _ensure_finance(request)
    if not form.is_valid():
        _form_errors(request, form)
        return None
    return _act(
        request,
        lambda: services.batch_prepare(
            by=request.user,
            transfer_date=form.cleaned_data["transfer_date"],
            payable_ids=form.cleaned_data["payable"],
        ),
    )


@login_required
def payables(request: HttpRequest) -> HttpResponse:
    """Payables awaiting a batch; finance users tick some and prepare a batch for a date."""
    _ensure_reader(request)
    form = BatchPrepareForm(
        request.POST or None, initial={"transfer_date": add_business_days(today_jst(), 1)}
    )
    if request.method == "POST":
        batch = _prepare(request, form)
        if batch is not None:
            messages.success(
                request,
                _("Batch %(ref)s prepared: another finance user must now release it.")
                % {"ref": batch.reference},
            )
            return redirect("finance:batch", pk=batch.pk)
    selected = set(map(str, request.POST.getlist("payable")))
    rows = [exports.payable_row(payable) for payable in payables_awaiting_batch()]
    return render(
        request,
        "payments/payables.html",
        {
            "rows": rows,
            "selected": selected,
            "form": form,
            "can_act": has_role(request.user, Role.FINANCE),
            "total": sum(row["amount"] for row in rows),
        },
    )


@login_required
def payables_xlsx(request: HttpRequest) -> HttpResponse:
    _ensure_reader(request)
    return _download(
        exports.payables_xlsx(payables_awaiting_batch()),
        exports.XLSX_CONTENT_TYPE,
        f"payables-{today_jst():%Y-%m-%d}.xlsx",
    )


# --- batches -------------------------------------------------------------------------------


@login_required
def batches(request: HttpRequest) -> HttpResponse:
    _ensure_reader(request)
    newest_first = batch_list().order_by("-transfer_date", "-pk")  # annotate drops Meta.ordering
    page = Paginator(newest_first, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "payments/batches.html", {"page": page})


def _release_hint(batch: PaymentBatch, user: Any) -> str:
    """Why this user cannot release the batch (the policy's reason), or who else must."""
    if batch.status != PaymentBatch.Status.PREPARED:
        return ""
    release = policy.release_allowed(user, batch)
    if not release:
        return str(release.reason)
    if batch.awaiting_second_releaser:
        return _(
            "%(user)s released this batch; above ¥%(limit)s a second finance user must also "
            "release it."
        ) % {"user": batch.released_by.get_username(), "limit": _limit()}
    if batch.needs_second_releaser:
        return _(
            "Above ¥%(limit)s a second finance user must also release this batch after you."
        ) % {"limit": _limit()}
    return ""


def _limit() -> str:
    return f"{settings.KOFU_SECOND_RELEASER_ABOVE:,}"


def _detail_page(
    request: HttpRequest, batch: PaymentBatch, *, reconcile_form: Any = None, status: int = 200
) -> HttpResponse:
    finance = has_role(request.user, Role.FINANCE)
    actions = policy.batch_actions(request.user, batch)
    return render(
        request,
        "payments/batch_detail.html",
        {
            "batch": batch,
            "rows": [exports.item_row(item) for item in batch_items(batch)],
            "can_release": actions[policy.RELEASE],
            "can_cancel": actions[policy.CANCEL],
            "can_reconcile": actions[policy.RECONCILE],
            "release_hint": _release_hint(batch, request.user) if finance else "",
            "has_file": bool(batch.file_sha256),
            "reconcile_form": reconcile_form or ReconcileForm(),
        },
        status=status,
    )


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_reader(request)
    return _detail_page(request, _batch(pk))


def _released(batch: PaymentBatch) -> str:
    if batch.awaiting_second_releaser:
        return _(
            "You released batch %(ref)s as the first releaser: a second finance user must also "
            "release it."
        ) % {"ref": batch.reference}
    return _("Batch %(ref)s released: the bank file is being built.") % {"ref": batch.reference}


@login_required
@require_POST
def batch_release(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_finance(request)
    batch = _act(request, lambda: services.batch_release(batch_id=pk, by=request.user))
    if batch is not None:
        messages.success(request, _released(batch))
    return redirect("finance:batch", pk=pk)


class BatchCancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=1000)


@login_required
@require_POST
def batch_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_finance(request)
    form = BatchCancelForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    elif _act(
        request,
        lambda: services.batch_cancel(
            batch_id=pk, by=request.user, reason=form.cleaned_data["reason"]
        ),
    ):
        messages.success(
            request, _("Batch cancelled: its payables are back in the list of payables.")
        )
    return redirect("finance:batch", pk=pk)


@login_required
def batch_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The Zengin file built at release, exactly as stored."""
    _ensure_reader(request)
    batch = _batch(pk)
    response = _act(request, lambda: bank_file_response(batch))
    return response if response is not None else redirect("finance:batch", pk=pk)


class ReconcileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Bank result file (CSV)"))


def _summary_messages(request: HttpRequest, batch: PaymentBatch, summary: dict[str, Any]) -> None:
    messages.success(
        request,
        _(
            "Bank results imported: %(paid)s paid, %(failed)s failed, %(unchanged)s already "
            "recorded."
        )
        % summary,
    )
    failed = batch_items(batch).filter(
        result=BatchItem.Result.FAILED,
        payable__application_id__in=summary["failed_application_ids"],
    )
    for item in failed:
        messages.warning(
            request,
            _("%(ref)s failed: %(reason)s. It is back in the list of payables.")
            % {"ref": item.payable.application.reference, "reason": item.reason},
        )


@login_required
@require_POST
def batch_reconcile(request: HttpRequest, pk: int) -> HttpResponse:
    """Import the bank's result file; a refusal comes back beside the file field, with the
    batch unchanged."""
    _ensure_finance(request)
    form = ReconcileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            summary = services.reconciliation_import(
                batch_id=pk, by=request.user, data=form.cleaned_data["file"].read()
            )
        except KofuError as error:
            form.add_error("file", ValidationError(str(error.message), code=error.code))
        else:
            _summary_messages(request, _batch(pk), summary)
            return redirect("finance:batch", pk=pk)
    return _detail_page(request, _batch(pk), reconcile_form=form, status=400)


@login_required
def batch_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_reader(request)
    batch = _batch(pk)
    return _download(
        exports.batch_items_xlsx(batch, batch_items(batch)),
        exports.XLSX_CONTENT_TYPE,
        f"payment-batch-{batch.transfer_date:%Y-%m-%d}-{batch.pk}.xlsx",
    )
