"""Translated names of what happens to an application, for messages and the history table."""

from django.utils.translation import gettext_lazy as _

from core.roles import Role

from .models import Application

ACTION_LABELS = {
    "create": _("create draft"),
    "training_line_add": _("add training line"),
    "training_line_remove": _("remove training line"),
    "training_line_change": _("change training line"),
    "document_upload": _("upload document"),
    "document_open": _("open document"),
    "baselines_set": _("set baselines"),
    "submit": _("submit"),
    "return_for_correction": _("return for correction"),
    "resubmit": _("resubmit"),
    "lapse": _("lapse"),
    "accept_documents": _("accept documents"),
    "record_screening": _("record screening"),
    "grant": _("grant decision"),
    "reject": _("non-grant decision"),
    "report_results": _("report results"),
    "return_results": _("return results report"),
    "accept_results": _("accept results report"),
    "confirm_amount": _("confirm amount"),
    "transfer_paid": _("bank reported the transfer paid"),
    # written by the bank-result import before it was named transfer_paid: the same act
    "release_payment": _("bank reported the transfer paid"),
    "revoke": _("revoke grant decision"),
    "withdraw": _("withdraw"),
    "letter_issued": _("letter issued"),
    "letter_regenerate": _("letter regenerated"),
}

ROLE_LABELS = {
    Role.APPLICANT: _("applicant"),
    Role.STAFF: _("programme staff"),
    Role.APPROVER: _("approver"),
    Role.FINANCE: _("finance"),
    Role.AUDITOR: _("auditor"),
    Role.REVIEWER: _("committee reviewer"),
    Role.ADMIN: _("administrator"),
    Role.SYSTEM: _("system"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action.replace("_", " ")))


def status_label(status: str) -> str:
    try:
        return str(Application.Status(status).label)
    except ValueError:
        return status


def role_label(role: str) -> str:
    try:
        return str(ROLE_LABELS[Role(role)])
    except ValueError:
        return role
