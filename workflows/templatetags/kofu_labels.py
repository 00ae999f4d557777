"""Translated names of what happened to a record, in its own programme's words, for the history
tables: "submit" is 交付申請 for a subsidy application but 提出 for a declaration."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from applications import labels as application_labels
from applications.models import Application
from awards import labels as award_labels
from awards.models import Nomination
from core.roles import Role
from declarations import labels as declaration_labels
from declarations.models import Declaration
from outcomes import labels as outcome_labels
from outcomes.models import OutcomeReport

register = template.Library()

# subject type → (its action labels, its statuses)
_PROGRAMMES: dict[str, tuple[dict[str, Any], Any]] = {
    "applications.application": (application_labels.ACTION_LABELS, Application.Status),
    "declarations.declaration": (declaration_labels.ACTION_LABELS, Declaration.Status),
    "awards.nomination": (award_labels.ACTION_LABELS, Nomination.Status),
    "outcomes.outcomereport": (outcome_labels.ACTION_LABELS, OutcomeReport.Status),
}


def _programme(event: Any) -> tuple[dict[str, Any], Any]:
    return _PROGRAMMES.get(event.subject_type, ({}, None))


def _status(event: Any, value: str) -> str:
    statuses = _programme(event)[1]
    try:
        return str(statuses(value).label) if statuses else value
    except ValueError:
        return value


@register.filter
def event_action(event: Any) -> str:
    """The event's action as its programme names it."""
    return str(_programme(event)[0].get(event.action, event.action.replace("_", " ")))


@register.filter
def event_from_status(event: Any) -> str:
    return _status(event, event.from_status)


@register.filter
def event_to_status(event: Any) -> str:
    return _status(event, event.to_status)


register.filter("role_label", application_labels.role_label)


@register.filter
def event_party(event: Any) -> str:
    """Who acted, as an applicant may read it: the office by its role (事務局, 決裁者, 会計…),
    a company by its name, never a user's name."""
    if event.actor_role == Role.APPLICANT:
        profile = getattr(event.actor, "profile", None) if event.actor_id else None
        company = getattr(profile, "company", None)
        if company is not None:
            return company.name
    if not event.actor_role:
        return str(_("system"))
    return application_labels.role_label(event.actor_role)
