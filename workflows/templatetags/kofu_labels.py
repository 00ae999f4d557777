"""Translated names of actions, statuses and roles across every programme, for history tables."""

from __future__ import annotations

from django import template

from applications import labels as application_labels
from applications.models import Application
from awards import labels as award_labels
from awards.models import Nomination
from declarations import labels as declaration_labels
from declarations.models import Declaration

register = template.Library()

# Later entries win: the subsidy's own wording stays for the statuses it shares.
_ACTIONS = {
    **declaration_labels.ACTION_LABELS,
    **award_labels.ACTION_LABELS,
    **application_labels.ACTION_LABELS,
}
_STATUSES = {
    str(value): label
    for model in (Declaration, Nomination, Application)
    for value, label in model.Status.choices
}


@register.filter
def action_label(action: str) -> str:
    return str(_ACTIONS.get(action, action.replace("_", " ")))


@register.filter
def status_label(status: str) -> str:
    return str(_STATUSES.get(status, status))


register.filter("role_label", application_labels.role_label)
