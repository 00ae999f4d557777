"""Who may score or recuse on a review now, and why not (``core.policy``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.dates import JST
from core.errors import InvalidState, NotAllowed
from core.policy import YES, Allowed, no
from web.templatetags.kofu import when

from .exceptions import DeadlinePassed
from .models import ReviewAssignment

SCORE = "score"
RECUSE = "recuse"


def deadline_text(panel: Any) -> str:
    """The committee's review deadline as its stored notification data write it."""
    return panel.review_deadline.astimezone(JST).strftime("%Y-%m-%d %H:%M")


def review_actions(user: Any, assignment: ReviewAssignment) -> dict[str, Allowed]:
    """The assigned reviewer scores an open review by the deadline, or recuses before scoring."""
    panel = assignment.item.panel
    if assignment.reviewer_id != getattr(user, "pk", None):
        score = no(_("Only the reviewer assigned to this item can score it."), NotAllowed)
        recuse = no(
            _("Only the reviewer can recuse themselves; staff record a conflict for them."),
            NotAllowed,
        )
    elif not assignment.is_open:
        score = no(
            _("This review is %(status)s: it cannot be scored.")
            % {"status": assignment.get_status_display()},
            InvalidState,
        )
        recuse = no(_("You can recuse yourself only before you submit your scores."), InvalidState)
    else:
        recuse = YES
        score = (
            no(
                _("The review deadline (%(deadline)s) has passed: scores are no longer accepted.")
                % {"deadline": when(panel.review_deadline)},
                DeadlinePassed,
            )
            if panel.is_past_deadline
            else YES
        )
    return {SCORE: score, RECUSE: recuse}
