"""What the workspace reads: open staff tasks with their subject's facts in one query, and the
figures of each role's home.

A task's subject (application, declaration, nomination, committee) hangs off its process by a
generic key; the list needs its company, round and status for every row, so they come as
correlated subqueries of the one task query: a page costs the same queries at 50 or 50,000 tasks.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from viewflow.workflow.models import Task

from accounts.models import Company
from applications.models import Application, CorrectionRequest
from awards.models import Nomination, NominationCorrection
from core.dates import add_business_days, fiscal_year_of, today_jst
from declarations.models import Declaration, DeclarationCorrection
from outcomes.selectors import outcome_reports_due as reports_owed
from screening.models import ReviewAssignment, ReviewPanel
from workflows.flows import CommitteeFlow, DeclarationFlow, NominationFlow, SubsidyFlow
from workflows.policy import ACTIVE


@dataclass(frozen=True)
class Programme:
    key: str
    flow: Any
    model: Any
    prefix: str  # of the subject's reference (SUB-2026-000001)


PROGRAMMES = (
    Programme("subsidy", SubsidyFlow, Application, "SUB"),
    Programme("declaration", DeclarationFlow, Declaration, "DEC"),
    Programme("award", NominationFlow, Nomination, "AWD"),
    Programme("committee", CommitteeFlow, ReviewPanel, ""),
)
PROGRAMME_BY_KEY = {programme.key: programme for programme in PROGRAMMES}


def programme_of_flow(flow_class: Any) -> Programme:
    return next(p for p in PROGRAMMES if p.flow is flow_class)


def staff_steps() -> list[tuple[Programme, Any]]:
    """Every human step of every programme, in flow order: (programme, node)."""
    return [
        (programme, programme.flow.instance.node(name))
        for programme in PROGRAMMES
        for name in programme.flow.steps
    ]


def _content_type(model: Any) -> ContentType:
    return ContentType.objects.get_for_model(model)


def _subject_field(path: str, models: tuple[Any, ...], output_field: Any) -> Case:
    """The subject's ``path`` for each task row, whichever model its subject is."""
    return Case(
        *[
            When(
                process__artifact_content_type=_content_type(model),
                then=Subquery(
                    model.objects.filter(pk=OuterRef("process__artifact_object_id")).values(path)[
                        :1
                    ]
                ),
            )
            for model in models
        ],
        default=Value(None),
        output_field=output_field,
    )


WITH_COMPANY = (Application, Declaration, Nomination)
WITH_ROUND = (Application, Nomination)


def open_tasks(user: Any) -> QuerySet[Task]:
    """Open staff steps the user holds or whose role may take them, with what each row shows."""
    tasks = Task.objects.filter(
        flow_task_type="HUMAN",
        status__in=ACTIVE,
        process__flow_class__in=[programme.flow for programme in PROGRAMMES],
    )
    if not user.is_superuser:
        tasks = tasks.filter(Q(owner=user) | Q(owner_permission__in=user.get_all_permissions()))
    return tasks.select_related("owner", "process").annotate(
        company_name=Case(
            When(
                process__artifact_content_type=_content_type(ReviewPanel),
                then=Subquery(
                    ReviewPanel.objects.filter(pk=OuterRef("process__artifact_object_id")).values(
                        "name"
                    )[:1]
                ),
            ),
            default=_subject_field("company__name", WITH_COMPANY, CharField()),
            output_field=CharField(),
        ),
        corporate_number=_subject_field("company__corporate_number", WITH_COMPANY, CharField()),
        subject_status=_subject_field("status", WITH_COMPANY, CharField()),
        round_name=_subject_field("round__name", WITH_ROUND, CharField()),
        fiscal_year=_subject_field("round__fiscal_year", WITH_ROUND, IntegerField()),
        requested_amount=_subject_field("requested_amount", (Application,), IntegerField()),
        subject_created=_subject_field("created_at", (Declaration,), DateTimeField()),
    )


REFERENCE = re.compile(r"^(SUB|DEC|AWD)-(\d{4})-0*(\d+)$", re.IGNORECASE)


def search(tasks: QuerySet[Task], text: str) -> QuerySet[Task]:
    """By reference (SUB-2026-000012), 法人番号 (13 digits) or company name (or its kana)."""
    text = text.strip()
    if not text:
        return tasks
    reference = REFERENCE.match(text)
    if reference:
        prefix, _year, pk = reference.groups()
        programme = next(p for p in PROGRAMMES if p.prefix == prefix.upper())
        return tasks.filter(
            process__artifact_content_type=_content_type(programme.model),
            process__artifact_object_id=int(pk),
        )
    if text.isdigit() and len(text) == 13:
        companies = Company.objects.filter(corporate_number=text).values("pk")
    else:
        companies = Company.objects.filter(
            Q(name__icontains=text) | Q(name_kana__icontains=text)
        ).values("pk")
    matches = Q(pk__in=[])
    for model in WITH_COMPANY:
        matches |= Q(
            process__artifact_content_type=_content_type(model),
            process__artifact_object_id__in=model.objects.filter(company__in=companies).values(
                "pk"
            ),
        )
    matches |= Q(
        process__artifact_content_type=_content_type(ReviewPanel),
        process__artifact_object_id__in=ReviewPanel.objects.filter(name__icontains=text).values(
            "pk"
        ),
    )
    return tasks.filter(matches)


def reference_of(task: Task) -> str:
    """The subject's reference from the row's annotations, without loading the subject."""
    programme = programme_of_flow(task.flow_task.flow_class)
    subject_id = task.process.artifact_object_id
    if programme.model is ReviewPanel:
        return task.company_name or ""
    year = task.fiscal_year
    if year is None and task.subject_created is not None:
        year = fiscal_year_of(timezone.localtime(task.subject_created).date())
    return f"{programme.prefix}-{year}-{subject_id:06d}"


# --- each role's home ------------------------------------------------------------------------


def queue_counts(tasks: QuerySet[Task]) -> list[dict[str, Any]]:
    """Open steps per programme and step, with how many nobody holds yet (one query)."""
    counts = {
        row["flow_task"]: row
        for row in tasks.order_by()
        .values("flow_task")
        .annotate(total=Count("pk"), waiting=Count("pk", filter=Q(owner__isnull=True)))
    }
    rows = []
    for programme, node in staff_steps():
        row = counts.get(node)
        if row:
            rows.append(
                {
                    "programme": programme,
                    "node": node,
                    "total": row["total"],
                    "waiting": row["waiting"],
                }
            )
    return rows


@dataclass(frozen=True)
class Deadline:
    label: str
    reference: str
    company: str
    due: dt.date
    url: str


def corrections_due(within_business_days: int = 3) -> list[tuple[str, Any]]:
    """Returns for correction whose answer-by day is near and that nobody has answered."""
    until = add_business_days(today_jst(), within_business_days)
    found: list[tuple[str, Any]] = []
    for kind, model, subject in (
        ("application", CorrectionRequest, "application"),
        ("declaration", DeclarationCorrection, "declaration"),
        ("nomination", NominationCorrection, "nomination"),
    ):
        rows = (
            model.objects.filter(answered_at__isnull=True, deadline__lte=until)
            .filter(**{f"{subject}__status": "returned"})
            .select_related(f"{subject}__company")
            .order_by("deadline")[:20]
        )
        found.extend((kind, row) for row in rows)
    return sorted(found, key=lambda pair: pair[1].deadline)


def results_reports_due(within_days: int = 14) -> QuerySet[Application]:
    """Granted applications whose results report (実績報告) is due soon and not yet in."""
    until = today_jst() + dt.timedelta(days=within_days)
    return (
        Application.objects.filter(
            status=Application.Status.GRANTED, round__results_report_deadline__lte=until
        )
        .select_related("company", "round")
        .order_by("round__results_report_deadline", "pk")[:20]
    )


def outcome_reports_due(within_days: int = 14) -> list[Any]:
    """Outcome reports (効果報告) still owed whose due date is near or past."""
    until = today_jst() + dt.timedelta(days=within_days)
    return list(reports_owed(until=until).order_by("due_on", "pk")[:20])


def reviews_due(within_days: int = 7) -> QuerySet[ReviewPanel]:
    """Committees whose review deadline is near, with how many reviews are still open."""
    now = timezone.now()
    return (
        ReviewPanel.objects.filter(
            review_deadline__gte=now, review_deadline__lte=now + dt.timedelta(days=within_days)
        )
        .annotate(
            open_reviews=Count(
                "items__assignments",
                filter=Q(items__assignments__status=ReviewAssignment.Status.ASSIGNED),
            )
        )
        .filter(open_reviews__gt=0)
        .order_by("review_deadline")
    )
