"""Reads of the award: who sees which nomination, what a company may cite, the published list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import company_id_of_user
from applications.models import Application
from core.corrections import correction_open_of
from core.roles import is_staff_side
from outcomes.models import OutcomeReport
from outcomes.selectors import MeasureResult, productivity_rule, report_improvements
from screening.selectors import items_for_reviewer

from .exceptions import NotFound
from .models import AwardRound, Nomination, NominationCorrection, NominationDocument

# A subsidy counts as completed once its amount is confirmed (額の確定) or it has been paid.
COMPLETED_APPLICATION_STATUSES = (Application.Status.CONFIRMED, Application.Status.PAID)


def citable_applications(company_id: int) -> QuerySet[Application]:
    """The company's completed subsidies, which a nomination may cite as evidence."""
    return (
        Application.objects.filter(company_id=company_id, status__in=COMPLETED_APPLICATION_STATUSES)
        .select_related("round")
        .order_by("-round__fiscal_year", "id")
    )


def commended_companies(fiscal_year: int | None = None, search: str = "") -> QuerySet[Nomination]:
    """The published list: commended nominations with their company and round, newest year first;
    ``search`` narrows them to a company name, its kana or its 法人番号."""
    queryset = Nomination.objects.filter(status=Nomination.Status.COMMENDED).select_related(
        "company", "round"
    )
    if fiscal_year is not None:
        queryset = queryset.filter(round__fiscal_year=fiscal_year)
    for word in search.split():
        queryset = queryset.filter(
            Q(company__name__icontains=word)
            | Q(company__name_kana__icontains=word)
            | Q(company__corporate_number=word)
        )
    return queryset.order_by("-round__fiscal_year", "commended_on", "company__name", "id")


def commended_fiscal_years() -> list[int]:
    """The fiscal years with at least one commended company, newest first."""
    return list(
        Nomination.objects.filter(status=Nomination.Status.COMMENDED)
        .order_by("-round__fiscal_year")
        .values_list("round__fiscal_year", flat=True)
        .distinct()
    )


def nominations_of(user: Any) -> QuerySet[Nomination]:
    """Nominations made by the user's organisation or made for the user's company."""
    company_id = company_id_of_user(user)
    queryset = Nomination.objects.select_related("round", "company", "nominating_company")
    if company_id is None:
        return queryset.none()
    return queryset.filter(Q(nominating_company_id=company_id) | Q(company_id=company_id))


def nomination_list_for_user(user: Any) -> QuerySet[Nomination]:
    """Staff-side roles see every nomination; anyone else, those of :func:`nominations_of`."""
    if is_staff_side(user):
        return Nomination.objects.select_related("round", "company", "nominating_company")
    return nominations_of(user)


def nomination_get_for_user(user: Any, nomination_id: int) -> Nomination:
    """The nomination if the user may see it; otherwise not found, whether or not it exists."""
    nomination = nomination_list_for_user(user).filter(pk=nomination_id).first()
    if nomination is None:
        raise NotFound(_("There is no such nomination."))
    return nomination


def open_correction(nomination: Nomination) -> NominationCorrection | None:
    """The unanswered return for correction of the nomination, if any."""
    return correction_open_of(nomination)


def nominations_in_review(round_id: int) -> QuerySet[Nomination]:
    return Nomination.objects.filter(round_id=round_id, status=Nomination.Status.IN_REVIEW)


def award_rounds_open() -> QuerySet[AwardRound]:
    """Rounds taking nominations now (``AwardRound.is_open`` as a query)."""
    now = timezone.now()
    return AwardRound.objects.filter(nominations_open__lte=now, nominations_close__gt=now)


def nomination_document_get_for_user(user: Any, document_id: int) -> NominationDocument:
    """A document of a nomination the user may see, or that the user reviews for the committee
    (assigned and not conflicted, or its chair); otherwise not found, whether or not it exists."""
    reviewed = items_for_reviewer(user).filter(
        content_type=ContentType.objects.get_for_model(Nomination)
    )
    document = (
        NominationDocument.objects.select_related("nomination")
        .filter(pk=document_id)
        .filter(
            Q(nomination__in=nomination_list_for_user(user))
            | Q(nomination_id__in=reviewed.values("object_id"))
        )
        .first()
    )
    if document is None:
        raise NotFound(_("There is no such document."))
    return document


# --- what the committee reads ------------------------------------------------------------------

# An outcome report the company has sent (checked by staff or not yet): its figures are shown.
REPORTED = (OutcomeReport.Status.SUBMITTED, OutcomeReport.Status.ACCEPTED)


@dataclass(frozen=True)
class CitedSubsidy:
    """A completed subsidy a nomination cites: our records as they stood when the nomination was
    submitted (``evidence_snapshot``), and the outcome report the company owes on it now."""

    reference: str
    round: str
    trainees: int
    courses: int
    decided_amount: int | None
    confirmed_amount: int | None
    grant_decided_on: dt.date | None
    amount_confirmed_on: dt.date | None
    revoked: bool = False
    report: OutcomeReport | None = None
    improvements: list[MeasureResult] = field(default_factory=list)

    @property
    def reported(self) -> bool:
        return self.report is not None and self.report.status in REPORTED


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def nomination_cited_subsidies(nomination: Nomination) -> list[CitedSubsidy]:
    """The subsidies the nomination cites, as recorded at submission, each with its outcome
    report (figures against the baselines once the company has reported)."""
    evidence = nomination.evidence_snapshot or []
    ids = [entry["application_id"] for entry in evidence]
    reports = {
        report.application_id: report
        for report in OutcomeReport.objects.filter(application_id__in=ids)
    }
    revoked = set(
        Application.objects.filter(pk__in=ids, status=Application.Status.REVOKED).values_list(
            "pk", flat=True
        )
    )
    rule = productivity_rule()
    cited = []
    for entry in evidence:
        report = reports.get(entry["application_id"])
        reported = report is not None and report.status in REPORTED
        cited.append(
            CitedSubsidy(
                reference=entry["reference"],
                round=entry["round"],
                trainees=entry["trainees"],
                courses=entry["courses"],
                decided_amount=entry["decided_amount"],
                confirmed_amount=entry["confirmed_amount"],
                grant_decided_on=_day(entry.get("grant_decided_on")),
                amount_confirmed_on=_day(entry.get("amount_confirmed_on")),
                revoked=entry["application_id"] in revoked,
                report=report,
                improvements=report_improvements(report, rule) if reported else [],
            )
        )
    return cited


def nomination_for_review(nomination: Nomination) -> dict[str, Any]:
    """The nomination as a committee reviewer reads it: everything the nominator wrote, its
    documents, the subsidies it cites and their outcomes. For a reviewer the screening's access
    rules already let open the item (screening.subjects)."""
    nomination = Nomination.objects.select_related("round", "company", "nominating_company").get(
        pk=nomination.pk
    )
    return {
        "nomination": nomination,
        "documents": list(nomination.documents.all()),
        "cited": nomination_cited_subsidies(nomination),
        "productivity_rule": productivity_rule(),
    }
