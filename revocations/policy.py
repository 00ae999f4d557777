"""Who may start revoking a grant now, and why not (``core.policy``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from applications.models import Application
from core.errors import InvalidState
from core.policy import YES, Allowed, no
from core.roles import Role, has_role

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
