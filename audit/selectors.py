from collections.abc import Iterable, Mapping

from django.db import models
from django.db.models import Q, QuerySet

from .models import AuditEvent


def events_for(subject: models.Model) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        subject_type=subject._meta.label_lower, subject_id=str(subject.pk)
    ).select_related("actor")


def events_about(subjects: Mapping[str, Iterable[object]]) -> QuerySet[AuditEvent]:
    """The events of several records ({subject type: ids}) as one trail, in the order they
    happened (ties in the order they were written)."""
    about = Q(pk__in=[])
    for subject_type, ids in subjects.items():
        wanted = sorted({str(pk) for pk in ids})
        if wanted:
            about |= Q(subject_type=subject_type, subject_id__in=wanted)
    return AuditEvent.objects.filter(about).select_related("actor").order_by("occurred_at", "id")
