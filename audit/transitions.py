"""Firing one protected FSM transition the same way for every programme's records."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

from core.policy import refuse_unless, transition_allowed
from core.roles import Role

from .services import event_record


def transition_fire(
    record: models.Model,
    transition: Callable[..., Any],
    *,
    by: Any | None,
    role: Role,
    action: str,
    label: Any = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    subject: models.Model | None = None,
    **kwargs: Any,
) -> None:
    """Check, fire, save and record one transition of a locked row; ``by=None`` is the system.

    ``label`` is the translated name of the action for the refusal message. The audit event is
    about ``subject`` when given (e.g. a committee's item, for a reviewer's assignment) and then
    names the record in its data. The caller holds the row lock and the transaction.
    """
    label = label or action.replace("_", " ")
    refuse_unless(transition_allowed(record, transition, by, label))
    from_status = record.status
    transition(**kwargs)
    record.save()
    if subject is not None:
        data = {record._meta.model_name: record.pk, **(data or {})}
    event_record(
        subject or record,
        action,
        by=by,
        role=role,
        from_status=from_status,
        to_status=record.status,
        reason=reason,
        data=data,
    )


def transition_firer(action_label: Callable[[str], Any]) -> Callable[..., None]:
    """``transition_fire`` for one programme: its refusals name the action in that programme's
    words (``action_label(action)``)."""

    def fire(
        record: models.Model, transition: Callable[..., Any], *, action: str, **kwargs: Any
    ) -> None:
        transition_fire(record, transition, action=action, label=action_label(action), **kwargs)

    return fire
