"""Translated names of what happens to a declaration, for messages and the history table."""

from django.utils.translation import gettext_lazy as _

from .models import Declaration

ACTION_LABELS = {
    "create": _("create draft"),
    "update": _("edit declaration"),
    "submit": _("submit"),
    "return_for_correction": _("return for correction"),
    "resubmit": _("resubmit"),
    "lapse": _("lapse"),
    "register": _("register declaration"),
    "withdraw": _("withdraw"),
    "expire": _("end of the declared period"),
    "consent_set": _("change consent to publication"),
    "letter_issued": _("letter issued"),
    "letter_regenerate": _("letter regenerated"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action.replace("_", " ")))


def status_label(status: str) -> str:
    try:
        return str(Declaration.Status(status).label)
    except ValueError:
        return status
