"""Translated names of what happens to an outcome report, for messages and the history table."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "outcome_report_open": _("outcome report requested"),
    "outcome_report_submit": _("submit outcome report"),
    "outcome_report_return": _("return outcome report"),
    "outcome_report_accept": _("accept outcome report"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action.replace("_", " ")))
