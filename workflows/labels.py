"""Translated names of every audited action and status, whichever record the event is about: a
trace mixes the application's events with its payable's, its batch's and its committee's."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from applications import labels as application_labels
from applications.models import Application
from awards import labels as award_labels
from awards.models import Nomination
from declarations import labels as declaration_labels
from declarations.models import Declaration
from outcomes import labels as outcome_labels
from outcomes.models import OutcomeReport
from payments import labels as payment_labels
from payments.models import Payable, PaymentBatch
from revocations import labels as revocation_labels
from revocations.models import Revocation
from screening.models import CommitteeDecision, ReviewAssignment

SCREENING_LABELS = {
    "panel_create": _("set up screening committee"),
    "item_register": _("put before the committee"),
    "reviewer_assign": _("assign reviewer"),
    "replacement_unavailable": _("no reviewer left to replace a recusal"),
    "review_recuse": _("reviewer recused"),
    "review_miss": _("review deadline missed"),
    "review_withdraw": _("review withdrawn"),
    "review_item_withdraw": _("withdrawn from the committee"),
    "scores_submit": _("submit scores"),
    "conflict_declare": _("declare conflict of interest"),
    "coi_access_refused": _("conflicted reviewer refused access"),
    "committee_decide": _("committee records its decision"),
    "committee_approve": _("approve committee decision"),
    "committee_return": _("return committee decision to the chair"),
}

# What the audit receivers record about settings, users and roles, whatever the subject.
CONFIGURATION_LABELS = {
    "config_create": _("create setting"),
    "config_change": _("change setting"),
    "config_delete": _("delete setting"),
    "user_create": _("create user"),
    "user_flags_change": _("change user's status"),
    "groups_add": _("grant role"),
    "groups_remove": _("withdraw role"),
    "permissions_add": _("grant permission"),
    "permissions_remove": _("withdraw permission"),
}

# subject type → (its action labels, its status choices)
_SUBJECTS: dict[str, tuple[dict[str, Any], type[models.TextChoices] | None]] = {
    "applications.application": (application_labels.ACTION_LABELS, Application.Status),
    "declarations.declaration": (declaration_labels.ACTION_LABELS, Declaration.Status),
    "awards.nomination": (award_labels.ACTION_LABELS, Nomination.Status),
    "payments.payable": (payment_labels.ACTION_LABELS, Payable.Status),
    "payments.paymentbatch": (payment_labels.ACTION_LABELS, PaymentBatch.Status),
    "payments.payeeaccount": (payment_labels.ACTION_LABELS, None),
    "revocations.revocation": (revocation_labels.ACTION_LABELS, Revocation.Status),
    "outcomes.outcomereport": (outcome_labels.ACTION_LABELS, OutcomeReport.Status),
    "screening.reviewitem": (SCREENING_LABELS, ReviewAssignment.Status),
    "screening.reviewpanel": (SCREENING_LABELS, CommitteeDecision.Status),
    "screening.conflictofinterest": (SCREENING_LABELS, None),
}

# An action of a subject not listed above is named as the first programme above names it.
_ANY_SUBJECT = {
    action: label
    for labels, _statuses in reversed(list(_SUBJECTS.values()))
    for action, label in labels.items()
} | CONFIGURATION_LABELS


def action_label(subject_type: str, action: str) -> str:
    labels = _SUBJECTS.get(subject_type, ({}, None))[0]
    label = labels.get(action) or _ANY_SUBJECT.get(action)
    return str(label) if label else action.replace("_", " ")


def status_label(subject_type: str, status: str) -> str:
    statuses = _SUBJECTS.get(subject_type, ({}, None))[1]
    if not status or statuses is None:
        return status
    try:
        return str(statuses(status).label)
    except ValueError:
        return status


def role_label(role: str) -> str:
    return application_labels.role_label(role) if role else ""
