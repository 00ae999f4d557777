"""What a record waits for from the company: the next action, where to take it and by when.

One place decides it for the home page's "What needs you now" (対応が必要なこと); the rules
themselves (deadlines, open corrections, what a claim needs) are read from the selectors and
services, never restated here. Each function takes one record and gives its ``NextStep`` or
``None`` when the record waits for nobody at the company.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import company_id_of_user
from applications import services as application_services
from applications.models import Application
from applications.selectors import application_list_for_user
from awards.models import Nomination
from awards.selectors import nominations_of
from awards.selectors import open_correction as nomination_correction
from declarations.models import Declaration
from declarations.selectors import declarations_of_company
from declarations.selectors import open_correction as declaration_correction
from outcomes.models import OutcomeReport
from outcomes.selectors import outcome_report_list_for_user
from payments.selectors import payable_for_application

# what the company does next, by the kind of step
ACTIONS = {
    "submit_application": _("Submit the application"),
    "correct_application": _("Correct and resubmit the application"),
    "report_results": _("Report the results"),
    "claim_payment": _("Claim the payment"),
    "report_outcome": _("Report the outcome"),
    "submit_declaration": _("Submit the declaration"),
    "correct_declaration": _("Correct and resubmit the declaration"),
    "consent_nomination": _("Consent to the nomination"),
    "submit_nomination": _("Submit the nomination"),
    "correct_nomination": _("Correct and resubmit the nomination"),
}

KINDS = {
    "application": _("Subsidy application"),
    "declaration": _("Promotion declaration"),
    "nomination": _("Award nomination"),
    "outcome": _("Outcome report"),
}


@dataclass(frozen=True)
class NextStep:
    """One thing the company has to do: on which record, what, where and by when."""

    kind: str  # application | declaration | nomination | outcome
    reference: str
    title: str  # the round's name
    status: str  # the record's status code (for the chip's colour)
    status_label: str
    code: str  # a key of ACTIONS
    url: str
    deadline: dt.date | dt.datetime | None = None

    @property
    def action(self) -> str:
        return str(ACTIONS[self.code])

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    @property
    def overdue(self) -> bool:
        if self.deadline is None:
            return False
        if isinstance(self.deadline, dt.datetime):
            return self.deadline < timezone.now()
        return self.deadline < timezone.localdate()


def _sort_key(step: NextStep) -> tuple[int, dt.datetime]:
    """Soonest deadline first; steps without one last."""
    deadline = step.deadline
    if deadline is None:
        return (1, dt.datetime.max.replace(tzinfo=dt.UTC))
    if not isinstance(deadline, dt.datetime):
        deadline = timezone.make_aware(
            dt.datetime.combine(deadline, dt.time.max), timezone.get_current_timezone()
        )
    return (0, deadline)


def application_step(
    application: Application, *, now: dt.datetime | None = None
) -> NextStep | None:
    now = now or timezone.now()
    round_ = application.round
    Status = Application.Status

    def step(code: str, deadline: Any = None) -> NextStep:
        return NextStep(
            kind="application",
            reference=application.reference,
            title=round_.name,
            status=application.status,
            status_label=application.get_status_display(),
            code=code,
            url=reverse("portal:detail", args=[application.pk]),
            deadline=deadline,
        )

    if application.status == Status.DRAFT:
        # a draft of a closed round can no longer be submitted: nothing to do
        return step("submit_application", round_.closes_at) if round_.is_open(now) else None
    if application.status == Status.RETURNED:
        correction = application_services.open_correction(application)
        return step("correct_application", correction.deadline if correction else None)
    if application.status == Status.GRANTED:
        return step("report_results", round_.results_report_deadline)
    if application.status == Status.CONFIRMED and payable_for_application(application.pk) is None:
        return step("claim_payment")
    return None


def outcome_step(report: OutcomeReport) -> NextStep | None:
    if report.status not in OutcomeReport.OPEN:
        return None
    return NextStep(
        kind="outcome",
        reference=report.application.reference,
        title=report.application.round.name,
        status=report.status,
        status_label=report.get_status_display(),
        code="report_outcome",
        url=reverse("outcomes:detail", args=[report.pk]),
        deadline=report.due_on,
    )


def declaration_step(declaration: Declaration) -> NextStep | None:
    Status = Declaration.Status

    def step(code: str, deadline: Any = None) -> NextStep:
        return NextStep(
            kind="declaration",
            reference=declaration.reference,
            title="",
            status=declaration.status,
            status_label=declaration.get_status_display(),
            code=code,
            url=reverse("portal:declaration", args=[declaration.pk]),
            deadline=deadline,
        )

    if declaration.status == Status.DRAFT:
        return step("submit_declaration")
    if declaration.status == Status.RETURNED:
        correction = declaration_correction(declaration)
        return step("correct_declaration", correction.deadline if correction else None)
    return None


def nomination_step(
    nomination: Nomination, company_id: int | None, *, now: dt.datetime | None = None
) -> NextStep | None:
    """The nominator submits and answers corrections; the nominee (when someone else
    nominated it) first consents."""
    now = now or timezone.now()
    Status = Nomination.Status
    nominator = company_id == nomination.nominating_company_id
    nominee = company_id == nomination.company_id

    def step(code: str, deadline: Any = None) -> NextStep:
        return NextStep(
            kind="nomination",
            reference=nomination.reference,
            title=nomination.round.name,
            status=nomination.status,
            status_label=nomination.get_status_display(),
            code=code,
            url=reverse("portal:nomination", args=[nomination.pk]),
            deadline=deadline,
        )

    if nomination.status == Status.DRAFT and nomination.round.is_open(now):
        if nominee and not nominator and not nomination.has_consent:
            return step("consent_nomination", nomination.round.nominations_close)
        if nominator:
            return step("submit_nomination", nomination.round.nominations_close)
    if nomination.status == Status.RETURNED and nominator:
        correction = nomination_correction(nomination)
        return step("correct_nomination", correction.deadline if correction else None)
    return None


def steps_for_user(user: Any) -> list[NextStep]:
    """Everything the user's company has to do now, soonest deadline first."""
    company_id = company_id_of_user(user)
    if company_id is None:
        return []
    now = timezone.now()
    found = [
        *(application_step(a, now=now) for a in application_list_for_user(user)),
        *(
            outcome_step(r)
            for r in outcome_report_list_for_user(user).filter(status__in=OutcomeReport.OPEN)
        ),
        *(declaration_step(d) for d in declarations_of_company(company_id)),
        *(
            nomination_step(n, company_id, now=now)
            for n in nominations_of(user).select_related("round")
        ),
    ]
    return sorted((step for step in found if step is not None), key=_sort_key)
