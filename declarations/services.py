"""Use cases of the promotion declaration (リスキリング推進宣言). Each is one transaction: it
locks the row, checks who may act, fires one FSM transition (or records one audit event),
and schedules notifications after commit. Nothing else changes a declaration.

Field rules, checked on create, update and (again) on submission: goals, measures and the person
responsible are required; the period ends after it starts and lasts at most
``KOFU_DECLARATION_MAX_PERIOD_YEARS`` years (default 5); a declaration whose period has already
ended cannot be submitted. A company holds at most one submitted, returned or registered
declaration: a new one may be drafted at any time but submitted only when the other has ended.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Company
from accounts.selectors import company_applicants, company_id_of_user
from audit.services import event_record
from audit.transitions import transition_firer
from core.corrections import (
    correction_answer,
    correction_deadline,
    correction_items_clean,
    correction_lapse,
    correction_request,
)
from core.dates import end_of_day_jst, fiscal_year_of, today_jst
from core.policy import refuse_unless
from core.roles import Role, has_role
from letters.services import number_next
from notifications.services import notify
from web.templatetags.kofu import when

from . import policy
from .exceptions import DeclarationActive, InvalidState, NotAllowed, ValidationFailed
from .labels import action_label
from .letters import correction_letter_prepare, registration_certificate_prepare
from .models import Declaration, DeclarationCorrection
from .selectors import active_declaration_of_company

Status = Declaration.Status

REGISTRATION_SEQUENCE = "declaration-registration"
EDITABLE_FIELDS = (
    "goals",
    "measures",
    "responsible_name",
    "responsible_title",
    "period_start",
    "period_end",
    "publish_consent",
)
# Notices with a deadline or an end the company must learn of by email whatever its preferences.
LEGALLY_REQUIRED = {"declaration_returned", "declaration_lapsed"}


# --- helpers -------------------------------------------------------------------------------


def _locked(declaration_id: int) -> Declaration:
    return (
        Declaration.objects.select_for_update()
        .select_related("company", "created_by")
        .get(pk=declaration_id)
    )


_fire = transition_firer(action_label)


def notify_company(declaration: Declaration, kind: str, **context: Any) -> None:
    """Tell every member of the declaring company, in their language, with a link to it."""
    notify(
        recipients=company_applicants(declaration.company_id),
        kind=kind,
        context={
            "reference": declaration.reference,
            "company": declaration.company.name,
            **context,
        },
        link=declaration.get_absolute_url(),
        legally_required=kind in LEGALLY_REQUIRED,
    )


def _ensure_member(declaration: Declaration, by: Any) -> None:
    if not policy.is_member(by, declaration):
        raise NotAllowed(_("Only a member of the declaring company can change this declaration."))


def max_period_years() -> int:
    return settings.KOFU_DECLARATION_MAX_PERIOD_YEARS


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def declaration_fields_clean(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields with text stripped; refuses the first invalid one, naming it."""
    cleaned = {
        name: value.strip() if isinstance(value, str) else value for name, value in fields.items()
    }
    required = {
        "goals": _("Describe the reskilling goals of the declaration."),
        "measures": _("Describe the concrete measures the company will take."),
        "responsible_name": _("Name the person responsible for reskilling."),
        "period_start": _("Enter the first day of the declared period."),
        "period_end": _("Enter the last day of the declared period."),
    }
    for name, message in required.items():
        if name in cleaned and not cleaned[name]:
            raise ValidationFailed(message, field=name)
    start, end = cleaned.get("period_start"), cleaned.get("period_end")
    if start and end:
        if end <= start:
            raise ValidationFailed(
                _("The declared period must end after it starts."), field="period_end"
            )
        years = max_period_years()
        if end > _add_years(start, years):
            raise ValidationFailed(
                _("The declared period may last at most %(years)s years.") % {"years": years},
                field="period_end",
            )
    return cleaned


def _ensure_submittable(declaration: Declaration) -> None:
    declaration_fields_clean({name: getattr(declaration, name) for name in EDITABLE_FIELDS})
    if declaration.period_end < today_jst():
        raise ValidationFailed(
            _("The declared period has already ended: change it before submitting."),
            field="period_end",
        )


def _ensure_no_other_active(declaration: Declaration) -> None:
    # The company row lock queues concurrent submissions of one company's drafts.
    Company.objects.select_for_update().filter(pk=declaration.company_id).first()
    other = active_declaration_of_company(declaration.company_id, exclude_id=declaration.pk)
    if other is not None:
        raise DeclarationActive(
            _(
                "Your company already has a declaration that is %(status)s (%(reference)s). "
                "Withdraw it, or wait until its period ends, before submitting another."
            )
            % {"status": other.get_status_display(), "reference": other.reference}
        )


# --- drafting ------------------------------------------------------------------------------


@transaction.atomic
def declaration_create(
    *,
    by: Any,
    goals: str,
    measures: str,
    responsible_name: str,
    period_start: dt.date,
    period_end: dt.date,
    responsible_title: str = "",
    publish_consent: bool = False,
) -> Declaration:
    """Start a draft declaration for the user's own company."""
    company_id = company_id_of_user(by)
    if not has_role(by, Role.APPLICANT) or company_id is None:
        raise NotAllowed(_("Only a user registered for a company can make a declaration."))
    fields = declaration_fields_clean(
        {
            "goals": goals,
            "measures": measures,
            "responsible_name": responsible_name,
            "responsible_title": responsible_title,
            "period_start": period_start,
            "period_end": period_end,
        }
    )
    declaration = Declaration.objects.create(
        company_id=company_id,
        created_by=by,
        publish_consent=publish_consent,
        consent_changed_at=timezone.now() if publish_consent else None,
        **fields,
    )
    event_record(
        declaration,
        "create",
        by=by,
        role=Role.APPLICANT,
        to_status=declaration.status,
        data={"publish_consent": publish_consent},
    )
    return declaration


@transaction.atomic
def declaration_update(*, declaration_id: int, by: Any, **fields: Any) -> Declaration:
    """Change a draft or a declaration returned for correction (only the fields given)."""
    declaration = _locked(declaration_id)
    refuse_unless(policy.declaration_actions(by, declaration)[policy.EDIT])
    unknown = sorted(set(fields) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationFailed(
            _("“%(field)s” cannot be changed.") % {"field": unknown[0]}, field=unknown[0]
        )
    current = {name: getattr(declaration, name) for name in ("period_start", "period_end")}
    cleaned = declaration_fields_clean({**current, **fields})
    changed = [name for name in fields if getattr(declaration, name) != cleaned[name]]
    for name in changed:
        setattr(declaration, name, cleaned[name])
    if "publish_consent" in changed:
        declaration.consent_changed_at = timezone.now()
    if changed:
        declaration.save(update_fields=[*changed, "consent_changed_at", "updated_at"])
        event_record(
            declaration, "update", by=by, role=Role.APPLICANT, data={"fields": sorted(changed)}
        )
    return declaration


@transaction.atomic
def declaration_consent_set(*, declaration_id: int, by: Any, publish: bool) -> Declaration:
    """Give or withdraw consent to appear on the public list, at any time before it ends."""
    declaration = _locked(declaration_id)
    refuse_unless(policy.declaration_actions(by, declaration)[policy.PUBLISH])
    if declaration.publish_consent == publish:
        return declaration
    declaration.publish_consent = publish
    declaration.consent_changed_at = timezone.now()
    declaration.save(update_fields=["publish_consent", "consent_changed_at", "updated_at"])
    event_record(
        declaration,
        "consent_set",
        by=by,
        role=Role.APPLICANT,
        data={"publish_consent": publish},
    )
    return declaration


# --- submission and check ------------------------------------------------------------------


@transaction.atomic
def declaration_submit(*, declaration_id: int, by: Any) -> Declaration:
    """Submit a draft for registration; refuse while the company has another active one."""
    declaration = _locked(declaration_id)
    _ensure_member(declaration, by)
    if declaration.status != Status.DRAFT:
        raise InvalidState(_("Only a draft declaration can be submitted."))
    _ensure_submittable(declaration)
    _ensure_no_other_active(declaration)
    _fire(declaration, declaration.submit, by=by, role=Role.APPLICANT, action="submit")
    notify_company(declaration, "declaration_submitted")
    return declaration


def correction_days() -> int:
    return settings.KOFU_DECLARATION_CORRECTION_DAYS


@transaction.atomic
def declaration_return_for_correction(
    *, declaration_id: int, by: Any, items: list[str], message: str = ""
) -> DeclarationCorrection:
    """Return for correction (差戻し) with the items to fix and a business-day deadline."""
    items = correction_items_clean(items)
    declaration = _locked(declaration_id)
    deadline = correction_deadline(correction_days())
    correction = correction_request(
        declaration, fire=_fire, by=by, items=items, message=message, deadline=deadline
    )
    correction_letter_prepare(correction, by=by)
    notify_company(
        declaration,
        "declaration_returned",
        items=items,
        deadline=deadline.isoformat(),
        message=message,
    )
    return correction


@transaction.atomic
def declaration_resubmit(*, declaration_id: int, by: Any, answer: str = "") -> Declaration:
    """Answer a return for correction and submit again."""
    declaration = _locked(declaration_id)
    _ensure_member(declaration, by)
    if declaration.status != Status.RETURNED:
        raise InvalidState(_("Only a declaration returned for correction can be resubmitted."))
    _ensure_submittable(declaration)
    _fire(
        declaration,
        declaration.resubmit,
        by=by,
        role=Role.APPLICANT,
        action="resubmit",
        reason=answer,
    )
    correction_answer(declaration, answer)
    notify_company(declaration, "declaration_submitted")
    return declaration


@transaction.atomic
def declaration_lapse(*, declaration_id: int) -> Declaration:
    """The correction deadline passed unanswered: the system ends the declaration (the shared
    rule ``correction_lapse``: refused before the deadline, a no-op once answered or lapsed)."""
    declaration = _locked(declaration_id)
    correction_lapse(
        declaration,
        fire=_fire,
        notify=lambda: notify_company(declaration, "declaration_lapsed"),
    )
    return declaration


def registration_number_next(fiscal_year: int) -> str:
    """The next registration number of the fiscal year, e.g. "2026-0001" (gapless)."""
    return f"{fiscal_year}-{number_next(REGISTRATION_SEQUENCE, fiscal_year):04d}"


@transaction.atomic
def declaration_register(*, declaration_id: int, by: Any) -> Declaration:
    """Register a checked declaration: its number, its certificate (登録証), a notice."""
    declaration = _locked(declaration_id)
    fiscal_year = fiscal_year_of(today_jst())
    # A refused registration rolls back with this transaction and gives its number back.
    number = registration_number_next(fiscal_year)
    _fire(
        declaration,
        declaration.register,
        by=by,
        role=Role.STAFF,
        action="register",
        data={"registration_number": number, "fiscal_year": fiscal_year},
        number=number,
        fiscal_year=fiscal_year,
        by_user=by,
    )
    registration_certificate_prepare(declaration, by=by)
    notify_company(
        declaration,
        "declaration_registered",
        registration_number=number,
        period_start=declaration.period_start.isoformat(),
        period_end=declaration.period_end.isoformat(),
    )
    return declaration


@transaction.atomic
def declaration_withdraw(*, declaration_id: int, by: Any, reason: str = "") -> Declaration:
    """The company withdraws its declaration; a registered one leaves the public list."""
    declaration = _locked(declaration_id)
    _fire(
        declaration,
        declaration.withdraw,
        by=by,
        role=Role.APPLICANT,
        action="withdraw",
        reason=reason,
    )
    return declaration


@transaction.atomic
def declaration_expire(*, declaration_id: int) -> Declaration:
    """The declared period ended: the system ends the registration."""
    declaration = _locked(declaration_id)
    if timezone.now() < end_of_day_jst(declaration.period_end):
        raise InvalidState(
            _("The declared period runs until %(end)s; it has not ended yet.")
            % {"end": when(declaration.period_end)}
        )
    _fire(
        declaration,
        declaration.expire,
        by=None,
        role=Role.SYSTEM,
        action="expire",
        reason="declared period ended",
        data={"period_end": declaration.period_end.isoformat()},
    )
    notify_company(
        declaration, "declaration_expired", period_end=declaration.period_end.isoformat()
    )
    return declaration
