"""The floor: a bare row with a status column, one conditional UPDATE and one audit INSERT per
transition. Its models live only in the bench database (app label ``bench`` is not installed)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction


class FloorProcess(models.Model):
    status = models.CharField(max_length=30)

    class Meta:
        app_label = "bench"
        db_table = "bench_floor_process"
        managed = False

    def __str__(self) -> str:
        return f"floor process {self.pk}: {self.status}"


class FloorEvent(models.Model):
    occurred_at = models.DateTimeField(auto_now_add=True)
    actor_id = models.BigIntegerField(null=True)
    actor_role = models.CharField(max_length=20)
    action = models.CharField(max_length=60)
    subject_id = models.CharField(max_length=40)
    from_status = models.CharField(max_length=30)
    to_status = models.CharField(max_length=30)
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        app_label = "bench"
        db_table = "bench_floor_event"
        managed = False

    def __str__(self) -> str:
        return f"{self.subject_id}: {self.from_status} → {self.to_status}"


class FloorConflict(Exception):
    pass


def floor_tables_create() -> None:
    with connection.schema_editor() as editor:
        editor.create_model(FloorProcess)
        editor.create_model(FloorEvent)


def floor_processes_create(count: int, status: str) -> list[int]:
    created = FloorProcess.objects.bulk_create(FloorProcess(status=status) for _ in range(count))
    return [process.pk for process in created]


def floor_transition(process_id: int, old: str, new: str, *, actor_id: int) -> None:
    with transaction.atomic():
        updated = FloorProcess.objects.filter(pk=process_id, status=old).update(status=new)
        if updated != 1:
            raise FloorConflict(f"floor process {process_id} was not {old}")
        FloorEvent.objects.create(
            actor_id=actor_id,
            actor_role="staff",
            action=new,
            subject_id=str(process_id),
            from_status=old,
            to_status=new,
            data={"from": old, "to": new},
        )


def floor_run(
    process_ids: Iterable[int], path: Sequence[tuple[str, str]], *, actor_id: int
) -> None:
    for process_id in process_ids:
        for old, new in path:
            floor_transition(process_id, old, new, actor_id=actor_id)


def floor_statuses() -> set[str]:
    """The statuses of every floor process (warm-up ones included)."""
    return set(FloorProcess.objects.values_list("status", flat=True))
