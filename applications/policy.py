"""Who may do what with a training-subsidy application now, and why not: the one answer the
services enforce and the portal, the workspace and the API show (``core.policy``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.permissions import company_member
from core.errors import InvalidState
from core.policy import YES, Allowed, no, transition_allowed

from .labels import action_label
from .models import Application, DocumentType

Status = Application.Status

EDIT = "edit"  # the training plan (lines, the plan summary, baselines)
UPLOAD = "upload"
SUBMIT = "submit"
RESUBMIT = "resubmit"
REPORT_RESULTS = "report_results"
WITHDRAW = "withdraw"

EDITABLE = (Status.DRAFT, Status.RETURNED)
# Which documents may be uploaded in which statuses, by the stage that asks for them.
UPLOAD_STAGE_STATUSES = {
    DocumentType.Stage.APPLICATION: EDITABLE,
    DocumentType.Stage.RESULTS: (Status.GRANTED,),
}
TRANSITIONS = (SUBMIT, RESUBMIT, REPORT_RESULTS, WITHDRAW)


def is_member(user: Any, application: Application) -> bool:
    """An applicant acting for the applying company."""
    return company_member(application, user)


def upload_allowed(
    user: Any, application: Application, document_type: DocumentType | None = None
) -> Allowed:
    """May the user upload a document now (of ``document_type``, or of any type)?"""
    if not is_member(user, application):
        return no(_("Only a member of the applying company can upload its documents."))
    if document_type is not None:
        if application.status in UPLOAD_STAGE_STATUSES[document_type.stage]:
            return YES
        return no(
            _("“%(type)s” cannot be uploaded while the application is %(status)s.")
            % {"type": document_type.name, "status": application.get_status_display()},
            InvalidState,
        )
    if any(application.status in statuses for statuses in UPLOAD_STAGE_STATUSES.values()):
        return YES
    return no(
        _("Documents cannot be uploaded while the application is %(status)s.")
        % {"status": application.get_status_display()},
        InvalidState,
    )


def application_actions(user: Any, application: Application) -> dict[str, Allowed]:
    """Each action on the application for ``user`` now: edit, upload, submit, resubmit,
    report_results, withdraw."""
    if not is_member(user, application):
        edit = no(_("Only a member of the applying company can change this application."))
    elif application.status not in EDITABLE:
        edit = no(
            _(
                "The training plan can only be changed while the application is a draft or "
                "returned for correction."
            ),
            InvalidState,
        )
    else:
        edit = YES
    return {
        EDIT: edit,
        UPLOAD: upload_allowed(user, application),
        **{
            name: transition_allowed(
                application, getattr(application, name), user, action_label(name)
            )
            for name in TRANSITIONS
        },
    }
