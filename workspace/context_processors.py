from typing import Any

from django.http import HttpRequest
from viewflow.workflow.models import Task

from core.roles import is_staff_side
from workflows.policy import ACTIVE


def workspace(request: HttpRequest) -> dict[str, Any]:
    """The count beside 'Tasks' in the header: the open steps the user holds (one query)."""
    user = getattr(request, "user", None)
    if not is_staff_side(user):
        return {}
    held = Task.objects.filter(owner=user, status__in=ACTIVE, flow_task_type="HUMAN")
    return {"my_task_count": held.count()}
