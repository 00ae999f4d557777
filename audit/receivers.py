"""Permission and configuration changes land in the audit log whoever makes them (the admin
site, a shell, a data fix): the receivers below are connected in ``AuditConfig.ready``.

Configuration models are named by label in ``KOFU_AUDITED_CONFIG_MODELS`` so that this low
layer imports none of the apps that define them.
"""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from core.roles import Role, user_roles

from .context import current_user
from .services import event_record

USER_FLAGS = ("is_active", "is_staff", "is_superuser")
_ROLE_PRECEDENCE = (
    Role.ADMIN,
    Role.STAFF,
    Role.APPROVER,
    Role.FINANCE,
    Role.AUDITOR,
    Role.REVIEWER,
    Role.APPLICANT,
)
_BEFORE = "_kofu_audit_before"
_SAVE_ACTIONS = {  # (a user?, created?) → action
    (False, True): "config_create",
    (False, False): "config_change",
    (True, True): "user_create",
    (True, False): "user_flags_change",
}


def actor_role(user: Any | None) -> Role:
    """The role a change is recorded under: ADMIN for superusers, SYSTEM without a user."""
    if user is None:
        return Role.SYSTEM
    roles = user_roles(user)
    for role in _ROLE_PRECEDENCE:
        if role in roles:
            return role
    return Role.ADMIN if user.is_staff else Role.APPLICANT


def _json_safe(value: Any) -> Any:
    if isinstance(value, FieldFile):
        return value.name or ""
    try:
        return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    except TypeError:
        return str(value)


def _watched_fields(model: type[models.Model]) -> list[models.Field]:
    if model is get_user_model():
        return [model._meta.get_field(name) for name in USER_FLAGS]
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and not getattr(field, "auto_now", False)
    ]


def _snapshot(instance: models.Model, fields: list[models.Field]) -> dict[str, Any]:
    return {field.name: _json_safe(field.value_from_object(instance)) for field in fields}


def _record(instance: models.Model, action: str, data: dict[str, Any]) -> None:
    actor = current_user()
    event_record(instance, action, by=actor, role=actor_role(actor), data=data)


def _before_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw") or instance._state.adding or instance.pk is None:
        return
    fields = _watched_fields(sender)
    if kwargs.get("update_fields") is not None:
        fields = [field for field in fields if field.name in kwargs["update_fields"]]
    stored = sender._base_manager.filter(pk=instance.pk).first() if fields else None
    if stored is not None:
        setattr(instance, _BEFORE, _snapshot(stored, fields))


def _changes(
    sender: type[models.Model], instance: models.Model, before: dict[str, Any] | None
) -> dict[str, list[Any]]:
    """Field → [before, after] for what changed; every non-empty field of a new record."""
    fields = _watched_fields(sender)
    if before is None:
        after = _snapshot(instance, fields)
        return {name: [None, value] for name, value in after.items() if value not in (None, "")}
    after = _snapshot(instance, [field for field in fields if field.name in before])
    return {name: [before[name], after[name]] for name in before if before[name] != after[name]}


def _after_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
) -> None:
    before = instance.__dict__.pop(_BEFORE, None)
    if kwargs.get("raw") or (not created and before is None):
        return  # a fixture load, or none of the watched fields was saved
    is_user = sender is get_user_model()
    if created and is_user and not (instance.is_staff or instance.is_superuser):
        return  # a new account gains nothing until it gets a role (recorded as groups_add)
    changes = _changes(sender, instance, None if created else before)
    if changes:
        action = _SAVE_ACTIONS[is_user, created]
        _record(instance, action, {"model": sender._meta.label, "changes": changes})


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    values = _snapshot(instance, _watched_fields(sender))
    _record(instance, "config_delete", {"model": sender._meta.label, "values": values})


def _sides(through: type[models.Model], instance: models.Model) -> tuple[str, str]:
    """The through model's column for ``instance``'s side and for the other side."""
    relations = [field for field in through._meta.concrete_fields if field.is_relation]
    own = next(field for field in relations if isinstance(instance, field.related_model))
    other = next(field for field in relations if field is not own)
    return own.attname, other.attname


def _m2m_changed(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    change = kwargs["action"]
    pk_set = kwargs["pk_set"]
    if change == "pre_clear":
        own, other = _sides(sender, instance)
        pk_set = set(
            sender._base_manager.filter(**{own: instance.pk}).values_list(other, flat=True)
        )
    elif change not in ("post_add", "post_remove"):
        return
    if not pk_set:
        return
    model = kwargs["model"]
    related = model._base_manager.filter(pk__in=pk_set).order_by("pk")
    relation = _RELATIONS[sender]
    verb = "add" if change == "post_add" else "remove"
    _record(
        instance,
        f"{relation}_{verb}",
        {
            "relation": sender._meta.label,
            "objects": [
                {"model": model._meta.label, "id": obj.pk, "name": str(obj)} for obj in related
            ],
        },
    )


_RELATIONS: dict[type[models.Model], str] = {}


def receivers_connect() -> None:
    """Connect the receivers (once; dispatch_uid makes a second call harmless)."""
    user_model = get_user_model()
    group_model = apps.get_model("auth", "Group")
    watched = [apps.get_model(label) for label in settings.KOFU_AUDITED_CONFIG_MODELS]
    for model in [*watched, user_model]:
        uid = f"audit-config-{model._meta.label_lower}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
        post_save.connect(_after_save, sender=model, dispatch_uid=uid)
        if model is not user_model:
            post_delete.connect(_after_delete, sender=model, dispatch_uid=uid)
    _RELATIONS.update(
        {
            user_model.groups.through: "groups",
            user_model.user_permissions.through: "permissions",
            group_model.permissions.through: "permissions",
        }
    )
    for through in _RELATIONS:
        m2m_changed.connect(
            _m2m_changed, sender=through, dispatch_uid=f"audit-m2m-{through._meta.label_lower}"
        )
    signin_receivers_connect()


def get_cool_off() -> Any:
    from axes.helpers import get_cool_off as axes_cool_off

    return axes_cool_off()


def _account_locked(
    sender: Any, request: Any, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    """django-axes locked a username at an address: the log shows whose account and from where
    (once when the lock starts, not for each attempt made while it holds)."""
    if getattr(request, "axes_failures_since_start", None) != settings.AXES_FAILURE_LIMIT:
        return
    user = get_user_model().objects.filter(username=username).first() if username else None
    event_record(
        user if user is not None else ("auth.user", ""),
        "account_locked",
        by=None,
        role=Role.SYSTEM,
        data={"username": username or "", "ip_address": ip_address or ""},
    )


def _access_attempt_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A lock lifted by hand (the admin, `axes_reset`), not one that merely expired."""
    if instance.failures_since_start < settings.AXES_FAILURE_LIMIT:
        return
    if instance.attempt_time + get_cool_off() <= timezone.now():
        return  # axes cleaning up a lock that has expired
    by = current_user()
    user = get_user_model().objects.filter(username=instance.username).first()
    event_record(
        user if user is not None else ("auth.user", ""),
        "account_unlocked",
        by=by,
        role=actor_role(by),
        data={"username": instance.username or "", "ip_address": instance.ip_address or ""},
    )


def _api_token_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created and instance.revoked_at is None:
        return  # last_used_at is written by update(), not save(); nothing else changes
    event_record(
        instance,
        "api_token_create" if created else "api_token_revoke",
        by=instance.user,
        role=actor_role(instance.user),
        data={
            "name": instance.name,
            "prefix": instance.prefix,
            "expires_at": instance.expires_at.isoformat(),
        },
    )


def signin_receivers_connect() -> None:
    """Sign-in events: locks, locks lifted by hand, API tokens created and revoked."""
    from axes.signals import user_locked_out

    user_locked_out.connect(_account_locked, dispatch_uid="audit-account-locked")
    post_delete.connect(
        _access_attempt_deleted,
        sender=apps.get_model("axes", "AccessAttempt"),
        dispatch_uid="audit-account-unlocked",
    )
    post_save.connect(
        _api_token_saved,
        sender=apps.get_model("accounts", "ApiToken"),
        dispatch_uid="audit-api-token",
    )
