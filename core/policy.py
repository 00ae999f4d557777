"""The shape of every "who may do what now" answer: each aggregate's policy function (for
example ``applications.policy.application_actions``) returns, per action, ``Allowed`` — yes, or
no with the reason a person can act on and the error a service raises for it. Services refuse
with ``refuse_unless``; views, templates and the API show the same answers.

A transition's answer comes from the record's own FSM (its source statuses and ``permission=``),
so the policy never restates what the state machine already says.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed, has_transition_perm

from .errors import InvalidState, KofuError, NotAllowed


@dataclass(frozen=True)
class Allowed:
    """One action's answer: allowed, or refused with its reason and the error it raises."""

    allowed: bool
    reason: Any = ""
    error: type[KofuError] = field(default=NotAllowed, compare=False)

    def __bool__(self) -> bool:
        return self.allowed

    def as_dict(self) -> dict[str, Any]:
        return {"allowed": self.allowed, "reason": str(self.reason)}


YES = Allowed(True)


def no(reason: Any, error: type[KofuError] = NotAllowed) -> Allowed:
    return Allowed(False, reason, error)


def refuse_unless(answer: Allowed) -> None:
    """Raise the refusal's error with its reason; nothing when the action is allowed."""
    if not answer:
        raise answer.error(answer.reason)


def transition_allowed(
    record: Any, transition: Callable[..., Any], user: Any | None, label: Any
) -> Allowed:
    """May ``user`` (``None``: the system) fire ``transition`` of ``record`` now?"""
    if not can_proceed(transition, check_conditions=False):
        return no(
            _("This %(record)s is %(status)s; “%(action)s” is not possible now.")
            % {
                "record": record._meta.verbose_name,
                "status": record.get_status_display(),
                "action": label,
            },
            InvalidState,
        )
    if user is not None and not has_transition_perm(transition, user):
        return no(
            _("Your role does not allow “%(action)s” on this %(record)s.")
            % {"action": label, "record": record._meta.verbose_name}
        )
    return YES


def actions_as_dict(actions: dict[str, Allowed]) -> dict[str, dict[str, Any]]:
    """The answers as the API shows them: ``{"submit": {"allowed": false, "reason": "…"}}``."""
    return {name: answer.as_dict() for name, answer in actions.items()}


def _action_serializer() -> Any:
    """One schema component for every resource's actions (built once, on first use)."""
    global _ACTION_SERIALIZER
    if _ACTION_SERIALIZER is None:
        from rest_framework import serializers

        class ActionSerializer(serializers.Serializer):
            allowed = serializers.BooleanField()
            reason = serializers.CharField(allow_blank=True)

        _ACTION_SERIALIZER = ActionSerializer
    return _ACTION_SERIALIZER


_ACTION_SERIALIZER: Any = None


def actions_field(policy: Callable[[Any, Any], dict[str, Allowed]], help_text: str) -> Any:
    """A read-only serializer field: what the requesting user may do with the record now and why
    not, as ``policy`` answers (``{"submit": {"allowed": false, "reason": "…"}}``)."""
    from drf_spectacular.utils import extend_schema_field
    from rest_framework import serializers

    @extend_schema_field(serializers.DictField(child=_action_serializer()()))
    class ActionsField(serializers.Field):
        def __init__(self) -> None:
            super().__init__(source="*", read_only=True, help_text=help_text)

        def to_representation(self, record: Any) -> dict[str, dict[str, Any]]:
            request = self.context.get("request")
            return actions_as_dict(policy(getattr(request, "user", None), record))

    return ActionsField()
