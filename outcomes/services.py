"""Use cases of the outcome report (効果報告). Each is one transaction: it locks the report,
checks who may act, fires one FSM transition, writes its audit event and tells the company."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.selectors import company_applicants
from applications.measures import measures_clean, round_measures
from applications.models import Application
from applications.services import lock_application
from audit.services import event_record
from audit.transitions import transition_firer
from core.policy import refuse_unless
from core.roles import Role
from notifications.services import notify

from . import policy
from .exceptions import InvalidState, ValidationFailed
from .labels import action_label
from .models import OutcomeReport, OutcomeValue
from .rule import meets_rule
from .selectors import productivity_rule, report_changes

Status = OutcomeReport.Status
_fire = transition_firer(action_label)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it has none (8/31 → 2/28)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _locked(report_id: int) -> OutcomeReport:
    return (
        OutcomeReport.objects.select_for_update(of=("self",))
        .select_related("application__round", "application__company")
        .get(pk=report_id)
    )


def notify_company(report: OutcomeReport, kind: str, **context: Any) -> None:
    """Tell every member of the reporting company, in their language, with a link to it."""
    application = report.application
    notify(
        recipients=company_applicants(application.company_id),
        kind=kind,
        context={
            "reference": application.reference,
            "company": application.company.name,
            "due_on": report.due_on.isoformat(),
            **context,
        },
        link=report.get_absolute_url(),
    )


@transaction.atomic
def outcome_report_open(*, application: Application, paid_on: dt.date) -> OutcomeReport | None:
    """Ask a paid company for its outcome report, due some months after payment; once per
    application (a repeated call returns the same report). A round without outcome measures
    asks for none: None."""
    application = lock_application(application.pk)
    existing = OutcomeReport.objects.filter(application=application).first()
    if existing is not None:
        return existing
    if not round_measures(application):
        return None
    if application.status != Application.Status.PAID:
        raise InvalidState(_("An outcome report is requested only once the subsidy is paid."))
    report = OutcomeReport.objects.create(
        application=application,
        paid_on=paid_on,
        due_on=add_months(paid_on, settings.KOFU_OUTCOME_REPORT_MONTHS),
    )
    event_record(
        report,
        "outcome_report_open",
        by=None,
        role=Role.SYSTEM,
        to_status=report.status,
        data={"application": application.pk, "due_on": report.due_on.isoformat()},
    )
    notify_company(report, "outcome_report_opened")
    return report


@transaction.atomic
def outcome_report_submit(
    *, report_id: int, values: dict[str, Any], comment: str = "", by: Any
) -> OutcomeReport:
    """Report every measure of the round (by code); each is kept beside its baseline."""
    report = _locked(report_id)
    refuse_unless(policy.outcome_report_actions(by, report)[policy.SUBMIT])
    application = report.application
    cleaned = measures_clean(round_measures(application), values, field="values", complete=True)
    baselines = dict(application.baselines.values_list("measure_id", "value"))
    report.values.all().delete()
    OutcomeValue.objects.bulk_create(
        OutcomeValue(
            report=report, measure=measure, value=value, baseline=baselines.get(measure.pk)
        )
        for measure, value in cleaned.items()
    )
    _fire(
        report,
        report.submit,
        by=by,
        role=Role.APPLICANT,
        action="outcome_report_submit",
        reason=comment,
        data={
            "application": application.pk,
            "values": {measure.code: str(value) for measure, value in cleaned.items()},
        },
        by_user=by,
        comment=comment,
    )
    return report


@transaction.atomic
def outcome_report_accept(*, report_id: int, by: Any) -> OutcomeReport:
    """Staff accept the report; the audit event records whether it meets today's rule."""
    report = _locked(report_id)
    rule = productivity_rule()
    _fire(
        report,
        report.accept,
        by=by,
        role=Role.STAFF,
        action="outcome_report_accept",
        data={
            "application": report.application_id,
            "meets_productivity_rule": meets_rule(rule, report_changes(report)),
            "rule": {
                "min_improved_measures": rule.min_improved_measures,
                "min_improvement_percent": str(rule.min_improvement_percent),
            },
        },
        by_user=by,
    )
    notify_company(report, "outcome_report_accepted")
    return report


@transaction.atomic
def outcome_report_return(*, report_id: int, reason: str, by: Any) -> OutcomeReport:
    """Staff return the report with what to correct; the company submits it again."""
    if not reason.strip():
        raise ValidationFailed(
            _("Say what the company must correct in the report."), field="reason"
        )
    report = _locked(report_id)
    _fire(
        report,
        report.return_for_correction,
        by=by,
        role=Role.STAFF,
        action="outcome_report_return",
        reason=reason,
        data={"application": report.application_id},
        by_user=by,
        return_reason=reason,
    )
    notify_company(report, "outcome_report_returned", reason=reason)
    return report
