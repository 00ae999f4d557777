"""The nomination flows follow the committee's reviews: screening signals, we move the tasks."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from screening.signals import assignment_closed, assignment_replaced

from .services import review_task_close, review_task_move


@receiver(assignment_closed)
def _on_assignment_closed(sender: Any, assignment: Any, **kwargs: Any) -> None:
    review_task_close(assignment_id=assignment.pk)


@receiver(assignment_replaced)
def _on_assignment_replaced(sender: Any, old: Any, new: Any, **kwargs: Any) -> None:
    review_task_move(old_assignment_id=old.pk, new_assignment_id=new.pk if new else None)
