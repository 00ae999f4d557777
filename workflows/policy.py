"""Who may do what with a staff task now, and why not.

``task_actions`` is the one answer: the workspace pages show the buttons it allows, the services
below refuse what it refuses, and nothing else restates the rule.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from core.errors import InvalidState
from core.policy import YES, Allowed, no

ACTIVE = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)

CLAIM = "claim"
COMPLETE = "complete"
RELEASE = "release"
REASSIGN = "reassign"
TASK_ACTIONS = (CLAIM, COMPLETE, RELEASE, REASSIGN)


def may_take(user: Any, task: Task) -> bool:
    """The user's role is the one this step asks for (whoever holds it now)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return not task.owner_permission or user.has_perm(task.owner_permission)


def task_actions(user: Any, task: Task) -> dict[str, Allowed]:
    """Each workspace action on ``task`` for ``user`` now: claim, complete, release, reassign."""
    if task.status not in ACTIVE:
        done = no(_("This step is already done."), InvalidState)
        return dict.fromkeys(TASK_ACTIONS, done)
    if not may_take(user, task):
        refused = no(_("Your role cannot take this step."))
        return dict.fromkeys(TASK_ACTIONS, refused)
    mine = task.owner_id == user.pk
    someone_else = task.owner_id is not None and not mine
    # Whoever manages the flow (administrators) may free or hand on anyone's step.
    manager = task.flow_task.flow_class.instance.has_manage_permission(user)
    taken = no(_("This step is assigned to someone else."))
    return {
        CLAIM: taken
        if someone_else
        else (no(_("You already hold this step."), InvalidState) if mine else YES),
        # An unassigned step is claimed by whoever completes it.
        COMPLETE: taken if someone_else else YES,
        RELEASE: YES
        if (mine or (someone_else and manager))
        else no(_("Only the person holding a step can release it.")),
        # A step is handed on by its holder, or by anyone of the role while nobody holds it.
        REASSIGN: taken if (someone_else and not manager) else YES,
    }
