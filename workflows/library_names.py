"""viewflow's process and task records in the admin's language.

viewflow leaves its generic keys and data fields to Django's automatic (English) names, and its
Japanese catalogue calls a finished time "完成品" (a finished product): Kofu's catalogue names
them (see ``core.names``). The msgids are viewflow's own English names, except the lists'
names: viewflow's "Process list" and "Tasks" (Kofu's staff inbox, 処理待ち一覧) do not name
every process and task the admin lists.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process, Task

from core.names import model_names_translate

SUBJECT_FIELDS = {
    "data": _("data"),
    "seed_content_type": _("seed content type"),
    "seed_object_id": _("seed object id"),
    "artifact_content_type": _("artifact content type"),
    "artifact_object_id": _("artifact object id"),
    "finished": _("Finished"),
}

# viewflow's process and task pages translate these, but its Japanese catalogue lacks them.
VIEWFLOW_PAGE_MSGIDS = (
    _("Artifact"),
    _("Seed"),
    _("Parent Task"),
    _("Subprocess"),
    _("Export BPMN"),
    _("Flow Chart"),
)


def viewflow_names_translate() -> None:
    """Give viewflow's untranslated process and task fields translatable names."""
    model_names_translate(
        Process,
        many=_("processes"),
        fields={**SUBJECT_FIELDS, "parent_task": _("parent task")},
    )
    model_names_translate(
        Task,
        many=_("tasks"),
        fields={
            **SUBJECT_FIELDS,
            "scheduled": _("Scheduled"),
            "owner_permission_content_type": _("owner permission content type"),
            "owner_permission_obj_pk": _("owner permission obj pk"),
        },
    )
