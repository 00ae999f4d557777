"""Translated names of what happens to payables and payment batches."""

from django.utils.translation import gettext_lazy as _

from applications import labels as application_labels

ACTION_LABELS = {
    "payee_account_register": _("register payee account"),
    "payee_account_retire": _("retire payee account"),
    "payment_claim": _("claim payment"),
    "payable_account_change": _("change payee account"),
    "payable_batch": _("add to payment batch"),
    "payable_unbatch": _("remove from cancelled batch"),
    "payable_pay": _("record transfer paid"),
    "payable_fail": _("record transfer failed"),
    "batch_prepare": _("prepare payment batch"),
    "batch_release_first": _("release payment batch (first releaser)"),
    "batch_release": _("release payment batch"),
    "batch_cancel": _("cancel payment batch"),
    "batch_file_build": _("build bank transfer file"),
    "batch_reconcile": _("reconcile payment batch"),
    "reconciliation_import": _("import bank results"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action.replace("_", " ")))


def trail_action_label(subject_type: str, action: str) -> str:
    """The act an event of an application's trail records, named for what it was."""
    if subject_type.startswith("payments."):
        return action_label(action)
    return application_labels.action_label(action)
