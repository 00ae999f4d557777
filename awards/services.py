"""Use cases of the reskilling award (リスキリング先進企業表彰). Each is one transaction: it locks
the nomination, checks who may act, fires one FSM transition (or records one event), and
schedules letters and notifications after commit.

A nomination is made by the company itself (self-nomination) or by a third party — a
municipality, a chamber of commerce or another organisation registered as a company. A
third-party nomination needs the nominee's recorded consent before it is submitted. A
nomination is complete when it describes the company's reskilling initiatives (``summary``) or
has at least one document: either gives the committee something to read. Cited subsidies must
be the nominee's own completed ones (amount confirmed or paid); at submission they are copied
from our records into ``evidence_snapshot`` so the committee sees what was cited, not retyped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Company
from accounts.selectors import company_applicants, company_id_of_user
from applications.eligibility import company_has_registered_declaration
from applications.models import Application, Decision
from audit.services import document_open_record, event_record
from audit.transitions import transition_firer
from core.corrections import (
    correction_answer,
    correction_deadline,
    correction_items_clean,
    correction_lapse,
    correction_request,
)
from core.dates import JST, today_jst
from core.policy import refuse_unless
from core.roles import Role, has_role
from core.uploads import upload_accept
from notifications.services import notify
from screening.committee import decision_outcomes, item_register
from screening.models import CommitteeDecision
from screening.selectors import panel_for_round
from web.templatetags.kofu import when

from . import policy
from .exceptions import (
    AlreadyNominated,
    ConsentRequired,
    DecisionNotApplicable,
    DeclarationRequired,
    InvalidState,
    NominationIncomplete,
    NotAllowed,
    NotFound,
    PanelMissing,
    ValidationFailed,
    WindowClosed,
)
from .labels import action_label
from .letters import certificate_prepare, correction_letter_prepare, outcome_letter_prepare
from .models import AwardRound, Nomination, NominationCorrection, NominationDocument
from .selectors import (
    COMPLETED_APPLICATION_STATUSES,
    nomination_document_get_for_user,
    nominations_in_review,
)

Status = Nomination.Status
Kind = Nomination.NominatorKind

# Notices a party must receive by email whatever their preferences.
LEGALLY_REQUIRED = {
    "nomination_returned",
    "nomination_lapsed",
    "award_selected",
    "award_not_selected",
}


# --- helpers -------------------------------------------------------------------------------


def _locked(nomination_id: int) -> Nomination:
    nomination = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("round", "company", "nominating_company")
        .filter(pk=nomination_id)
        .first()
    )
    if nomination is None:
        raise NotFound(_("There is no such nomination."))
    return nomination


def _round(round_id: int) -> AwardRound:
    round_ = AwardRound.objects.filter(pk=round_id).first()
    if round_ is None:
        raise NotFound(_("There is no such award round."))
    return round_


_fire = transition_firer(action_label)


def _is_party(nomination: Nomination, user: Any) -> bool:
    return policy.is_party(user, nomination)


def _ensure_party(nomination: Nomination, by: Any) -> None:
    if not _is_party(nomination, by):
        raise NotAllowed(
            _("Only a member of the nominating organisation or of the nominee can do this.")
        )


def _ensure_editable(nomination: Nomination, by: Any) -> None:
    refuse_unless(policy.nomination_actions(by, nomination)[policy.EDIT])


def _ensure_window_open(round_: AwardRound) -> None:
    if round_.is_open():
        return
    raise WindowClosed(
        _(
            "Nominations for “%(round)s” are accepted from %(opens)s to %(closes)s; "
            "it is not open now."
        )
        % {
            "round": round_.name,
            "opens": when(round_.nominations_open),
            "closes": when(round_.nominations_close),
        }
    )


def _parties(nomination: Nomination) -> list[Any]:
    """The members of the nominating organisation and of the nominee."""
    return company_applicants(nomination.nominating_company_id, nomination.company_id)


def _notify(nomination: Nomination, kind: str, recipients: list[Any], **context: Any) -> None:
    notify(
        recipients=recipients,
        kind=kind,
        context={
            "reference": nomination.reference,
            "company": nomination.company.name,
            "round": nomination.round.name,
            "award": nomination.round.award_name,
            **context,
        },
        link=nomination.get_absolute_url(),
        legally_required=kind in LEGALLY_REQUIRED,
    )


def notify_parties(nomination: Nomination, kind: str, **context: Any) -> None:
    """Tell the nominating organisation and the nominee, each in their language."""
    _notify(nomination, kind, _parties(nomination), **context)


# --- drafting ------------------------------------------------------------------------------


def _nominee_of(
    *, kind: str, own_company_id: int, company_id: int | None, organisation: str
) -> tuple[int, str]:
    """The nominee's company id and the organisation's name, checked against the kind."""
    if kind == Kind.SELF:
        if company_id not in (None, own_company_id):
            raise ValidationFailed(
                _(
                    "A self-nomination is for your own company; to nominate another company, "
                    "choose the kind of organisation you nominate for."
                ),
                field="company_id",
            )
        return own_company_id, ""
    if company_id is None:
        raise ValidationFailed(_("Choose the company you nominate."), field="company_id")
    if company_id == own_company_id:
        raise ValidationFailed(
            _("To nominate your own company, make a self-nomination."), field="nominator_kind"
        )
    if not Company.objects.filter(pk=company_id).exists():
        raise ValidationFailed(_("There is no such company."), field="company_id")
    if not organisation.strip():
        raise ValidationFailed(
            _("Name the organisation that makes the nomination."),
            field="nominator_organisation",
        )
    return company_id, organisation.strip()


def _ensure_not_nominated(round_: AwardRound, company_id: int) -> None:
    taken = (
        Nomination.objects.filter(round=round_, company_id=company_id)
        .exclude(status__in=Nomination.ENDED)
        .exists()
    )
    if taken:
        _refuse_duplicate(round_, company_id)


def _refuse_duplicate(round_: AwardRound, company_id: int) -> None:
    company = Company.objects.get(pk=company_id)
    raise AlreadyNominated(
        _(
            "“%(company)s” is already nominated in “%(round)s”: a company can have one "
            "nomination per round. Withdraw that nomination first, or add to it."
        )
        % {"company": company.name, "round": round_.name},
        field="company_id",
    )


@transaction.atomic
def nomination_create(
    *,
    round_id: int,
    by: Any,
    company_id: int | None = None,
    nominator_kind: str,
    nominator_organisation: str = "",
    summary: str = "",
    achievements: str = "",
) -> Nomination:
    """Start a draft: a self-nomination of the user's company, or the user's organisation
    nominating ``company_id``."""
    own_company_id = company_id_of_user(by)
    if not has_role(by, Role.APPLICANT) or own_company_id is None:
        raise NotAllowed(_("Only a user registered for a company or organisation can nominate."))
    if nominator_kind not in Kind.values:
        raise ValidationFailed(_("Choose who makes the nomination."), field="nominator_kind")
    round_ = _round(round_id)
    _ensure_window_open(round_)
    nominee_id, organisation = _nominee_of(
        kind=nominator_kind,
        own_company_id=own_company_id,
        company_id=company_id,
        organisation=nominator_organisation,
    )
    _ensure_not_nominated(round_, nominee_id)
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                round=round_,
                company_id=nominee_id,
                nominating_company_id=own_company_id,
                nominated_by=by,
                nominator_kind=nominator_kind,
                nominator_organisation=organisation,
                summary=summary,
                achievements=achievements,
            )
    except IntegrityError:  # a concurrent nomination of the same company committed first
        _refuse_duplicate(round_, nominee_id)
    event_record(
        nomination,
        "create",
        by=by,
        role=Role.APPLICANT,
        to_status=nomination.status,
        data={"nominator_kind": nominator_kind, "company_id": nominee_id},
    )
    if not nomination.is_self_nomination:
        _notify(
            nomination,
            "nomination_consent_requested",
            company_applicants(nominee_id),
            nominator=organisation,
        )
    return nomination


@transaction.atomic
def nomination_update(
    *,
    nomination_id: int,
    by: Any,
    summary: str | None = None,
    achievements: str | None = None,
    nominator_organisation: str | None = None,
) -> Nomination:
    """Change the text of a draft or returned nomination; ``None`` leaves a field as it is."""
    nomination = _locked(nomination_id)
    _ensure_editable(nomination, by)
    changes = {"summary": summary, "achievements": achievements}
    if nominator_organisation is not None:
        if nomination.is_self_nomination:
            raise ValidationFailed(
                _("A self-nomination names no nominating organisation."),
                field="nominator_organisation",
            )
        if not nominator_organisation.strip():
            raise ValidationFailed(
                _("Name the organisation that makes the nomination."),
                field="nominator_organisation",
            )
        changes["nominator_organisation"] = nominator_organisation.strip()
    fields = [name for name, value in changes.items() if value is not None]
    for name in fields:
        setattr(nomination, name, changes[name])
    if fields:
        nomination.save(update_fields=[*fields, "updated_at"])
        event_record(nomination, "update", by=by, role=Role.APPLICANT, data={"fields": fields})
    return nomination


@transaction.atomic
def nomination_consent_record(*, nomination_id: int, by: Any) -> Nomination:
    """The nominee company agrees to be nominated; a member of that company records it."""
    nomination = _locked(nomination_id)
    if nomination.has_consent and policy.is_nominee(by, nomination):
        return nomination  # recorded already: asking again changes nothing
    refuse_unless(policy.nomination_actions(by, nomination)[policy.CONSENT])
    nomination.consent_given_by = by
    nomination.consent_at = timezone.now()
    nomination.save(update_fields=["consent_given_by", "consent_at", "updated_at"])
    event_record(nomination, "consent", by=by, role=Role.APPLICANT)
    if not nomination.is_self_nomination:
        _notify(
            nomination,
            "nomination_consent_given",
            company_applicants(nomination.nominating_company_id),
        )
    return nomination


def _citation_refusal(nomination: Nomination, application: Application) -> str | None:
    if application.company_id != nomination.company_id:
        return _(
            "%(reference)s is not a subsidy of %(company)s: only the nominee's own subsidies "
            "can be cited."
        ) % {"reference": application.reference, "company": nomination.company.name}
    if application.status not in COMPLETED_APPLICATION_STATUSES:
        return _(
            "%(reference)s is not completed (it is %(status)s): only subsidies whose amount "
            "has been confirmed, or that have been paid, can be cited."
        ) % {"reference": application.reference, "status": application.get_status_display()}
    return None


def _ensure_citable(
    nomination: Nomination, applications: Iterable[Application], *, field: str
) -> None:
    for application in applications:
        refusal = _citation_refusal(nomination, application)
        if refusal:
            raise ValidationFailed(refusal, field=field)


@transaction.atomic
def nomination_cite_applications(
    *, nomination_id: int, by: Any, application_ids: Iterable[int]
) -> Nomination:
    """Cite the nominee's completed subsidies as evidence; replaces the cited set.

    A third party sees and cites the nominee's records only once the nominee has consented.
    """
    nomination = _locked(nomination_id)
    _ensure_editable(nomination, by)
    if company_id_of_user(by) != nomination.company_id and not nomination.has_consent:
        raise ConsentRequired(
            _("%(company)s must consent to the nomination before its subsidies can be cited.")
            % {"company": nomination.company.name}
        )
    ids = list(dict.fromkeys(int(pk) for pk in application_ids))
    found = Application.objects.select_related("round").in_bulk(ids)
    for pk in ids:
        if pk not in found:
            raise ValidationFailed(
                _("There is no subsidy application #%(id)s.") % {"id": pk},
                field="application_ids",
            )
    applications = [found[pk] for pk in ids]
    _ensure_citable(nomination, applications, field="application_ids")
    nomination.cited_applications.set(applications)
    event_record(
        nomination,
        "cite_applications",
        by=by,
        role=Role.APPLICANT,
        data={
            "application_ids": ids,
            "references": [application.reference for application in applications],
        },
    )
    return nomination


@transaction.atomic
def document_upload(
    *, nomination_id: int, file: UploadedFile, by: Any, description: str = ""
) -> NominationDocument:
    """Attach a file to a draft or returned nomination once ``core.uploads`` accepts it; the
    content is stored once under its SHA-256, never replaced."""
    nomination = _locked(nomination_id)
    _ensure_editable(nomination, by)
    used = nomination.documents.aggregate(bytes=Sum("size"), files=Count("id"))
    accepted = upload_accept(file=file, used_bytes=used["bytes"] or 0, used_files=used["files"])
    document = NominationDocument(
        nomination=nomination,
        original_name=accepted.name,
        sha256=accepted.sha256,
        size=accepted.size,
        content_type=accepted.content_type,
        description=description,
        uploaded_by=by,
    )
    document.file.name = accepted.storage_name
    document.save()
    event_record(
        nomination,
        "document_upload",
        by=by,
        role=Role.APPLICANT,
        data={
            "document_id": document.pk,
            "sha256": document.sha256,
            "name": document.original_name,
        },
    )
    return document


@transaction.atomic
def document_open(*, document_id: int, by: Any) -> NominationDocument:
    """The document if ``by`` may open it (not found otherwise); an opening by staff or a
    reviewer is audited."""
    document = nomination_document_get_for_user(by, document_id)
    document_open_record(
        document.nomination,
        document_id=document.pk,
        sha256=document.sha256,
        name=document.original_name,
        by=by,
    )
    return document


# --- submission and document check ---------------------------------------------------------


def _date(value: Any, *, field: str) -> dt.date:
    """A date, or its ISO text (task data arrives as JSON)."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise ValidationFailed(_("Give the date as YYYY-MM-DD."), field=field)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def application_evidence(application: Application) -> dict[str, Any]:
    """What our records say about one completed subsidy, as the committee will see it."""
    completed = [cost for cost in application.actual_costs.all() if cost.completed]
    confirmation = (
        application.decisions.filter(kind=Decision.Kind.AMOUNT_CONFIRMATION)
        .order_by("-decided_at", "-pk")
        .first()
    )
    return {
        "application_id": application.pk,
        "reference": application.reference,
        "round": application.round.name,
        "fiscal_year": application.round.fiscal_year,
        "status": application.status,
        "trainees": len({cost.trainee_name for cost in completed}),
        "courses": len({cost.course_name for cost in completed}),
        "decided_amount": application.decided_amount,
        "confirmed_amount": application.confirmed_amount,
        "grant_decided_on": _iso(application.decided_on),
        "amount_confirmed_on": (
            _iso(confirmation.decided_at.astimezone(JST).date()) if confirmation else None
        ),
    }


def _ensure_submittable(nomination: Nomination) -> list[dict[str, Any]]:
    """Refuse a nomination the committee could not take up; return its evidence snapshot."""
    if not nomination.is_self_nomination and not nomination.has_consent:
        raise ConsentRequired(
            _(
                "%(company)s has not consented to this nomination yet: a member of the "
                "nominated company must record its consent before it is submitted."
            )
            % {"company": nomination.company.name},
            field="consent",
        )
    if nomination.round.requires_declaration and not company_has_registered_declaration(
        nomination.company_id
    ):
        raise DeclarationRequired(
            _(
                "This round requires the nominee to hold a registered promotion declaration "
                "(推進宣言); %(company)s has none. Register one first."
            )
            % {"company": nomination.company.name}
        )
    if not nomination.summary.strip() and not nomination.documents.exists():
        raise NominationIncomplete(
            _("Describe the company's reskilling initiatives or attach at least one document."),
            field="summary",
        )
    cited = list(
        nomination.cited_applications.select_related("round").prefetch_related("actual_costs")
    )
    _ensure_citable(nomination, cited, field="cited_applications")
    return [application_evidence(application) for application in cited]


@transaction.atomic
def nomination_submit(*, nomination_id: int, by: Any) -> Nomination:
    """Submit a draft within the round's window; refuse with a clear error otherwise."""
    nomination = _locked(nomination_id)
    _ensure_party(nomination, by)
    if nomination.status != Status.DRAFT:
        raise InvalidState(_("Only a draft nomination can be submitted."))
    _ensure_window_open(nomination.round)
    evidence = _ensure_submittable(nomination)
    _fire(
        nomination,
        nomination.submit,
        by=by,
        role=Role.APPLICANT,
        action="submit",
        data={"cited": [item["reference"] for item in evidence]},
        evidence=evidence,
        by_user=by,
    )
    notify_parties(nomination, "nomination_submitted")
    return nomination


@transaction.atomic
def nomination_accept_documents(*, nomination_id: int, by: Any) -> Nomination:
    """Staff accept the documents: the nomination goes to the round's committee for review."""
    nomination = _locked(nomination_id)
    _fire(
        nomination,
        nomination.accept_documents,
        by=by,
        role=Role.STAFF,
        action="accept_documents",
        data={"document_ids": list(nomination.documents.values_list("pk", flat=True))},
    )
    panel = panel_for_round(nomination.round)
    if panel is None:
        raise PanelMissing(
            _(
                "“%(round)s” has no screening committee panel yet: set up its panel before "
                "accepting nominations for review."
            )
            % {"round": nomination.round.name}
        )
    item_register(
        panel=panel,
        subject=nomination,
        company=nomination.company,
        label=f"{nomination.reference} {nomination.company.name}",
    )
    return nomination


@transaction.atomic
def nomination_return_for_correction(
    *, nomination_id: int, by: Any, items: list[str], message: str = ""
) -> NominationCorrection:
    """Return for correction (差戻し) with the items to fix and a business-day deadline."""
    items = correction_items_clean(items)
    nomination = _locked(nomination_id)
    round_ = nomination.round
    deadline = correction_deadline(
        round_.correction_deadline_business_days, year_end_closure=round_.year_end_closure
    )
    correction = correction_request(
        nomination, fire=_fire, by=by, items=items, message=message, deadline=deadline
    )
    correction_letter_prepare(correction, by=by)
    notify_parties(
        nomination,
        "nomination_returned",
        items=items,
        deadline=deadline.isoformat(),
        message=message,
    )
    return correction


@transaction.atomic
def nomination_resubmit(*, nomination_id: int, by: Any, answer: str = "") -> Nomination:
    """Answer a return for correction and submit again. The window is not checked: the
    correction deadline, set when staff returned it, governs."""
    nomination = _locked(nomination_id)
    _ensure_party(nomination, by)
    if nomination.status != Status.RETURNED:
        raise InvalidState(_("Only a nomination returned for correction can be resubmitted."))
    evidence = _ensure_submittable(nomination)
    _fire(
        nomination,
        nomination.resubmit,
        by=by,
        role=Role.APPLICANT,
        action="resubmit",
        reason=answer,
        data={"cited": [item["reference"] for item in evidence]},
        evidence=evidence,
    )
    correction_answer(nomination, answer)
    return nomination


@transaction.atomic
def nomination_lapse(*, nomination_id: int) -> Nomination:
    """The correction deadline passed unanswered: the system ends the nomination (the shared
    rule ``correction_lapse``: refused before the deadline, a no-op once answered or lapsed)."""
    nomination = _locked(nomination_id)
    correction_lapse(
        nomination,
        fire=_fire,
        notify=lambda: notify_parties(nomination, "nomination_lapsed"),
    )
    return nomination


@transaction.atomic
def nomination_withdraw(*, nomination_id: int, by: Any, reason: str = "") -> Nomination:
    """The nominator or the nominee withdraws the nomination before the committee decides."""
    nomination = _locked(nomination_id)
    _ensure_party(nomination, by)
    _fire(
        nomination,
        nomination.withdraw,
        by=by,
        role=Role.APPLICANT,
        action="withdraw",
        reason=reason,
    )
    notify_parties(nomination, "nomination_withdrawn", reason=reason)
    return nomination


# --- committee outcome and commendation ----------------------------------------------------


def _approved_decision_for(round_: AwardRound, decision_id: int) -> CommitteeDecision:
    decision = CommitteeDecision.objects.select_related("panel").filter(pk=decision_id).first()
    if decision is None:
        raise NotFound(_("There is no such committee decision."))
    panel = panel_for_round(round_)
    if panel is None or decision.panel_id != panel.pk:
        raise DecisionNotApplicable(
            _("This committee decision is not the decision of “%(round)s”'s panel.")
            % {"round": round_.name}
        )
    if decision.status != CommitteeDecision.Status.APPROVED:
        raise DecisionNotApplicable(
            _("The committee's decision must be approved before nominations are concluded.")
        )
    return decision


def _ensure_within_quota(round_: AwardRound, outcomes: dict[int, bool]) -> None:
    of_round = Nomination.objects.filter(round=round_, pk__in=outcomes)
    selected = sum(outcomes[pk] for pk in of_round.values_list("pk", flat=True))
    if selected > round_.quota:
        raise DecisionNotApplicable(
            _(
                "The decision selects %(selected)s companies; “%(round)s” commends at most "
                "%(quota)s."
            )
            % {"selected": selected, "round": round_.name, "quota": round_.quota}
        )


def _conclude_one(
    nomination: Nomination, *, selected: bool, decision: CommitteeDecision, by: Any | None
) -> None:
    action = "select" if selected else "not_select"
    transition = nomination.select if selected else nomination.not_select
    _fire(
        nomination,
        transition,
        by=None,  # the committee decided; this service only records it
        role=Role.SYSTEM,
        action=action,
        data={"decision_id": decision.pk, "concluded_by": getattr(by, "pk", None)},
        decided_on=today_jst(),
    )
    outcome_letter_prepare(nomination, selected=selected, by=by)
    ceremony = nomination.round.ceremony_date
    notify_parties(
        nomination,
        "award_selected" if selected else "award_not_selected",
        ceremony_date=ceremony.isoformat() if ceremony else "",
    )


@transaction.atomic
def nominations_conclude(*, round_id: int, decision_id: int, by: Any = None) -> list[Nomination]:
    """After the committee's decision is approved, select or not select each nomination of the
    round in review, with its letter and notices. Nominations already concluded are skipped, so
    running it twice concludes nothing twice. Returns the nominations concluded now."""
    round_ = AwardRound.objects.select_for_update().filter(pk=round_id).first()
    if round_ is None:
        raise NotFound(_("There is no such award round."))
    decision = _approved_decision_for(round_, decision_id)
    outcomes = {int(pk): bool(selected) for pk, selected in decision_outcomes(decision).items()}
    _ensure_within_quota(round_, outcomes)
    concluded = []
    in_review = nominations_in_review(round_.pk).filter(pk__in=outcomes).order_by("pk")
    for pk in in_review.values_list("pk", flat=True):
        nomination = _locked(pk)
        _conclude_one(nomination, selected=outcomes[nomination.pk], decision=decision, by=by)
        concluded.append(nomination)
    return concluded


@transaction.atomic
def nomination_commend(*, nomination_id: int, by: Any, commended_on: dt.date | str) -> Nomination:
    """Staff record the commendation of a selected company and issue its certificate (表彰状)."""
    nomination = _locked(nomination_id)
    commended_on = _date(commended_on, field="commended_on")
    _fire(
        nomination,
        nomination.commend,
        by=by,
        role=Role.STAFF,
        action="commend",
        data={"commended_on": commended_on.isoformat()},
        commended_on=commended_on,
    )
    certificate_prepare(nomination, by=by)
    notify_parties(nomination, "award_commended", commended_on=commended_on.isoformat())
    return nomination
