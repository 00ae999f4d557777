"""The flows follow what happens below them: the committee's reviews move the nominations'
review tasks; the bank's report of a paid transfer asks for the outcome report (or ends the
subsidy's process); revoking the grant cancels a process still running."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from payments.signals import application_paid
from revocations.signals import application_revoked
from screening.signals import assignment_closed, assignment_replaced

from .services import review_task_close, review_task_move, subsidy_paid, subsidy_revoked


@receiver(assignment_closed)
def _on_assignment_closed(sender: Any, assignment: Any, **kwargs: Any) -> None:
    review_task_close(assignment_id=assignment.pk)


@receiver(assignment_replaced)
def _on_assignment_replaced(sender: Any, old: Any, new: Any, **kwargs: Any) -> None:
    review_task_move(old_assignment_id=old.pk, new_assignment_id=new.pk if new else None)


@receiver(application_paid)
def _on_application_paid(sender: Any, application_id: int, **kwargs: Any) -> None:
    subsidy_paid(application_id=application_id)


@receiver(application_revoked)
def _on_application_revoked(sender: Any, application_id: int, **kwargs: Any) -> None:
    subsidy_revoked(application_id=application_id)
