"""Who may start revoking a grant now, and why not (``core.policy``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from applications.models import Application
from core.errors import InvalidState
from core.policy import YES, Allowed, no, transition_allowed
from core.roles import Role, has_role

from .exceptions import SamePersonDecides
from .labels import action_label
from .models import Revocation


def prepare_allowed(user: Any, application: Application) -> Allowed:
    """Programme staff prepare the revocation of a grant that is in force, one at a time."""
    if not has_role(user, Role.STAFF):
        return no(_("Only programme staff can prepare a revocation."))
    if application.status not in Application.REVOCABLE:
        return no(
            _("An application that is %(status)s has no grant to revoke.")
            % {"status": application.get_status_display()},
            InvalidState,
        )
    if application.revocations.exclude(status=Revocation.Status.CANCELLED).exists():
        return no(_("A revocation of this application is already under way."), InvalidState)
    return YES


DECIDE = "decide"
CANCEL = "cancel"
RECORD = "record_repayment"


def revocation_actions(user: Any, revocation: Revocation) -> dict[str, Allowed]:
    """Each act on a revocation for ``user`` now: an approver who did not prepare it decides it
    (four eyes); staff or an approver cancel it while prepared; finance records repayments
    while the order stands."""
    if not has_role(user, Role.APPROVER):
        decide = no(_("Only an approver can decide a revocation."))
    elif revocation.status != Revocation.Status.PREPARED:
        decide = no(
            _("This revocation is %(status)s; only a prepared one can be decided.")
            % {"status": revocation.get_status_display()},
            InvalidState,
        )
    elif revocation.prepared_by_id == user.pk:
        decide = no(
            _("You prepared this revocation, so another approver must decide it (four-eyes rule)."),
            SamePersonDecides,
        )
    else:
        decide = YES
    if not has_role(user, Role.FINANCE):
        record = no(_("Only finance can record a repayment."))
    elif revocation.status != Revocation.Status.ORDERED:
        record = no(
            _("This revocation is %(status)s; repayments are recorded only while it is ordered.")
            % {"status": revocation.get_status_display()},
            InvalidState,
        )
    else:
        record = YES
    return {
        DECIDE: decide,
        CANCEL: transition_allowed(
            revocation, revocation.cancel, user, action_label("revocation_cancel")
        ),
        RECORD: record,
    }
