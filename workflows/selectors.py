from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .models import SubsidyProcess, application_content_type


def process_of_applications(application_ids: Iterable[int], prefix: str = "") -> dict[str, Any]:
    """Lookup arguments matching the subsidy processes of these applications."""
    return {
        f"{prefix}artifact_content_type": application_content_type(),
        f"{prefix}artifact_object_id__in": list(application_ids),
    }


def subsidy_process_for(application_id: int) -> SubsidyProcess | None:
    return SubsidyProcess.objects.filter(**process_of_applications([application_id])).first()
