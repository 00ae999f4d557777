"""Translated names of what happened to a record, in its own programme's words, for the history
tables (workflows.labels): "submit" is 交付申請 for a subsidy application but 提出 for a
declaration."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from applications import labels as application_labels
from core.roles import Role
from workflows import labels

register = template.Library()


@register.filter
def event_action(event: Any) -> str:
    """The event's action as its record's programme names it."""
    return labels.action_label(event.subject_type, event.action)


@register.filter
def event_from_status(event: Any) -> str:
    return labels.status_label(event.subject_type, event.from_status)


@register.filter
def event_to_status(event: Any) -> str:
    return labels.status_label(event.subject_type, event.to_status)


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
