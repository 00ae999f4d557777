"""Who may submit an outcome report now, and why not (``core.policy``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.permissions import company_member
from core.errors import InvalidState
from core.policy import YES, Allowed, no

from .models import OutcomeReport

SUBMIT = "submit"


def outcome_report_actions(user: Any, report: OutcomeReport) -> dict[str, Allowed]:
    """The reporting company's members submit an open report (due, or returned to them)."""
    member = company_member(report.application, user)
    if not member:
        submit = no(_("Only a member of the reporting company can submit its outcome report."))
    elif report.status not in OutcomeReport.OPEN:
        submit = no(
            _("This outcome report is %(status)s; it cannot be submitted now.")
            % {"status": report.get_status_display()},
            InvalidState,
        )
    else:
        submit = YES
    return {SUBMIT: submit}
