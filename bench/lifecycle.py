"""One training-subsidy application driven through its whole lifecycle by the real services and
the viewflow flow, as fixtures.demo does, with each step labelled for the query log."""

from __future__ import annotations

import copy
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from time import perf_counter
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F, QuerySet

from accounts.models import Company
from applications import services as app
from applications.models import Application, SubsidyRound, TrainingLine
from audit.models import AuditEvent
from core.dates import add_business_days, today_jst
from core.roles import Role
from fixtures.demo import COMPANIES, draft_create, round_create, user_create
from fixtures.documents import pdf_file
from fixtures.payments import account_of, bank_result_file, on_transfer_date
from fixtures.reference import reference_data_load
from payments.selectors import payable_for_application
from payments.services import (
    batch_file_build,
    batch_prepare,
    batch_release,
    reconciliation_import,
)
from workflows import services as wf
from workflows import steps

from .sql import QueryLog

ROLES = {
    "applicant": Role.APPLICANT,
    "staff": Role.STAFF,
    "staff2": Role.STAFF,
    "approver": Role.APPROVER,
    "finance": Role.FINANCE,
    "finance2": Role.FINANCE,
}
BUDGET = 10**12
SCREENING = {
    "eligible": True,
    "recommend_grant": True,
    "reason": "研修計画は要綱の対象経費に該当し、生産性向上の見込みがある",
}


@dataclass(frozen=True)
class Cast:
    """The round and the people; ``act_as`` hands out a fresh user object per step, as each
    HTTP request would, so role and permission caches never carry over between steps."""

    round_id: int
    users: dict[str, Any]

    def act_as(self, name: str) -> Any:
        return copy.copy(self.users[name])


def cast_create() -> Cast:
    """Reference data, one company, the five people of the lifecycle and an ample round."""
    reference_data_load()
    company = Company.objects.create(**COMPANIES[0])
    for username, role in ROLES.items():
        user_create(username, role, company if role == Role.APPLICANT else None)
    users = {user.username: user for user in get_user_model().objects.filter(username__in=ROLES)}
    round_ = round_create(budget=BUDGET)
    return Cast(round_id=round_.pk, users=users)


def drafts_create(cast: Cast, count: int, log: QueryLog) -> list[int]:
    log.step = "draft"
    round_ = SubsidyRound.objects.get(pk=cast.round_id)
    return [draft_create(round_, cast.act_as("applicant")).pk for _ in range(count)]


def costs_of(application_ids: Iterable[int]) -> dict[int, list[app.ActualCostInput]]:
    """The actual costs each applicant will report: the planned lines, spent after the grant."""
    incurred_on = today_jst() + dt.timedelta(days=20)
    costs: dict[int, list[app.ActualCostInput]] = defaultdict(list)
    lines = TrainingLine.objects.filter(application_id__in=list(application_ids)).values_list(
        "application_id", "trainee_name", "course_name", "cost_type__code", "amount"
    )
    for application_id, trainee, course, cost_type, amount in lines:
        costs[application_id].append(
            app.ActualCostInput(
                trainee_name=trainee,
                course_name=course,
                cost_type=cost_type,
                incurred_on=incurred_on,
                amount=amount,
            )
        )
    return costs


def _staff_step(step: steps.Step, actor: str, data: dict) -> Callable[..., Any]:
    def run(application_id: int, cast: Cast, costs: list[app.ActualCostInput]) -> Any:
        return wf.step_complete(
            application_id=application_id, step=step, by=cast.act_as(actor), data=data
        )

    return run


def _confirm_amount(application_id: int, cast: Cast, costs: list[app.ActualCostInput]) -> Any:
    """The approver sends back the amount the step page showed."""
    shown = app.amount_to_confirm(Application.objects.get(pk=application_id))
    return wf.step_complete(
        application_id=application_id,
        step=steps.CONFIRM_AMOUNT,
        by=cast.act_as("approver"),
        data={"expected_amount": shown},
    )


def _submit(application_id: int, cast: Cast, costs: list[app.ActualCostInput]) -> Any:
    return wf.subsidy_submit(application_id=application_id, by=cast.act_as("applicant"))


def _upload_results_document(
    application_id: int, cast: Cast, costs: list[app.ActualCostInput]
) -> Any:
    return app.document_upload(
        application_id=application_id,
        document_type="completion_certificate",
        by=cast.act_as("applicant"),
        file=pdf_file("certificate.pdf", "certificate"),
    )


def _report_results(application_id: int, cast: Cast, costs: list[app.ActualCostInput]) -> Any:
    return wf.subsidy_report_results(
        application_id=application_id, by=cast.act_as("applicant"), costs=costs
    )


def _claim_payment(application_id: int, cast: Cast, costs: list[app.ActualCostInput]) -> Any:
    return wf.subsidy_claim_payment(
        application_id=application_id,
        by=cast.act_as("applicant"),
        account_id=account_of(cast.act_as("applicant")),
    )


def _pay_by_bank_transfer(application_id: int, cast: Cast, costs: list[app.ActualCostInput]) -> Any:
    """One batch per application: prepare, release by another user, file, reconcile."""
    payable = payable_for_application(application_id)
    batch = batch_prepare(
        by=cast.act_as("finance"),
        transfer_date=add_business_days(today_jst(), 2),
        payable_ids=[payable.pk],
    )
    batch_release(batch_id=batch.pk, by=cast.act_as("finance2"))
    batch = batch_file_build(batch_id=batch.pk)
    with on_transfer_date(batch):
        return reconciliation_import(
            batch_id=batch.pk, by=cast.act_as("finance"), data=bank_result_file(batch)
        )


STEPS: tuple[tuple[str, Callable[..., Any]], ...] = (
    ("submit", _submit),
    ("check_documents", _staff_step(steps.CHECK_DOCUMENTS, "staff", {"accept": True})),
    ("screen", _staff_step(steps.SCREEN, "staff", SCREENING)),
    ("decide", _staff_step(steps.DECIDE, "approver", {"approve": True})),
    ("upload_results_document", _upload_results_document),
    ("report_results", _report_results),
    ("check_results", _staff_step(steps.CHECK_RESULTS, "staff2", {"accept": True})),
    ("confirm_amount", _confirm_amount),
    ("claim_payment", _claim_payment),
    ("pay_by_bank_transfer", _pay_by_bank_transfer),
)


def lifecycle_run(
    application_id: int,
    cast: Cast,
    costs: list[app.ActualCostInput],
    log: QueryLog,
    seconds: dict[str, float],
) -> None:
    """Submit to payment; adds each step's wall time to ``seconds``."""
    for name, run in STEPS:
        log.step = name
        started = perf_counter()
        run(application_id, cast, costs)
        seconds[name] = seconds.get(name, 0.0) + perf_counter() - started


def _status_changes(application_ids: Iterable[int]) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(
            subject_type=Application._meta.label_lower,
            subject_id__in=[str(pk) for pk in application_ids],
        )
        .exclude(from_status="")
        .exclude(to_status="")
        .exclude(from_status=F("to_status"))
    )


def transitions_counted(application_ids: Iterable[int]) -> int:
    """Status transitions recorded in the audit trail (creation excluded)."""
    return _status_changes(application_ids).count()


def transition_path(application_id: int) -> list[tuple[str, str]]:
    """The (from, to) statuses one application went through, in order."""
    return list(
        _status_changes([application_id])
        .order_by("occurred_at", "pk")
        .values_list("from_status", "to_status")
    )


def statuses_of(application_ids: Iterable[int]) -> dict[str, int]:
    rows = Application.objects.filter(pk__in=list(application_ids)).values_list("status", flat=True)
    counts: dict[str, int] = defaultdict(int)
    for status in rows:
        counts[status] += 1
    return dict(counts)
