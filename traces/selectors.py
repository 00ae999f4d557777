"""What an auditor reads: the records they can search, each record's whole decision trace, the
audit log of a period and the head of the hash chain. Everything here only reads."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import CharField, F, Prefetch, Q, QuerySet, Value
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.workflow.models import Process, Task

from accounts.models import Company
from applications.models import Application, Decision, SubsidyRound
from audit.chain import GENESIS_HASH, HASHED_FIELDS, entry_hash_compute
from audit.models import AuditEvent
from audit.selectors import events_about
from awards.models import AwardRound, Nomination, NominationDocument
from core.dates import JST
from declarations.models import Declaration
from history.selectors import changes_for, recording_enabled
from letters.models import Letter
from payments.models import Payable, Payment
from payments.selectors import application_trail
from revocations.models import Revocation
from screening.models import (
    CommitteeDecision,
    CommitteeDecisionEntry,
    ConflictOfInterest,
    ReviewAssignment,
    ReviewItem,
    ReviewPanel,
    Score,
)
from web.templatetags.kofu import when
from workflows.models import CommitteeProcess
from workflows.selectors import process_of_subjects

from .timeline import (
    DocumentRow,
    LetterRow,
    Lookups,
    TraceEntry,
    change_entry,
    entries_sorted,
    event_entry,
    jst,
    person,
    task_entry,
    yen,
)

SUBSIDY, DECLARATION, AWARD = "subsidy", "declaration", "award"
PROGRAMMES = {
    SUBSIDY: gettext_lazy("training subsidy"),
    DECLARATION: gettext_lazy("promotion declaration"),
    AWARD: gettext_lazy("award nomination"),
}
MODELS: dict[str, type[models.Model]] = {
    SUBSIDY: Application,
    DECLARATION: Declaration,
    AWARD: Nomination,
}
REFERENCE = re.compile(r"^(SUB|DEC|AWD)-(\d{4})-(\d+)$", re.IGNORECASE)
REFERENCE_PROGRAMMES = {"SUB": SUBSIDY, "DEC": DECLARATION, "AWD": AWARD}
LETTER_NUMBER = re.compile(r"^(?P<prefix>\S*?)第(?P<number>\d+)号")
CORPORATE_NUMBER = re.compile(r"^\d{13}$")


# --- search --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchFilters:
    text: str = ""
    programme: str = ""  # one of PROGRAMMES, or "" for all
    round: str = ""  # "subsidy-<id>", "award-<id>" or "declaration-<fiscal year>"
    status: str = ""


@dataclass(frozen=True)
class SearchRow:
    programme: str
    programme_label: str
    pk: int
    reference: str
    company: str
    corporate_number: str
    round: str
    status: str
    created_at: dt.datetime


def round_choices() -> list[tuple[str, str]]:
    """Every round an auditor may narrow the search to, newest first."""
    subsidy = [
        (f"{SUBSIDY}-{pk}", name)
        for pk, name in SubsidyRound.objects.order_by("-fiscal_year", "name").values_list(
            "pk", "name"
        )
    ]
    award = [
        (f"{AWARD}-{pk}", name)
        for pk, name in AwardRound.objects.order_by("-fiscal_year", "name").values_list(
            "pk", "name"
        )
    ]
    years = (
        Declaration.objects.exclude(fiscal_year=None)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .distinct()
    )
    declaration = [
        (f"{DECLARATION}-{year}", _("Declarations registered in fiscal %(year)s") % {"year": year})
        for year in years
    ]
    return subsidy + award + declaration


def status_choices(programme: str = "") -> list[tuple[str, str]]:
    """The statuses of one programme, or of all (each value once, in lifecycle order)."""
    programmes = [programme] if programme in MODELS else list(MODELS)
    seen: dict[str, str] = {}
    for name in programmes:
        for value, label in MODELS[name].Status.choices:  # type: ignore[attr-defined]
            seen.setdefault(value, str(label))
    return list(seen.items())


def _text_filter(programme: str, text: str) -> Q | None:
    """None when the text cannot match a record of this programme at all."""
    reference = REFERENCE.match(text)
    if reference:
        prefix, year, number = reference.groups()
        if REFERENCE_PROGRAMMES[prefix.upper()] != programme:
            return None
        matches = Q(pk=int(number))
        return matches & Q(round__fiscal_year=int(year)) if programme != DECLARATION else matches
    if CORPORATE_NUMBER.match(text):
        return Q(company__corporate_number=text)
    matches = Q(company__name__icontains=text) | Q(company__name_kana__icontains=text)
    if programme == DECLARATION:
        matches |= Q(registration_number__icontains=text)
    letters = _letter_subjects(text, programme)
    if letters:
        matches |= Q(pk__in=letters)
    return matches


def _letter_subjects(text: str, programme: str) -> list[int]:
    """The records a letter number such as 産人第12号 was issued about."""
    number = LETTER_NUMBER.match(text)
    if not number or settings.KOFU_LETTER_PREFIXES.get(programme) != number["prefix"]:
        return []
    subject_type = MODELS[programme]._meta.label_lower
    ids = Letter.objects.filter(
        programme=programme, number=int(number["number"]), subject_type=subject_type
    ).values_list("subject_id", flat=True)
    return [int(pk) for pk in ids]


def _round_filter(programme: str, round_key: str) -> Q | None:
    if not round_key:
        return Q()
    kind, _sep, value = round_key.partition("-")
    if kind != programme or not value.isdigit():
        return None
    return Q(fiscal_year=int(value)) if programme == DECLARATION else Q(round_id=int(value))


def _programme_rows(programme: str, filters: SearchFilters) -> QuerySet | None:
    queryset = MODELS[programme].objects.all()  # type: ignore[attr-defined]
    for condition in (
        _text_filter(programme, filters.text) if filters.text else Q(),
        _round_filter(programme, filters.round),
    ):
        if condition is None:
            return None
        queryset = queryset.filter(condition)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return (
        queryset.order_by()
        .annotate(programme=Value(programme, output_field=CharField()), at=F("created_at"))
        .values_list("programme", "pk", "at")
    )


def records_search(filters: SearchFilters) -> QuerySet:
    """(programme, id, created at) of every record matching, newest first, as one query that
    a paginator can count and slice."""
    programmes = [filters.programme] if filters.programme in MODELS else list(MODELS)
    parts = [rows for name in programmes if (rows := _programme_rows(name, filters)) is not None]
    if not parts:
        return Application.objects.none().values_list("pk", "pk", "created_at")
    first, *rest = parts
    combined = first.union(*rest, all=True) if rest else first
    return combined.order_by("-at", "-pk")


def search_rows(page: Iterable[tuple[str, int, dt.datetime]]) -> list[SearchRow]:
    """The records of one page of search results, in the page's order."""
    page = list(page)
    wanted: dict[str, list[int]] = defaultdict(list)
    for programme, pk, _at in page:
        wanted[programme].append(pk)
    loaded = {
        (programme, record.pk): record
        for programme, ids in wanted.items()
        for record in _with_related(programme).filter(pk__in=ids)
    }
    return [_search_row(programme, loaded[(programme, pk)]) for programme, pk, _at in page]


def _with_related(programme: str) -> QuerySet:
    related = ["company"] if programme == DECLARATION else ["company", "round"]
    return MODELS[programme].objects.select_related(*related)  # type: ignore[attr-defined]


def _round_name(programme: str, record: Any) -> str:
    if programme != DECLARATION:
        return record.round.name
    return _("fiscal %(year)s") % {"year": record.fiscal_year} if record.fiscal_year else "-"


def _search_row(programme: str, record: Any) -> SearchRow:
    return SearchRow(
        programme=programme,
        programme_label=str(PROGRAMMES[programme]),
        pk=record.pk,
        reference=record.reference,
        company=record.company.name,
        corporate_number=record.company.corporate_number or "",
        round=_round_name(programme, record),
        status=record.get_status_display(),
        created_at=record.created_at,
    )


# --- the hash chain --------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainHead:
    seq: int | None
    entry_hash: str
    unsealed: int


def chain_head() -> ChainHead:
    """The last sealed event of the audit log and how many events still wait to be sealed."""
    last = (
        AuditEvent.objects.filter(seq__isnull=False)
        .order_by("-seq")
        .values_list("seq", "entry_hash")
        .first()
    )
    seq, entry_hash = last or (None, "")
    return ChainHead(seq, entry_hash, AuditEvent.objects.filter(seq__isnull=True).count())


@dataclass(frozen=True)
class ChainCheck:
    """A record's audit events checked against the chain: each sealed event's stored hash
    recomputed from its content, and its link to the entry before it."""

    checked: int
    unsealed: int
    broken_seq: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


_ROW_FIELDS = ("id", "seq", "prev_hash", "entry_hash", *HASHED_FIELDS)


def _link_problem(row: dict[str, Any], before: str | None) -> str:
    if before is None:
        return _("the entry before it (position %(seq)s) is missing") % {"seq": row["seq"] - 1}
    if row["prev_hash"] != before:
        return _("it does not follow the entry before it (the previous-entry hash differs)")
    if entry_hash_compute(row, seq=row["seq"], prev_hash=before) != row["entry_hash"]:
        return _("its content no longer matches its hash: the entry was changed")
    return ""


def record_chain_check(events: Iterable[AuditEvent]) -> ChainCheck:
    """Read the record's events again now and check each sealed one against the chain."""
    ids = [event.pk for event in events]
    rows = list(
        AuditEvent.objects.filter(pk__in=ids, seq__isnull=False)
        .order_by("seq")
        .values(*_ROW_FIELDS)
    )
    unsealed = AuditEvent.objects.filter(pk__in=ids, seq__isnull=True).count()
    wanted = {row["seq"] - 1 for row in rows}
    hashes = dict(AuditEvent.objects.filter(seq__in=wanted).values_list("seq", "entry_hash"))
    hashes[0] = GENESIS_HASH
    for checked, row in enumerate(rows):
        problem = _link_problem(row, hashes.get(row["seq"] - 1))
        if problem:
            text = _("entry %(seq)s: %(problem)s") % {"seq": row["seq"], "problem": problem}
            return ChainCheck(checked, unsealed, row["seq"], text)
    return ChainCheck(len(rows), unsealed)


# --- traces ----------------------------------------------------------------------------------


@dataclass
class Trace:
    """Everything an auditor needs to follow one record's decisions, in time order."""

    programme: str
    programme_label: str
    record: Any
    reference: str
    company: Company
    round: str
    status: str
    facts: list[tuple[str, str]]
    entries: list[TraceEntry]
    letters: list[LetterRow]
    documents: list[DocumentRow]
    events: list[AuditEvent]
    changes_recorded: bool


Subjects = dict[str, set[str]]  # subject type → ids, as audit events name them


def _add(subjects: Subjects, model: type[models.Model], ids: Iterable[Any]) -> None:
    subjects[model._meta.label_lower].update(str(pk) for pk in ids)


def _users(ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {pk for pk in ids if isinstance(pk, int)}
    return {user.pk: person(user) for user in get_user_model().objects.filter(pk__in=wanted)}


def _letter_rows(subject: models.Model, extra_ids: Iterable[int] = ()) -> list[LetterRow]:
    letters = Letter.objects.filter(
        Q(subject_type=subject._meta.label_lower, subject_id=str(subject.pk))
        | Q(pk__in=[pk for pk in extra_ids if pk])
    ).order_by("fiscal_year", "number", "version", "pk")
    return [
        LetterRow(
            pk=letter.pk,
            number=letter.number_text,
            kind=letter.get_kind_display(),
            version=letter.version,
            status=letter.get_status_display(),
            issued=letter.status == Letter.Status.ISSUED,
            sha256=letter.sha256,
            size=letter.size,
            language=letter.language,
            created_at=letter.created_at,
            issued_at=letter.issued_at,
            decision_id=(letter.context or {}).get("decision_id"),
        )
        for letter in letters
    ]


def _document_rows(documents: QuerySet, kind: Callable[[Any], str]) -> dict[int, DocumentRow]:
    """Each uploaded file by id: ``kind(document)`` names what it is."""
    return {
        document.pk: DocumentRow(
            kind=kind(document),
            name=document.original_name,
            size=document.size,
            sha256=document.sha256,
            uploaded_by=person(document.uploaded_by),
            uploaded_at=document.uploaded_at,
        )
        for document in documents.select_related("uploaded_by").order_by("uploaded_at", "pk")
    }


def _review(record: Any, subjects: Subjects, lookups: Lookups) -> list[int]:
    """The committee's side of the record: its items, their reviewers' scores and recusals, the
    committee's decisions and the conflicts declared against the company. Returns the ids of
    the committees that reviewed it."""
    items = list(
        ReviewItem.objects.filter(
            content_type__app_label=record._meta.app_label,
            content_type__model=record._meta.model_name,
            object_id=record.pk,
        ).values_list("pk", "panel_id")
    )
    item_ids = [pk for pk, _panel in items]
    panel_ids = sorted({panel for _pk, panel in items})
    _add(subjects, ReviewItem, item_ids)
    _add(subjects, ReviewPanel, panel_ids)
    assignments = ReviewAssignment.objects.filter(item_id__in=item_ids).prefetch_related(
        Prefetch("scores", Score.objects.select_related("criterion"))
    )
    lookups.assignments = {assignment.pk: assignment for assignment in assignments}
    for entry in CommitteeDecisionEntry.objects.filter(item_id__in=item_ids).order_by("rank"):
        lookups.committee.setdefault(entry.decision_id, []).append(entry)
    lookups.approval_notes = dict(
        CommitteeDecision.objects.filter(panel_id__in=panel_ids).values_list("pk", "approval_note")
    )
    names = Q(company_id=record.company_id)
    if record.company.corporate_number:
        names |= Q(corporate_number=record.company.corporate_number)
    conflicts = ConflictOfInterest.objects.filter(names).filter(
        Q(panel__isnull=True) | Q(panel_id__in=panel_ids)
    )
    _add(subjects, ConflictOfInterest, conflicts.values_list("pk", flat=True))
    return panel_ids


def _tasks(record: Any, panel_ids: list[int]) -> list[TraceEntry]:
    """The people's steps of the record's workflow, and of its committees' decisions."""
    processes = Q(
        process__in=Process.objects.filter(**process_of_subjects(type(record), [record.pk]))
    )
    if panel_ids:
        processes |= Q(
            process__in=CommitteeProcess.objects.filter(
                **process_of_subjects(ReviewPanel, panel_ids)
            )
        )
    tasks = Task.objects.filter(processes, flow_task_type="HUMAN").select_related("owner")
    return [task_entry(task) for task in tasks.order_by("pk")]


def _changes(records: Iterable[models.Model]) -> list[TraceEntry]:
    changes = [change for record in records for change in changes_for(record)]
    return [change_entry(change, index) for index, change in enumerate(changes)]


def _trace(
    programme: str,
    record: Any,
    subjects: Subjects,
    lookups: Lookups,
    *,
    round_name: str,
    facts: list[tuple[str, str]],
    letters: list[LetterRow],
    documents: list[DocumentRow],
    panel_ids: list[int],
    changed: Iterable[models.Model],
    events: list[AuditEvent] | None = None,
) -> Trace:
    """``events`` when the record's own selector gathered them, else those of ``subjects``."""
    events = list(events_about(subjects)) if events is None else events
    user_ids = [event.data.get("reviewer") for event in events]
    user_ids += [assignment.reviewer_id for assignment in lookups.assignments.values()]
    user_ids += [
        pk
        for decisions in lookups.decisions.values()
        for decision in decisions
        for pk in (decision.prepared_by_id, decision.decided_by_id)
    ]
    lookups.users = _users(user_ids)
    lookups.letters = {letter.pk: letter for letter in letters}
    entries = [event_entry(event, lookups) for event in events]
    entries += _tasks(record, panel_ids)
    recorded = recording_enabled()
    if recorded:
        entries += _changes(changed)
    return Trace(
        programme=programme,
        programme_label=str(PROGRAMMES[programme]),
        record=record,
        reference=record.reference,
        company=record.company,
        round=round_name,
        status=record.get_status_display(),
        facts=facts,
        entries=entries_sorted(entries),
        letters=letters,
        documents=documents,
        events=events,
        changes_recorded=recorded,
    )


def _fact(label: Any, value: Any) -> tuple[str, str]:
    """A fact of the record's table; a date as the page's language writes it."""
    if isinstance(value, dt.date):
        value = when(value)
    return str(label), "-" if value in (None, "") else str(value)


def _company_facts(company: Company) -> list[tuple[str, str]]:
    return [
        _fact(_("Company"), company.name),
        _fact(_("Corporate number (法人番号)"), company.corporate_number),
    ]


def _application_facts(
    application: Application, payment: Payment | None, revocations: list[Revocation]
) -> list[tuple[str, str]]:
    facts = [
        *_company_facts(application.company),
        _fact(_("Requested amount"), yen(application.requested_amount)),
        _fact(_("Granted amount"), yen(application.decided_amount)),
        _fact(_("Grant decision date"), application.decided_on),
        _fact(_("Confirmed amount"), yen(application.confirmed_amount)),
        _fact(
            _("Paid"),
            f"{yen(payment.amount)} ({jst(payment.released_at)})" if payment else None,
        ),
    ]
    for revocation in revocations:
        facts.append(
            _fact(
                _("Revocation"),
                _("%(status)s: %(revoked)s revoked, %(repay)s to repay, %(repaid)s repaid")
                % {
                    "status": revocation.get_status_display(),
                    "revoked": yen(revocation.revoked_amount),
                    "repay": yen(revocation.repayment_amount),
                    "repaid": yen(sum(receipt.amount for receipt in revocation.receipts.all())),
                },
            )
        )
    return facts


def application_trace(application_id: int) -> Trace:
    """The whole trace of a subsidy application: its trail as the API gives it (its own
    events and those of its payment claim, the account and batches that paid it) with its
    revocations and any committee review. Raises Application.DoesNotExist."""
    application = Application.objects.select_related("round", "company").get(pk=application_id)
    subjects: Subjects = defaultdict(set)  # besides the application's payment trail
    payable = Payable.objects.filter(application=application).first()
    revocations = list(
        Revocation.objects.filter(application=application)
        .prefetch_related("receipts")
        .order_by("pk")
    )
    _add(subjects, Revocation, [revocation.pk for revocation in revocations])
    lookups = Lookups(revocations={revocation.pk: revocation for revocation in revocations})
    for decision in Decision.objects.filter(application=application).order_by("decided_at", "pk"):
        lookups.decisions.setdefault(decision.kind, []).append(decision)
    documents = application.documents.select_related("document_type")
    lookups.documents = _document_rows(documents, lambda d: d.document_type.name)
    panel_ids = _review(application, subjects, lookups)
    payment = Payment.objects.filter(application=application).first()
    return _trace(
        SUBSIDY,
        application,
        subjects,
        lookups,
        events=application_trail(application.pk, also=subjects),
        round_name=application.round.name,
        facts=_application_facts(application, payment, revocations),
        letters=_letter_rows(application, [revocation.letter_id for revocation in revocations]),
        documents=list(lookups.documents.values()),
        panel_ids=panel_ids,
        changed=[
            application,
            *application.training_lines.all(),
            *application.documents.all(),
            *(decision for decisions in lookups.decisions.values() for decision in decisions),
            *application.actual_costs.all(),
            *([payable] if payable else []),
            *revocations,
        ],
    )


def declaration_trace(declaration_id: int) -> Trace:
    """The whole trace of a promotion declaration. Raises Declaration.DoesNotExist."""
    declaration = Declaration.objects.select_related("company", "registered_by").get(
        pk=declaration_id
    )
    subjects: Subjects = defaultdict(set)
    _add(subjects, Declaration, [declaration.pk])
    facts = [
        *_company_facts(declaration.company),
        _fact(_("Registration number"), declaration.registration_number),
        _fact(_("Fiscal year of registration"), declaration.fiscal_year),
        _fact(
            _("Declared period"),
            f"{when(declaration.period_start)} – {when(declaration.period_end)}",
        ),
        _fact(
            _("Registered"),
            f"{jst(declaration.registered_at)} {person(declaration.registered_by)}"
            if declaration.registered_at
            else None,
        ),
        _fact(_("Consent to publication"), _("yes") if declaration.publish_consent else _("no")),
    ]
    return _trace(
        DECLARATION,
        declaration,
        subjects,
        Lookups(),
        round_name=_round_name(DECLARATION, declaration),
        facts=facts,
        letters=_letter_rows(declaration),
        documents=[],
        panel_ids=[],
        changed=[declaration],
    )


def nomination_trace(nomination_id: int) -> Trace:
    """The whole trace of an award nomination, with its committee's scores, recusals and
    decision. Raises Nomination.DoesNotExist."""
    nomination = Nomination.objects.select_related(
        "round", "company", "nominating_company", "nominated_by", "consent_given_by"
    ).get(pk=nomination_id)
    subjects: Subjects = defaultdict(set)
    _add(subjects, Nomination, [nomination.pk])
    lookups = Lookups()
    documents = NominationDocument.objects.filter(nomination=nomination)
    lookups.documents = _document_rows(documents, lambda d: d.description or _("document"))
    panel_ids = _review(nomination, subjects, lookups)
    cited = nomination.cited_applications.select_related("round")
    facts = [
        *_company_facts(nomination.company),
        _fact(
            _("Nominated by"),
            " ".join(
                filter(
                    None,
                    [nomination.get_nominator_kind_display(), nomination.nominator_organisation],
                )
            ),
        ),
        _fact(_("Nominating organisation"), nomination.nominating_company.name),
        _fact(
            _("Consent"),
            f"{jst(nomination.consent_at)} {person(nomination.consent_given_by)}"
            if nomination.consent_at
            else None,
        ),
        _fact(_("Selection decided on"), nomination.concluded_on),
        _fact(_("Commended on"), nomination.commended_on),
        _fact(_("Completed subsidies cited"), ", ".join(a.reference for a in cited)),
    ]
    return _trace(
        AWARD,
        nomination,
        subjects,
        lookups,
        round_name=nomination.round.name,
        facts=facts,
        letters=_letter_rows(nomination),
        documents=list(lookups.documents.values()),
        panel_ids=panel_ids,
        changed=[
            nomination,
            *lookups.assignments.values(),
            *(
                score
                for assignment in lookups.assignments.values()
                for score in assignment.scores.all()
            ),
        ],
    )


TRACES = {SUBSIDY: application_trace, DECLARATION: declaration_trace, AWARD: nomination_trace}


# --- the audit log of a period -------------------------------------------------------------


def period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the first moment of ``start`` to just before the day after ``end``, in Japan."""
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=JST),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=JST),
    )


def log_events(*, start: dt.date, end: dt.date) -> QuerySet[AuditEvent]:
    """Every audit event that occurred from ``start`` to ``end`` inclusive (Japan's days), in
    chain order; events not sealed yet come last, in the order they were written."""
    since, until = period_bounds(start, end)
    return (
        AuditEvent.objects.filter(occurred_at__gte=since, occurred_at__lt=until)
        .select_related("actor")
        .order_by(F("seq").asc(nulls_last=True), "id")
    )
