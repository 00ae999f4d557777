"""Translated names of what happens to revocations and repayments."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "revocation_prepare": _("prepare revocation"),
    "revocation_decide": _("decide revocation"),
    "revocation_cancel": _("cancel prepared revocation"),
    "repayment_record": _("record repayment received"),
    "repayment_settle": _("settle repayment"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action.replace("_", " ")))
