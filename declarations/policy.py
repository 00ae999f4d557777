"""Who may do what with a promotion declaration now, and why not (``core.policy``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.permissions import company_member
from core.errors import InvalidState
from core.policy import YES, Allowed, no, transition_allowed

from .labels import action_label
from .models import Declaration

EDIT = "edit"
PUBLISH = "publish"  # give or withdraw consent to the public list
SUBMIT = "submit"
RESUBMIT = "resubmit"
WITHDRAW = "withdraw"


def is_member(user: Any, declaration: Declaration) -> bool:
    return company_member(declaration, user)


def declaration_actions(user: Any, declaration: Declaration) -> dict[str, Allowed]:
    """Each action on the declaration for ``user`` now."""
    if not is_member(user, declaration):
        not_member = no(_("Only a member of the declaring company can change this declaration."))
        edit = publish = not_member
    else:
        edit = (
            YES
            if declaration.is_editable
            else no(
                _(
                    "A declaration can only be changed while it is a draft or returned for "
                    "correction."
                ),
                InvalidState,
            )
        )
        publish = (
            YES
            if declaration.status in Declaration.WITHDRAWABLE
            else no(
                _("This declaration is %(status)s; its publication can no longer be changed.")
                % {"status": declaration.get_status_display()},
                InvalidState,
            )
        )
    return {
        EDIT: edit,
        PUBLISH: publish,
        **{
            name: transition_allowed(
                declaration, getattr(declaration, name), user, action_label(name)
            )
            for name in (SUBMIT, RESUBMIT, WITHDRAW)
        },
    }
