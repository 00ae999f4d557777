"""Reading the row history: what changed in a record, in a period or in one request, with
the value before and after each change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.fields.files import FieldFile

from .recording import recording_enabled

__all__ = [
    "Change",
    "changes_between",
    "changes_for",
    "changes_for_request",
    "recording_enabled",
]

SNAPSHOT = "snapshot"  # the state when history started (migration 0002), not a change


@dataclass(frozen=True)
class Change:
    """One insert or update of a record. ``fields`` maps each field that changed (every
    non-empty field, for an insert) to (before, after); foreign keys as ids. ``object_id`` is
    the record's pk as text, like ``AuditEvent.subject_id``."""

    at: dt.datetime
    actor: Any | None
    request_id: str
    label: str
    model: str
    object_id: str
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)


@cache
def _event_models() -> dict[type[models.Model], type[models.Model]]:
    return {
        model.pgh_tracked_model: model
        for model in apps.get_app_config("history").get_models()
        if getattr(model, "pgh_tracked_model", None) is not None
    }


@cache
def _tracked_fields(event_model: type[models.Model]) -> tuple[models.Field, ...]:
    return tuple(
        f
        for f in event_model._meta.concrete_fields
        if not f.name.startswith("pgh_") and f.name != "id" and not getattr(f, "auto_now", False)
    )


def _value(event: models.Model, f: models.Field) -> Any:
    value = f.value_from_object(event)
    return value.name if isinstance(value, FieldFile) else value


def _fields(
    event_model: type[models.Model], event: models.Model, before: models.Model | None
) -> dict[str, tuple[Any, Any]]:
    fields = _tracked_fields(event_model)
    if before is None:
        return {
            f.name: (None, value) for f in fields if (value := _value(event, f)) not in (None, "")
        }
    return {
        f.name: (old, new)
        for f in fields
        if (old := _value(before, f)) != (new := _value(event, f))
    }


def _changes(
    event_model: type[models.Model],
    events: Iterable[models.Model],
    previous: dict[int, models.Model],
) -> list[Change]:
    """``previous`` maps an event's pgh_id to the event before it (same record)."""
    events = [event for event in events if event.pgh_label != SNAPSHOT]
    user_ids = {(event.pgh_context or {}).get("user") for event in events} - {None}
    users = get_user_model()._base_manager.in_bulk(user_ids) if user_ids else {}
    label = event_model.pgh_tracked_model._meta.label
    return [
        Change(
            at=event.pgh_created_at,
            actor=users.get((event.pgh_context or {}).get("user")),
            request_id=(event.pgh_context or {}).get("request_id") or "",
            label=event.pgh_label,
            model=label,
            object_id=str(event.id),
            fields=_fields(event_model, event, previous.get(event.pgh_id)),
        )
        for event in events
    ]


def changes_for(record: models.Model) -> list[Change]:
    """Every insert and update of ``record``, oldest first; [] where nothing is recorded."""
    event_model = _event_models().get(type(record)._meta.concrete_model)
    if event_model is None or not recording_enabled():
        return []
    events = list(event_model.objects.filter(id=record.pk).order_by("pgh_id"))
    previous = {later.pgh_id: earlier for earlier, later in pairwise(events)}
    return _changes(event_model, events, previous)


def _with_previous(event_model: type[models.Model], events: models.QuerySet) -> list[Change]:
    before = event_model.objects.filter(id=OuterRef("id"), pgh_id__lt=OuterRef("pgh_id")).order_by(
        "-pgh_id"
    )
    rows = list(
        events.exclude(pgh_label=SNAPSHOT)
        .annotate(previous_id=Subquery(before.values("pgh_id")[:1]))
        .order_by("pgh_id")
    )
    earlier = event_model.objects.in_bulk({row.previous_id for row in rows} - {None})
    previous = {row.pgh_id: earlier[row.previous_id] for row in rows if row.previous_id}
    return _changes(event_model, rows, previous)


def _collect(**lookups: Any) -> list[Change]:
    if not recording_enabled():
        return []
    changes = []
    for event_model in _event_models().values():
        changes += _with_previous(event_model, event_model.objects.filter(**lookups))
    return sorted(changes, key=lambda change: change.at)


def changes_between(start: dt.datetime, end: dt.datetime) -> list[Change]:
    """Every change to a key record from ``start`` (inclusive) to ``end`` (exclusive)."""
    return _collect(pgh_created_at__gte=start, pgh_created_at__lt=end)


def changes_for_request(request_id: str) -> list[Change]:
    """Every change made by one web request or job (its audit events carry the same id)."""
    return _collect(pgh_context__request_id=request_id)
