"""A decision trace as plain data: one entry per audit event, workflow step and recorded data
change, each saying who did what, in which role, when and why, with the documents, scores,
amounts and letters (and their SHA-256) the step produced. The page, the PDF export and the
tests all read these entries; the selectors load everything they refer to beforehand."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Decision
from core.dates import JST
from payments.exports import account_masked
from revocations.models import Revocation
from screening.models import CommitteeDecisionEntry, ReviewAssignment, StaffScreening
from web.templatetags import kofu
from workflows.labels import action_label, role_label, status_label


@dataclass(frozen=True)
class Digest:
    """A SHA-256 shown in a trace: of an uploaded document, a letter's PDF or a bank file."""

    label: str
    sha256: str
    letter_id: int | None = None  # the letter's PDF can be downloaded


@dataclass(frozen=True)
class TraceEntry:
    """One step of a decision trace. ``seq`` and ``entry_hash`` place an audit event in the
    hash chain (None and "" for workflow steps, data changes and events not sealed yet)."""

    at: dt.datetime
    source: str  # "event", "task" or "change"
    actor: str
    role: str
    action: str
    status: str = ""
    reason: str = ""
    details: tuple[str, ...] = ()
    digests: tuple[Digest, ...] = ()
    seq: int | None = None
    entry_hash: str = ""
    request_id: str = ""
    data: str = ""
    order: tuple[int, int] = field(default=(0, 0), compare=False, repr=False)


@dataclass(frozen=True)
class DocumentRow:
    kind: str
    name: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: dt.datetime


@dataclass(frozen=True)
class LetterRow:
    pk: int
    number: str
    kind: str
    version: int
    status: str
    issued: bool
    sha256: str
    size: int | None
    language: str
    created_at: dt.datetime
    issued_at: dt.datetime | None
    decision_id: int | None


@dataclass
class Lookups:
    """The records a trace's events refer to, loaded beforehand in a few queries."""

    users: dict[int, str] = field(default_factory=dict)
    documents: dict[int, DocumentRow] = field(default_factory=dict)
    letters: dict[int, LetterRow] = field(default_factory=dict)
    decisions: dict[str, list[Decision]] = field(default_factory=dict)  # by kind, in order
    decisions_taken: dict[str, int] = field(default_factory=dict)  # paired with events so far
    assignments: dict[int, ReviewAssignment] = field(default_factory=dict)
    committee: dict[int, list[CommitteeDecisionEntry]] = field(default_factory=dict)
    approval_notes: dict[int, str] = field(default_factory=dict)
    revocations: dict[int, Revocation] = field(default_factory=dict)


@dataclass
class _Parts:
    details: list[str] = field(default_factory=list)
    digests: list[Digest] = field(default_factory=list)


def person(user: Any) -> str:
    """How a trace names someone: full name and user name, or "system" for timers and jobs."""
    if user is None:
        return _("system")
    full = user.get_full_name().strip()
    return f"{full} ({user.get_username()})" if full else user.get_username()


def yen(amount: Any) -> str:
    """An amount as every page writes it: 187,000円 on Japanese pages, ¥187,000 on English."""
    return kofu.yen(int(amount)) if amount is not None else "-"


def jst(moment: dt.datetime | None) -> str:
    """A moment in Japan time to the second, as an audit needs it, in the page language's
    style: 2026年12月2日 19:26:03 / 2 Dec 2026 19:26:03."""
    return kofu.when_precise(moment.astimezone(JST)) if moment else "-"


def day(value: dt.date | str | None) -> str:
    """A day in the page language's style (2026年12月2日), from a date or the ISO text an event's
    data holds; other text as it is."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    return kofu.when(value) if value else "-"


def letter_digest(letter: LetterRow) -> Digest:
    return Digest(f"{letter.number} {letter.kind}", letter.sha256, letter.pk)


# --- audit events ---------------------------------------------------------------------------


def _document(event: Any, lookups: Lookups, parts: _Parts) -> None:
    data = event.data
    document = lookups.documents.get(data.get("document_id"))
    if document is None:
        parts.digests.append(Digest(data.get("name", ""), data.get("sha256", "")))
        return
    parts.details += [
        f"{document.kind}: {document.name}",
        _("%(size)s bytes, uploaded by %(who)s")
        % {"size": f"{document.size:,}", "who": document.uploaded_by},
    ]
    parts.digests.append(Digest(document.name, document.sha256))


def _computation(computation: Mapping[str, Any]) -> list[str]:
    if not computation:
        return []
    lines = [
        _("Eligible cost %(cost)s; per trainee: %(trainees)s")
        % {
            "cost": yen(computation.get("eligible_cost")),
            "trainees": ", ".join(
                f"{share['trainee']} {yen(share['subsidy'])}"
                for share in computation.get("trainees", [])
            )
            or "-",
        },
        _("Total %(before)s, after the cap per company %(after)s, rounded down to %(amount)s")
        % {
            "before": yen(computation.get("total_before_company_cap")),
            "after": yen(computation.get("total_after_company_cap")),
            "amount": yen(computation.get("amount")),
        },
    ]
    lines += [
        _("Excluded: %(trainee)s %(amount)s (%(reason)s)")
        % {
            "trainee": line.get("trainee"),
            "amount": yen(line.get("amount")),
            "reason": line["reason"],
        }
        for line in computation.get("excluded", [])
    ]
    if computation.get("decided_amount") is not None:
        lines.append(
            _("Granted amount %(amount)s") % {"amount": yen(computation["decided_amount"])}
        )
    return lines


DECISION_ACTIONS = {
    "grant": Decision.Kind.GRANT,
    "reject": Decision.Kind.NON_GRANT,
    "confirm_amount": Decision.Kind.AMOUNT_CONFIRMATION,
}


def _decision(event: Any, lookups: Lookups, parts: _Parts) -> None:
    """The formal decision the event made: the n-th event of a kind made the n-th decision."""
    kind = DECISION_ACTIONS[event.action]
    taken = lookups.decisions_taken.get(kind, 0)
    decisions = lookups.decisions.get(kind, [])
    if taken >= len(decisions):
        _generic(event, lookups, parts)
        return
    decision = decisions[taken]
    lookups.decisions_taken[kind] = taken + 1
    parts.details += [
        f"{decision.get_kind_display()}: {yen(decision.amount)}",
        _("Prepared by %(preparer)s, decided by %(decider)s")
        % {
            "preparer": lookups.users.get(decision.prepared_by_id, "-"),
            "decider": lookups.users.get(decision.decided_by_id, "-"),
        },
        _("Legal basis: %(basis)s") % {"basis": decision.legal_basis},
        *_computation(decision.computation),
    ]
    if decision.conditions:
        parts.details.append(_("Conditions: %(conditions)s") % {"conditions": decision.conditions})
    parts.digests += [
        letter_digest(letter)
        for letter in lookups.letters.values()
        if letter.decision_id == decision.pk and letter.issued
    ]


def _screening(event: Any, lookups: Lookups, parts: _Parts) -> None:
    data = event.data
    try:
        recommendation = StaffScreening.Recommendation(data.get("recommendation")).label
    except ValueError:
        recommendation = data.get("recommendation") or "-"
    parts.details.append(
        _("Eligible: %(eligible)s; recommendation: %(recommendation)s; amount %(amount)s")
        % {
            "eligible": _("yes") if data.get("eligible") else _("no"),
            "recommendation": recommendation,
            "amount": yen(data.get("recommended_amount")),
        }
    )


def _file(label: Any) -> Callable[[Any, Lookups, _Parts], None]:
    """A file the event stored or read, by what it is rather than where it lies."""

    def details(event: Any, lookups: Lookups, parts: _Parts) -> None:
        _amounts(event.data, parts)
        if event.data.get("sha256"):
            parts.digests.append(Digest(str(label), event.data["sha256"]))

    return details


def _letter(event: Any, lookups: Lookups, parts: _Parts) -> None:
    letter = lookups.letters.get(event.data.get("letter_id"))
    if letter is None:
        _generic(event, lookups, parts)
        return
    parts.details.append(
        _("%(kind)s %(number)s, version %(version)s (%(language)s)")
        % {
            "kind": letter.kind,
            "number": letter.number,
            "version": letter.version,
            "language": letter.language,
        }
    )
    if letter.issued:
        parts.digests.append(letter_digest(letter))


def _reviewer_of(event: Any, lookups: Lookups) -> str:
    return lookups.users.get(event.data.get("reviewer"), "-")


def _assign(event: Any, lookups: Lookups, parts: _Parts) -> None:
    parts.details.append(_("Reviewer: %(reviewer)s") % {"reviewer": _reviewer_of(event, lookups)})
    replaced = lookups.assignments.get(event.data.get("replaces"))
    if replaced is not None:
        parts.details.append(
            _("Replaces %(reviewer)s, who recused")
            % {"reviewer": lookups.users.get(replaced.reviewer_id, "-")}
        )


def _recuse(event: Any, lookups: Lookups, parts: _Parts) -> None:
    parts.details.append(
        _("Reviewer %(reviewer)s no longer reviews this company")
        % {"reviewer": _reviewer_of(event, lookups)}
    )


def _scores(event: Any, lookups: Lookups, parts: _Parts) -> None:
    assignment = lookups.assignments.get(event.data.get("reviewassignment"))
    if assignment is None:
        _generic(event, lookups, parts)
        return
    parts.details.append(
        _("Scores: %(scores)s")
        % {
            "scores": ", ".join(
                f"{score.criterion.label} {score.value}" for score in assignment.scores.all()
            )
        }
    )
    if assignment.comment:
        parts.details.append(_("Comment: %(comment)s") % {"comment": assignment.comment})


def _committee(event: Any, lookups: Lookups, parts: _Parts) -> None:
    for entry in lookups.committee.get(event.data.get("decision"), []):
        parts.details.append(
            _("Rank %(rank)s, weighted mean %(mean)s, normalised %(normalised)s: %(outcome)s")
            % {
                "rank": entry.rank,
                "mean": entry.weighted_mean,
                "normalised": entry.normalised_mean,
                "outcome": _("selected") if entry.selected else _("not selected"),
            }
        )
        if entry.departure_reason:
            parts.details.append(
                _("Departs from the ranking because: %(reason)s")
                % {"reason": entry.departure_reason}
            )


def _approval(event: Any, lookups: Lookups, parts: _Parts) -> None:
    note = lookups.approval_notes.get(event.data.get("committeedecision"), "")
    if note:
        parts.details.append(_("Note: %(note)s") % {"note": note})


def _conflict(event: Any, lookups: Lookups, parts: _Parts) -> None:
    data = event.data
    parts.details.append(
        _("Reviewer %(reviewer)s, corporate number %(number)s")
        % {"reviewer": _reviewer_of(event, lookups), "number": data.get("corporate_number") or "-"}
    )


def _account(event: Any, lookups: Lookups, parts: _Parts) -> None:
    data = event.data
    parts.details.append(
        _("Account %(bank)s-%(branch)s %(number)s %(holder)s")
        % {
            "bank": data.get("bank_code", ""),
            "branch": data.get("branch_code", ""),
            "number": account_masked(str(data.get("account_number", ""))),
            "holder": data.get("holder_name", ""),
        }
    )


def _revocation(event: Any, lookups: Lookups, parts: _Parts) -> None:
    """交付決定取消: the amounts, and once decided the repayment terms and the notice."""
    _amounts(event.data, parts)
    revocation = lookups.revocations.get(int(event.subject_id))
    if revocation is None or event.action != "revocation_decide":
        return
    parts.details.append(
        _("Repay by %(deadline)s; surcharge (加算金) %(rate)s%% a year")
        % {"deadline": day(revocation.repayment_deadline), "rate": revocation.interest_percent}
    )
    letter = lookups.letters.get(revocation.letter_id)
    if letter is not None and letter.issued:
        parts.digests.append(letter_digest(letter))


_AMOUNT_KEYS = {
    "amount": gettext_lazy("amount"),
    "requested_amount": gettext_lazy("requested amount"),
    "decided_amount": gettext_lazy("granted amount"),
    "total": gettext_lazy("total"),
    "paid_total": gettext_lazy("paid total"),
    "revoked_amount": gettext_lazy("amount revoked"),
    "repayment_amount": gettext_lazy("amount to repay"),
    "paid_amount": gettext_lazy("amount paid"),
}


def _amounts(data: Mapping[str, Any], parts: _Parts) -> None:
    parts.details += [
        f"{label}: {yen(data[key])}"
        for key, label in _AMOUNT_KEYS.items()
        if isinstance(data.get(key), int | Decimal) and not isinstance(data.get(key), bool)
    ]
    if data.get("transfer_date"):
        parts.details.append(_("Transfer date %(date)s") % {"date": day(data["transfer_date"])})


def _generic(event: Any, lookups: Lookups, parts: _Parts) -> None:
    """Amounts and file hashes any event may carry in its data."""
    _amounts(event.data, parts)
    if event.data.get("sha256"):
        parts.digests.append(Digest(event.data.get("name") or _("file"), event.data["sha256"]))


_DETAILS: dict[str, Callable[[Any, Lookups, _Parts], None]] = {
    "document_upload": _document,
    "grant": _decision,
    "reject": _decision,
    "confirm_amount": _decision,
    "record_screening": _screening,
    "letter_issued": _letter,
    "letter_regenerate": _letter,
    "reviewer_assign": _assign,
    "review_recuse": _recuse,
    "scores_submit": _scores,
    "committee_decide": _committee,
    "committee_approve": _approval,
    "committee_return": _approval,
    "conflict_declare": _conflict,
    "payee_account_register": _account,
    "payee_account_retire": _account,
    "batch_file_build": _file(gettext_lazy("bank transfer file (全銀)")),
    "reconciliation_import": _file(gettext_lazy("bank result file")),
    "revocation_prepare": _revocation,
    "revocation_decide": _revocation,
}


def _status_change(event: Any) -> str:
    if not (event.from_status or event.to_status):
        return ""
    before = status_label(event.subject_type, event.from_status) or "-"
    return f"{before} → {status_label(event.subject_type, event.to_status)}"


def event_entry(event: Any, lookups: Lookups) -> TraceEntry:
    parts = _Parts()
    _DETAILS.get(event.action, _generic)(event, lookups, parts)
    return TraceEntry(
        at=event.occurred_at,
        source="event",
        actor=person(event.actor),
        role=role_label(event.actor_role),
        action=action_label(event.subject_type, event.action),
        status=_status_change(event),
        reason=event.reason,
        details=tuple(parts.details),
        digests=tuple(parts.digests),
        seq=event.seq,
        entry_hash=event.entry_hash,
        request_id=event.request_id,
        data=json.dumps(event.data, ensure_ascii=False, cls=DjangoJSONEncoder, sort_keys=True),
        order=(0, event.pk),
    )


# --- workflow steps and data changes --------------------------------------------------------


def task_entry(task: Any) -> TraceEntry:
    """A person's step in the workflow: who held it, when it was opened, taken and done."""
    return TraceEntry(
        at=task.finished or task.started or task.assigned or task.created,
        source="task",
        actor=person(task.owner) if task.owner_id else "-",
        role="",
        action=_("Workflow step: %(step)s") % {"step": task.title},
        status=str(task.get_status_display()),
        details=(
            _("opened %(created)s, assigned %(assigned)s, started %(started)s, done %(finished)s")
            % {
                "created": jst(task.created),
                "assigned": jst(task.assigned),
                "started": jst(task.started),
                "finished": jst(task.finished),
            },
        ),
        order=(1, task.pk),
    )


def _value(value: Any) -> str:
    return "-" if value in (None, "") else str(value)


CHANGE_LABELS = {
    "insert": gettext_lazy("added"),
    "update": gettext_lazy("changed"),
    "delete": gettext_lazy("deleted"),
}


def _model_name(label: str) -> str:
    """A table's name as people call it (補助金交付申請), from its label."""
    from django.apps import apps

    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


def change_entry(change: Any, index: int) -> TraceEntry:
    """A row written to a key table, with each field's value before and after (the stored
    values, shown as stored)."""
    return TraceEntry(
        at=change.at,
        source="change",
        actor=person(change.actor),
        role="",
        action=_("Data change (%(label)s): %(model)s #%(id)s")
        % {
            "label": str(CHANGE_LABELS.get(change.label, change.label)),
            "model": _model_name(change.model),
            "id": change.object_id,
        },
        details=tuple(
            f"{name}: {_value(before)} → {_value(after)}"
            for name, (before, after) in sorted(change.fields.items())
        ),
        request_id=change.request_id or "",
        order=(2, index),
    )


def entries_sorted(entries: Iterable[TraceEntry]) -> list[TraceEntry]:
    return sorted(entries, key=lambda entry: (entry.at, entry.order))
