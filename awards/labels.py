"""Translated names of what happens to a nomination, for messages and the history table."""

from django.utils.translation import gettext_lazy as _

from .models import Nomination

ACTION_LABELS = {
    "create": _("create nomination"),
    "update": _("edit nomination"),
    "consent": _("record the nominee's consent"),
    "cite_applications": _("cite completed subsidies"),
    "document_upload": _("upload document"),
    "document_open": _("open document"),
    "submit": _("submit nomination"),
    "return_for_correction": _("return for correction"),
    "resubmit": _("resubmit nomination"),
    "lapse": _("lapse"),
    "withdraw": _("withdraw nomination"),
    "accept_documents": _("accept documents for committee review"),
    "select": _("select for the award"),
    "not_select": _("not select for the award"),
    "commend": _("commend"),
    "letter_issued": _("letter issued"),
    "letter_regenerate": _("letter regenerated"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action.replace("_", " ")))


def status_label(status: str) -> str:
    try:
        return str(Nomination.Status(status).label)
    except ValueError:
        return status
