from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from viewflow.workflow.models import Process

from .models import SubsidyProcess, application_content_type


def process_of_subjects(
    model: type[models.Model], subject_ids: Iterable[int], prefix: str = ""
) -> dict[str, Any]:
    """Lookup arguments matching the processes whose artifact is one of these records."""
    return {
        f"{prefix}artifact_content_type": ContentType.objects.get_for_model(model),
        f"{prefix}artifact_object_id__in": list(subject_ids),
    }


def process_of_applications(application_ids: Iterable[int], prefix: str = "") -> dict[str, Any]:
    """Lookup arguments matching the subsidy processes of these applications."""
    return {
        f"{prefix}artifact_content_type": application_content_type(),
        f"{prefix}artifact_object_id__in": list(application_ids),
    }


def process_for(model: type[models.Model], subject_id: int) -> Process | None:
    return Process.objects.filter(**process_of_subjects(model, [subject_id])).first()


def subsidy_process_for(application_id: int) -> SubsidyProcess | None:
    return SubsidyProcess.objects.filter(**process_of_applications([application_id])).first()
