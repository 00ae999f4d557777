"""What a task page shows about its subject, per kind of subject: the application's plan, costs
and computation; the committee's ranked table; and for every subject its letters and history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from applications.models import Application
from applications.services import actual_subsidy, planned_subsidy
from audit.selectors import events_for
from letters.selectors import letters_for_subject
from screening.committee import panel_results
from screening.models import ReviewPanel
from workflows.steps import Step


def _application(application: Application) -> dict[str, Any]:
    return {
        "application": application,
        "planned": planned_subsidy(application),
        "actual": actual_subsidy(application) if application.decided_amount is not None else None,
    }


def _panel(panel: ReviewPanel) -> dict[str, Any]:
    """The chair and the approver decide over the ranked table, as the committee sees it."""
    return {
        "ranking": panel_results(panel).table.to_dict("records"),
        "decision": panel.decisions.order_by("-pk").first(),
    }


SUBJECT_CONTEXT: dict[str, Callable[[Any], dict[str, Any]]] = {
    "applications.application": _application,
    "screening.reviewpanel": _panel,
}


def subject_context(subject: Any, step: Step, user: Any) -> dict[str, Any]:
    label = subject._meta.label_lower
    return {
        "events": events_for(subject),
        "letters": letters_for_subject(label, subject.pk),
        **SUBJECT_CONTEXT.get(label, lambda subject: {})(subject),
        **(step.context(subject) if step.context else {}),
    }
