"""Reads of outcome reports: for the portal, the staff check, reminders and the KPI."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, DecimalField, F, Min, QuerySet, Subquery, Value, When
from django.db.models.functions import Cast, Round
from django.http import Http404

from accounts.selectors import company_id_of_user
from applications.models import Application, OutcomeMeasure
from core.dates import JST, fiscal_year_of
from core.roles import is_staff_side

from .models import OutcomeReport, OutcomeValue
from .rule import HIGHER, Change, ProductivityRule, gain, improvement_percent, is_improved

Status = OutcomeReport.Status


def productivity_rule() -> ProductivityRule:
    """The rule of the setting ``KOFU_PRODUCTIVITY_RULE``, with a translated ``describe()``."""
    return ProductivityRule.from_setting(settings.KOFU_PRODUCTIVITY_RULE)


def _reports() -> QuerySet[OutcomeReport]:
    return OutcomeReport.objects.select_related(
        "application__round", "application__company"
    ).exclude(application__status=Application.Status.REVOKED)


def outcome_reports_of(application: Application) -> QuerySet[OutcomeReport]:
    """The application's outcome reports; none once its grant is revoked (nothing is owed)."""
    return _reports().filter(application=application).prefetch_related("values__measure")


def outcome_report_of_application(application_id: int) -> OutcomeReport | None:
    """The application's outcome report, if it was asked for one."""
    return _reports().filter(application_id=application_id).order_by("-pk").first()


def outcome_report_list_for_user(user: Any) -> QuerySet[OutcomeReport]:
    """Staff-side roles see every report; a company member only their company's."""
    if is_staff_side(user):
        return _reports()
    company_id = company_id_of_user(user)
    if company_id is None:
        return OutcomeReport.objects.none()
    return _reports().filter(application__company_id=company_id)


def outcome_report_get_for_user(user: Any, report_id: int) -> OutcomeReport:
    """The report if the user may see it; otherwise 404, whether or not it exists."""
    report = outcome_report_list_for_user(user).filter(pk=report_id).first()
    if report is None:
        raise Http404("No such outcome report.")
    return report


def outcome_reports_due(*, until: dt.date) -> QuerySet[OutcomeReport]:
    """Reports still owed (due, or returned for correction) whose due date is ``until`` or
    earlier; a revoked grant owes none."""
    return _reports().filter(status__in=OutcomeReport.OPEN, due_on__lte=until)


def report_changes(report: OutcomeReport) -> list[Change]:
    return [
        Change(better=value.measure.better, baseline=value.baseline, value=value.value)
        for value in report.values.select_related("measure")
    ]


@dataclass(frozen=True)
class MeasureResult:
    """One row of a report as staff read it: before, after, and whether it counts."""

    measure: OutcomeMeasure
    baseline: Decimal | None
    value: Decimal
    gain: Decimal | None
    percent: Decimal | None
    improved: bool


def report_improvements(
    report: OutcomeReport, rule: ProductivityRule | None = None
) -> list[MeasureResult]:
    """Each reported measure against its baseline under the productivity rule."""
    rule = rule or productivity_rule()
    rows = []
    for value in report.values.select_related("measure"):
        measure = value.measure
        change = Change(better=measure.better, baseline=value.baseline, value=value.value)
        moved = gain(change)
        rows.append(
            MeasureResult(
                measure=measure,
                baseline=None if value.baseline is None else measure.quantize(value.baseline),
                value=measure.quantize(value.value),
                gain=None if moved is None else measure.quantize(moved),
                percent=improvement_percent(change),
                improved=is_improved(rule, change),
            )
        )
    return rows


def _cents(field: str) -> Cast:
    # Whole hundredths: exact integer arithmetic on SQLite too, which keeps decimals as floats.
    return Cast(Round(F(field) * 100), DecimalField(max_digits=40, decimal_places=0))


def reports_meeting_rule(rule: ProductivityRule | None = None) -> QuerySet[OutcomeReport]:
    """Accepted reports (of grants not revoked) with at least the rule's number of improved
    measures: ``rule.meets_rule`` computed in the database, so the KPI reads no value rows."""
    rule = rule or productivity_rule()
    numerator, denominator = rule.min_improvement_percent.as_integer_ratio()
    moved = Case(
        When(measure__better=HIGHER, then=F("value_cents") - F("baseline_cents")),
        default=F("baseline_cents") - F("value_cents"),
    )
    improved = (
        OutcomeValue.objects.filter(report__status=Status.ACCEPTED, baseline__isnull=False)
        .alias(baseline_cents=_cents("baseline"), value_cents=_cents("value"))
        .alias(
            moved=moved,
            # moved / baseline >= numerator / (100 × denominator), without dividing
            scaled=F("moved") * Value(100 * denominator, output_field=DecimalField()),
            threshold=F("baseline_cents") * Value(numerator, output_field=DecimalField()),
        )
        .filter(moved__gt=0, scaled__gte=F("threshold"))
        .values("report_id")
        .annotate(improved=Count("pk"))
        .filter(improved__gte=rule.min_improved_measures)
        .values("report_id")
    )
    return OutcomeReport.objects.filter(pk__in=Subquery(improved)).exclude(
        application__status=Application.Status.REVOKED
    )


def gain_first_fiscal_years(rule: ProductivityRule | None = None) -> dict[int, int]:
    """company id → the fiscal year (April–March) in which the company's first accepted outcome
    report meeting the productivity rule was accepted. Companies without one are absent."""
    firsts = (
        reports_meeting_rule(rule)
        .values("application__company_id")
        .annotate(first=Min("accepted_at"))
        .order_by()
    )
    return {
        row["application__company_id"]: fiscal_year_of(row["first"].astimezone(JST).date())
        for row in firsts
    }
