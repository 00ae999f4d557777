"""Each staff-side role's home: what needs the user now, with counts, and the way to every page
the role works on."""

from __future__ import annotations

from typing import Any

from applications.models import Decision
from core.roles import Role
from payments.models import PaymentBatch
from payments.selectors import payables_awaiting_batch
from revocations.selectors import revocations_awaiting_decision, revocations_outstanding

from . import queries

DECIDING = ("applications.decide_grant", "screening.approve_committee_decision")


def sections(user: Any, roles: set[Role]) -> dict[str, Any]:
    tasks = queries.open_tasks(user)
    context: dict[str, Any] = {"roles": {role.value for role in roles}}
    if roles & {Role.STAFF, Role.APPROVER, Role.ADMIN}:
        mine = tasks.filter(owner=user)
        context["my_tasks"] = list(mine.order_by("created")[:10])
        context["my_count"] = mine.count()
        context["queue"] = queries.queue_counts(tasks)
    if Role.STAFF in roles:
        context["corrections_due"] = queries.corrections_due()
        context["results_due"] = list(queries.results_reports_due())
        context["outcomes_due"] = queries.outcome_reports_due()
        context["reviews_due"] = list(queries.reviews_due())
    if Role.APPROVER in roles:
        context["decisions"] = list(
            tasks.filter(owner_permission__in=DECIDING).order_by("created")[:20]
        )
        context["revocations_to_decide"] = revocations_awaiting_decision().count()
    if Role.FINANCE in roles:
        context["finance"] = {
            "payables": payables_awaiting_batch().count(),
            "to_release": PaymentBatch.objects.filter(status=PaymentBatch.Status.PREPARED).count(),
            "to_reconcile": PaymentBatch.objects.filter(
                status=PaymentBatch.Status.RELEASED
            ).count(),
            "repayments": revocations_outstanding().count(),
        }
    if roles & {Role.AUDITOR, Role.ADMIN}:
        context["recent_decisions"] = list(
            Decision.objects.select_related(
                "application__company", "application__round", "decided_by"
            ).order_by("-decided_at")[:10]
        )
    return context
