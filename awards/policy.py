"""Who may do what with an award nomination now, and why not (``core.policy``). Both parties
(the nominating organisation and the nominee) prepare and send it; only the nominee consents."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.permissions import company_member
from accounts.selectors import company_id_of_user
from core.errors import InvalidState
from core.policy import YES, Allowed, no, transition_allowed
from core.roles import Role, has_role

from .labels import action_label
from .models import Nomination

EDIT = "edit"  # documents, cited subsidies
CONSENT = "consent"
SUBMIT = "submit"
RESUBMIT = "resubmit"
WITHDRAW = "withdraw"


def is_party(user: Any, nomination: Nomination) -> bool:
    """A member of the nominating organisation or of the nominated company."""
    return has_role(user, Role.APPLICANT) and company_id_of_user(user) in (
        nomination.nominating_company_id,
        nomination.company_id,
    )


def is_nominee(user: Any, nomination: Nomination) -> bool:
    return company_member(nomination, user)


def _editable(nomination: Nomination) -> Allowed:
    if nomination.status in Nomination.EDITABLE:
        return YES
    return no(
        _(
            "A nomination can only be changed while it is a draft or returned for "
            "correction; this one is %(status)s."
        )
        % {"status": nomination.get_status_display()},
        InvalidState,
    )


def _consent(user: Any, nomination: Nomination) -> Allowed:
    if not is_nominee(user, nomination):
        return no(_("Only a member of the nominated company can consent to its nomination."))
    if nomination.has_consent:
        return no(_("The company has already consented to this nomination."), InvalidState)
    if nomination.status not in Nomination.EDITABLE:
        return no(
            _("Consent is recorded before the nomination is submitted; this one is %(status)s.")
            % {"status": nomination.get_status_display()},
            InvalidState,
        )
    return YES


def nomination_actions(user: Any, nomination: Nomination) -> dict[str, Allowed]:
    """Each action on the nomination for ``user`` now."""
    party = (
        YES
        if is_party(user, nomination)
        else no(_("Only a member of the nominating organisation or of the nominee can do this."))
    )
    return {
        EDIT: party and _editable(nomination),
        CONSENT: _consent(user, nomination),
        **{
            name: transition_allowed(
                nomination, getattr(nomination, name), user, action_label(name)
            )
            for name in (SUBMIT, RESUBMIT, WITHDRAW)
        },
    }
