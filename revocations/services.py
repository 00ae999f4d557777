"""Use cases of revoking a grant (交付決定取消) and collecting the repayment it orders (返還命令).

Programme staff prepare a revocation; an approver who did not prepare it decides it, which revokes
the application, issues the notice and tells the company; finance records what the company repays
until principal and 加算金 are covered. Each use case is one transaction that locks what it
changes, fires its transition (which writes the audit event) and writes its notifications."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import users_with_role
from applications.models import Application
from applications.selectors import grant_decision_in_force
from applications.services import budget_release, lock_application
from audit.services import event_record
from audit.transitions import transition_fire
from core.dates import JST, today_jst
from core.policy import refuse_unless
from core.roles import Role, has_role
from notifications.services import notify
from payments.selectors import payment_received
from web.templatetags.kofu import when

from . import policy
from .exceptions import (
    InvalidState,
    NotAllowed,
    RevocationNotFound,
    ValidationFailed,
)
from .interest import Receipt, repayment_position
from .labels import action_label
from .letters import revocation_letter_prepare
from .models import RepaymentReceipt, Revocation
from .selectors import decision_letter
from .signals import application_revoked

Status = Revocation.Status


# --- helpers -------------------------------------------------------------------------------


def _fire(
    record: Any,
    transition: Callable[..., Any],
    *,
    by: Any,
    role: Role,
    action: str,
    label: Any = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    **kwargs: Any,
) -> None:
    transition_fire(
        record,
        transition,
        by=by,
        role=role,
        action=action,
        label=label or action_label(action),
        reason=reason,
        data=data,
        **kwargs,
    )


def _locked(revocation_id: int) -> Revocation:
    revocation = (
        Revocation.objects.select_for_update(of=("self",))
        .select_related("application__round", "application__company")
        .filter(pk=revocation_id)
        .first()
    )
    if revocation is None:
        raise RevocationNotFound(_("There is no revocation %(id)s.") % {"id": revocation_id})
    return revocation


def _notify_company(
    application: Application, kind: str, *, legally_required: bool, **context: Any
) -> None:
    members = [member.user for member in application.company.members.select_related("user")]
    notify(
        recipients=members,
        kind=kind,
        context={
            "reference": application.reference,
            "company": application.company.name,
            **context,
        },
        link=application.get_absolute_url(),
        legally_required=legally_required,
    )


def _whole_yen(value: Any, *, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationFailed(_("Enter a positive amount in whole yen."), field=field)
    return value


@dataclass(frozen=True)
class RepaymentTerms:
    paid_amount: int
    interest_from: dt.date | None
    repayment_amount: int


def amount_in_force(application: Application) -> int:
    """The confirmed amount once confirmed (額の確定), else the granted amount."""
    if application.confirmed_amount is not None:
        return application.confirmed_amount
    return application.decided_amount or 0


def repayment_terms(application: Application, revoked_amount: int) -> RepaymentTerms:
    """What revoking ``revoked_amount`` makes the company repay: what it was paid beyond what it
    keeps. Before payment only the whole amount can be revoked, since revocation ends the
    application (reducing a running grant is a change decision, 変更承認, not a revocation)."""
    in_force = amount_in_force(application)
    if revoked_amount > in_force:
        raise ValidationFailed(
            _("At most the ¥%(amount)s in force can be revoked.") % {"amount": f"{in_force:,}"},
            field="revoked_amount",
        )
    paid = payment_received(application.pk)
    if paid is None and application.status == Application.Status.PAID:
        raise InvalidState(
            _(
                "No payment was recorded for %(reference)s, so the day the subsidy was "
                "received (from which the 加算金 runs) is unknown."
            )
            % {"reference": application.reference}
        )
    if paid is None and revoked_amount != in_force:
        raise ValidationFailed(
            _(
                "Before payment the grant can only be revoked in full (¥%(amount)s); reduce a "
                "running grant with a change decision instead."
            )
            % {"amount": f"{in_force:,}"},
            field="revoked_amount",
        )
    paid_amount = paid.amount if paid else 0
    return RepaymentTerms(
        paid_amount=paid_amount,
        interest_from=paid.on if paid else None,
        repayment_amount=max(0, paid_amount - (in_force - revoked_amount)),
    )


def _ensure_deadline(deadline: dt.date | None) -> dt.date:
    if deadline is None:
        raise ValidationFailed(
            _("The company was already paid: set the date by which it must repay."),
            field="repayment_deadline",
        )
    if deadline <= today_jst():
        raise ValidationFailed(
            _("The repayment deadline must be after today."), field="repayment_deadline"
        )
    return deadline


def _terms_of(revocation: Revocation) -> RepaymentTerms:
    return RepaymentTerms(
        paid_amount=revocation.paid_amount,
        interest_from=revocation.interest_from,
        repayment_amount=revocation.repayment_amount,
    )


# --- revocation ----------------------------------------------------------------------------


@transaction.atomic
def revocation_prepare(
    *,
    application_id: int,
    by: Any,
    reason: str,
    revoked_amount: int,
    repayment_deadline: dt.date | None = None,
) -> Revocation:
    """Programme staff prepare the revocation of a grant (and the repayment order, if paid)."""
    application = lock_application(application_id)
    refuse_unless(policy.prepare_allowed(by, application))
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for the revocation."), field="reason")
    original = grant_decision_in_force(application)
    if original is None:
        raise InvalidState(_("This application has no grant decision to revoke."))
    terms = repayment_terms(application, _whole_yen(revoked_amount, field="revoked_amount"))
    deadline = _ensure_deadline(repayment_deadline) if terms.repayment_amount else None
    revocation = Revocation.objects.create(
        application=application,
        original=original,
        reason=reason,
        legal_basis=application.round.legal_basis,
        revoked_amount=revoked_amount,
        paid_amount=terms.paid_amount,
        repayment_amount=terms.repayment_amount,
        repayment_deadline=deadline,
        interest_from=terms.interest_from,
        prepared_by=by,
    )
    event_record(
        revocation,
        "revocation_prepare",
        by=by,
        role=Role.STAFF,
        to_status=revocation.status,
        reason=reason,
        data={
            "application_id": application.pk,
            "decision_id": original.pk,
            "revoked_amount": revoked_amount,
            "repayment_amount": terms.repayment_amount,
            "repayment_deadline": deadline.isoformat() if deadline else None,
        },
    )
    return revocation


@transaction.atomic
def revocation_decide(*, revocation_id: int, by: Any) -> Revocation:
    """An approver who did not prepare it decides the revocation: the application is revoked, the
    notice (with the repayment order) is issued and the company is told."""
    if not has_role(by, Role.APPROVER):  # before any lock: the role alone refuses
        raise NotAllowed(_("Only an approver can decide a revocation."))
    application_id = (
        Revocation.objects.filter(pk=revocation_id).values_list("application_id", flat=True).first()
    )
    if application_id is None:
        raise RevocationNotFound(_("There is no revocation %(id)s.") % {"id": revocation_id})
    application = lock_application(application_id)  # the application first, as prepare does
    revocation = _locked(revocation_id)
    revocation.application = application
    refuse_unless(policy.revocation_actions(by, revocation)[policy.DECIDE])
    if repayment_terms(application, revocation.revoked_amount) != _terms_of(revocation):
        raise InvalidState(
            _(
                "The application's payment changed after this revocation was prepared; cancel "
                "it and prepare it again."
            )
        )
    if revocation.repayment_amount:
        _ensure_deadline(revocation.repayment_deadline)
    grant_letter = decision_letter(revocation.original)
    if grant_letter is None:
        raise InvalidState(_("The notice of the grant decision to revoke was not found."))
    _fire(
        revocation,
        revocation.decide,
        by=by,
        role=Role.APPROVER,
        action="revocation_decide",
        reason=revocation.reason,
        data={"application_id": application.pk, "repayment_amount": revocation.repayment_amount},
        by_user=by,
        interest_percent=Decimal(str(settings.KOFU_REPAYMENT_INTEREST_PERCENT)),
        days_in_year=settings.KOFU_REPAYMENT_DAYS_IN_YEAR,
    )
    _fire(
        application,
        application.revoke,
        by=by,
        role=Role.APPROVER,
        action="revoke",
        label=_("revoke grant decision"),
        reason=revocation.reason,
        data={
            "revocation_id": revocation.pk,
            "decision_id": revocation.original_id,
            "revoked_amount": revocation.revoked_amount,
            "repayment_amount": revocation.repayment_amount,
        },
    )
    budget_release(round_id=application.round_id, amount=revocation.revoked_amount)
    revocation.letter = revocation_letter_prepare(
        revocation,
        decision_number=grant_letter.number_text,
        decision_date=grant_letter.context["issued_on"],
        by=by,
    )
    revocation.save(update_fields=["letter"])
    _notify_decided(revocation)
    application_revoked.send(sender=Revocation, application_id=application.pk)
    return revocation


def _notify_decided(revocation: Revocation) -> None:
    application = revocation.application
    context = {
        "revoked_amount": revocation.revoked_amount,
        "repayment_amount": revocation.repayment_amount,
        "repayment_deadline": (
            revocation.repayment_deadline.isoformat() if revocation.repayment_deadline else ""
        ),
        "interest_percent": revocation.interest_percent,
    }
    _notify_company(application, "revocation_decided", legally_required=True, **context)
    if revocation.repayment_amount:
        notify(
            recipients=users_with_role(Role.FINANCE),
            kind="repayment_ordered",
            context={
                "reference": application.reference,
                "company": application.company.name,
                **context,
            },
            link=application.get_absolute_url(),
        )


@transaction.atomic
def revocation_cancel(*, revocation_id: int, by: Any, reason: str) -> Revocation:
    """Drop a prepared revocation before it is decided (staff or approver, with a reason)."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Say why the revocation is cancelled."), field="reason")
    revocation = _locked(revocation_id)
    _fire(
        revocation,
        revocation.cancel,
        by=by,
        role=Role.APPROVER if has_role(by, Role.APPROVER) else Role.STAFF,
        action="revocation_cancel",
        reason=reason,
        data={"application_id": revocation.application_id},
    )
    return revocation


# --- repayment -----------------------------------------------------------------------------


def _ensure_received_on(revocation: Revocation, received_on: dt.date) -> None:
    decided_on = timezone.localtime(revocation.decided_at, JST).date()
    earliest = max(decided_on, revocation.interest_from or decided_on)
    if received_on > today_jst():
        raise ValidationFailed(
            _("A repayment cannot be recorded before it is received."), field="received_on"
        )
    if received_on < earliest:
        raise ValidationFailed(
            _("A repayment of this order is received on or after %(date)s.")
            % {"date": when(earliest)},
            field="received_on",
        )


@transaction.atomic
def repayment_record(
    *, revocation_id: int, by: Any, amount: int, received_on: dt.date
) -> RepaymentReceipt:
    """Finance records money the company repaid; the order is settled once the receipts cover
    the principal and the 加算金 due on the last receipt's day."""
    revocation = _locked(revocation_id)
    refuse_unless(policy.revocation_actions(by, revocation)[policy.RECORD])
    amount = _whole_yen(amount, field="amount")
    _ensure_received_on(revocation, received_on)
    receipts = [Receipt(on=r.received_on, amount=r.amount) for r in revocation.receipts.all()]
    receipts.append(Receipt(on=received_on, amount=amount))
    last = max(r.on for r in receipts)
    position = repayment_position(
        principal=revocation.repayment_amount,
        received_on=revocation.interest_from,
        receipts=receipts,
        on=last,
        percent=revocation.interest_percent,
        days_in_year=revocation.interest_days_in_year,
    )
    if position.overpaid:
        raise ValidationFailed(
            _("That is ¥%(over)s more than is due; at most ¥%(most)s can be recorded.")
            % {"over": f"{position.overpaid:,}", "most": f"{amount - position.overpaid:,}"},
            field="amount",
        )
    receipt = RepaymentReceipt.objects.create(
        revocation=revocation, amount=amount, received_on=received_on, recorded_by=by
    )
    due = {
        "principal_outstanding": position.principal_outstanding,
        "interest": position.interest,
        "total": position.total,
        "interest_accrued": position.interest_accrued,
    }
    event_record(
        revocation,
        "repayment_record",
        by=by,
        role=Role.FINANCE,
        data={
            "receipt_id": receipt.pk,
            "amount": amount,
            "received_on": received_on.isoformat(),
            "due_on": last.isoformat(),
            **due,
        },
    )
    if position.total == 0:
        _fire(
            revocation,
            revocation.settle,
            by=by,
            role=Role.FINANCE,
            action="repayment_settle",
            data={"interest": position.interest_accrued, "due_on": last.isoformat()},
        )
    _notify_company(
        revocation.application,
        "repayment_received",
        legally_required=False,
        amount=amount,
        received_on=received_on.isoformat(),
        settled=position.total == 0,
        **due,
    )
    return receipt
