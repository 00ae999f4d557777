"""Who may do what with a payment claim or a payment batch now, and why not (``core.policy``):
the four eyes on release are said here once; the services refuse by it and the finance pages and
the API show it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.permissions import company_member
from applications.models import Application
from core.errors import InvalidState
from core.policy import YES, Allowed, no, transition_allowed
from core.roles import Role, has_role

from .exceptions import SamePersonReleases
from .labels import action_label
from .models import PaymentBatch

RELEASE = "release"
CANCEL = "cancel"
RECONCILE = "reconcile"


def claim_allowed(user: Any, application: Application) -> Allowed:
    """May the user claim the application's payment (精算払請求) now?"""
    if not company_member(application, user):
        return no(_("Only a member of the applying company can claim its payment."))
    if application.status != Application.Status.CONFIRMED:
        return no(
            _(
                "A payment can be claimed only once the amount is confirmed; "
                "this application is %(s)s."
            )
            % {"s": application.get_status_display()},
            InvalidState,
        )
    if (application.confirmed_amount or 0) <= 0:
        return no(_("The confirmed amount is ¥0: there is nothing to claim."), InvalidState)
    return YES


def finance_allowed(user: Any, what: Any) -> Allowed:
    """Finance staff only: ``what`` names the act in the refusal."""
    if has_role(user, Role.FINANCE):
        return YES
    return no(_("Only finance staff can %(what)s.") % {"what": what})


def release_allowed(user: Any, batch: PaymentBatch) -> Allowed:
    """Four eyes: a finance user who did not prepare the batch releases it; above the
    threshold a second, different one releases it too."""
    finance = finance_allowed(user, _("release a payment batch"))
    if not finance:
        return finance
    if batch.status != PaymentBatch.Status.PREPARED:
        return no(
            _("Payment batch %(ref)s is %(status)s: it can be released only once.")
            % {"ref": batch.reference, "status": batch.get_status_display()},
            InvalidState,
        )
    if batch.prepared_by_id == user.pk:
        return no(
            _("You prepared this batch, so another finance user must release it (four eyes)."),
            SamePersonReleases,
        )
    if batch.released_by_id == user.pk:
        return no(
            _(
                "You already released this batch; above ¥%(limit)s a second, different finance "
                "user must release it too."
            )
            % {"limit": f"{settings.KOFU_SECOND_RELEASER_ABOVE:,}"},
            SamePersonReleases,
        )
    return YES


def batch_actions(user: Any, batch: PaymentBatch) -> dict[str, Allowed]:
    """Each action on the batch for ``user`` now: release, cancel, reconcile (import the bank's
    results)."""
    cancel = finance_allowed(user, _("cancel a payment batch"))
    reconcile = finance_allowed(user, _("import the bank's results"))
    return {
        RELEASE: release_allowed(user, batch),
        CANCEL: cancel
        and transition_allowed(batch, batch.cancel, user, action_label("batch_cancel")),
        RECONCILE: reconcile
        and transition_allowed(batch, batch.reconcile, user, action_label("batch_reconcile")),
    }
