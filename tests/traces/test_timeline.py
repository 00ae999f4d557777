"""A record's trace tells its whole story in time order: who did what in which role and why,
the documents and letters with the SHA-256 of the stored files, the scores and recusals of the
committee, the amounts, the workflow steps and each event's place in the hash chain."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.utils import translation

from applications.models import Application, Decision
from audit.models import AuditEvent
from letters.models import Letter
from payments.models import PaymentBatch
from traces.selectors import (
    application_trace,
    declaration_trace,
    nomination_trace,
    record_chain_check,
)

from .helpers import RECUSAL_REASON, browser

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def stored_sha256(field_file) -> str:
    with field_file.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def entries(trace, action: str) -> list:
    return [entry for entry in trace.entries if entry.action == action]


def only(trace, action: str):
    found = entries(trace, action)
    assert len(found) == 1, [entry.action for entry in trace.entries]
    return found[0]


@pytest.fixture
def named(people):
    people.approver.first_name, people.approver.last_name = "Hanako", "Shonin"
    people.approver.save(update_fields=["first_name", "last_name"])
    return people


# --- a subsidy application ------------------------------------------------------------------


def test_application_trace_grant_names_approver_role_amount_and_letter_hash(paid, named):
    trace = application_trace(paid.pk)

    grant = only(trace, "grant decision")
    letter = Letter.objects.get(subject_id=str(paid.pk), kind=Letter.Kind.GRANT_DECISION, version=1)
    assert grant.actor == "Hanako Shonin (approver)"
    assert grant.role == "approver"
    assert grant.status == "awaiting grant decision → granted"
    assert "grant decision (交付決定): ¥187,000" in grant.details
    assert "Prepared by staff, decided by Hanako Shonin (approver)" in grant.details
    assert letter.sha256 == stored_sha256(letter.file)
    assert [(digest.sha256, digest.letter_id) for digest in grant.digests] == [
        (letter.sha256, letter.pk)
    ]


def test_application_trace_every_issued_letter_with_the_hash_of_its_file(paid, people):
    trace = application_trace(paid.pk)

    letters = Letter.objects.filter(subject_type="applications.application", subject_id=paid.pk)
    issued = only_digests(entries(trace, "letter issued"))
    assert sorted(issued) == sorted(stored_sha256(letter.file) for letter in letters)
    assert {letter.kind for letter in letters} == {
        "grant_decision",
        "amount_confirmation",
        "payment_notice",
    }
    assert [(row.number, row.sha256) for row in trace.letters] == [
        (letter.number_text, letter.sha256) for letter in letters.order_by("number")
    ]


def only_digests(found) -> list[str]:
    return [digest.sha256 for entry in found for digest in entry.digests]


def test_application_trace_documents_with_hash_size_and_uploader(paid):
    trace = application_trace(paid.pk)

    documents = list(paid.documents.order_by("pk"))
    uploads = entries(trace, "upload document")
    assert only_digests(uploads) == [stored_sha256(document.file) for document in documents]
    assert [(row.name, row.size, row.sha256, row.uploaded_by) for row in trace.documents] == [
        (d.original_name, d.file.size, d.sha256, "applicant") for d in documents
    ]
    assert all(entry.actor == "applicant" and entry.role == "applicant" for entry in uploads)


def test_application_trace_amounts_from_request_to_payment(paid):
    trace = application_trace(paid.pk)

    confirmation = Decision.objects.get(application=paid, kind=Decision.Kind.AMOUNT_CONFIRMATION)
    assert "amount confirmation (額の確定): ¥187,000" in only(trace, "confirm amount").details
    assert confirmation.amount == 187_000
    assert "amount: ¥187,000" in only(trace, "bank reported the transfer paid").details
    facts = dict(trace.facts)
    assert facts["Requested amount"] == "¥187,000"
    assert facts["Granted amount"] == "¥187,000"
    assert facts["Confirmed amount"] == "¥187,000"
    assert facts["Paid"].startswith("¥187,000")


def test_application_trace_shows_who_moved_the_money(paid):
    trace = application_trace(paid.pk)

    batch = PaymentBatch.objects.get()
    release = only(trace, "release payment batch")
    assert (release.actor, release.role) == ("finance2", "finance")
    assert only(trace, "prepare payment batch").actor == "finance"
    bank_file = only(trace, "build bank transfer file")
    assert [digest.sha256 for digest in bank_file.digests] == [batch.file_sha256]
    assert batch.file_sha256 == stored_sha256(batch.file)


def test_application_trace_is_in_time_order(paid):
    trace = application_trace(paid.pk)

    times = [entry.at for entry in trace.entries]
    assert times == sorted(times)
    actions = [entry.action for entry in trace.entries if entry.source == "event"]
    milestones = [
        "submit",
        "accept documents",
        "record screening",
        "grant decision",
        "report results",
        "accept results report",
        "confirm amount",
        "claim payment",
        "prepare payment batch",
        "release payment batch",
        "bank reported the transfer paid",
        "import bank results",
    ]
    assert [action for action in actions if action in milestones] == milestones


def test_application_trace_screening_gives_its_reason(paid):
    trace = application_trace(paid.pk)

    screening = only(trace, "record screening")
    assert (screening.actor, screening.role) == ("staff", "programme staff")
    assert screening.reason == "研修計画は要綱の対象経費に該当し、生産性向上の見込みがある"
    assert "Eligible: yes; recommendation: grant; amount ¥187,000" in screening.details


def test_application_trace_workflow_steps_name_who_did_them(paid):
    trace = application_trace(paid.pk)

    steps = [entry for entry in trace.entries if entry.source == "task"]
    assert [step.actor for step in steps] == ["staff", "staff", "approver", "staff2", "approver"]
    assert all(step.action.startswith("Workflow step: ") for step in steps)
    assert all(step.status == "Done" for step in steps)


def test_application_trace_events_carry_their_chain_position_and_hash(paid):
    trace = application_trace(paid.pk)

    stored = {
        event.seq: event.entry_hash
        for event in AuditEvent.objects.filter(pk__in=[event.pk for event in trace.events])
    }
    shown = {entry.seq: entry.entry_hash for entry in trace.entries if entry.source == "event"}
    assert shown == stored
    assert None not in shown and all(len(value) == 64 for value in shown.values())


def test_application_trace_includes_the_payment_records_events(paid):
    trace = application_trace(paid.pk)

    subjects = {event.subject_type for event in trace.events}
    assert subjects == {
        "applications.application",
        "payments.payable",
        "payments.payeeaccount",
        "payments.paymentbatch",
    }


def test_application_trace_of_another_application_shares_none_of_its_events(
    paid, subsidy_round, people, committed
):
    from fixtures.demo import draft_create

    other = committed(draft_create, subsidy_round, people.other_applicant)

    mine = {event.pk for event in application_trace(paid.pk).events}
    theirs = {event.pk for event in application_trace(other.pk).events}
    assert theirs and not (mine & theirs)


def test_application_trace_shows_a_revocation_and_its_repayment_order(paid, people, committed):
    from core.dates import today_jst
    from revocations import services as revocations

    def revoke():
        revocation = revocations.revocation_prepare(
            application_id=paid.pk,
            by=people.staff,
            reason="受講時間の要件を満たしていない",
            revoked_amount=187_000,
            repayment_deadline=today_jst() + dt.timedelta(days=30),
        )
        return revocations.revocation_decide(revocation_id=revocation.pk, by=people.approver2)

    revocation = committed(revoke)

    trace = application_trace(paid.pk)
    decided = only(trace, "decide revocation")
    assert (decided.actor, decided.role) == ("approver2", "approver")
    assert decided.reason == "受講時間の要件を満たしていない"
    assert "amount to repay: ¥187,000" in decided.details
    notice = Letter.objects.get(pk=revocation.letter_id)
    assert [digest.sha256 for digest in decided.digests] == [stored_sha256(notice.file)]
    assert dict(trace.facts)["Revocation"] == (
        "repayment ordered: ¥187,000 revoked, ¥187,000 to repay, ¥0 repaid"
    )
    assert only(trace, "revoke grant decision").status == "paid → grant revoked"


# --- the hash chain -------------------------------------------------------------------------


def tamper(sql: str, params: list) -> None:
    """Change the audit log behind the application's back, as someone with database access
    could: on PostgreSQL that takes switching the append-only trigger off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def test_record_chain_check_passes_on_an_untouched_log(paid):
    events = application_trace(paid.pk).events

    check = record_chain_check(events)

    assert check.ok
    assert check.checked == len(events) > 20
    assert check.unsealed == 0


def test_record_chain_check_names_an_edited_event(paid):
    grant = AuditEvent.objects.get(action="grant", subject_id=str(paid.pk))
    tamper("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["後から書き換え", grant.pk])

    check = record_chain_check(application_trace(paid.pk).events)

    assert not check.ok
    assert check.broken_seq == grant.seq
    assert "changed" in check.problem


def test_record_chain_check_names_an_event_whose_predecessor_was_deleted(paid):
    grant = AuditEvent.objects.get(action="grant", subject_id=str(paid.pk))
    tamper("DELETE FROM audit_auditevent WHERE seq = %s", [grant.seq - 1])

    check = record_chain_check(application_trace(paid.pk).events)

    assert not check.ok
    assert check.broken_seq == grant.seq
    assert "missing" in check.problem


def test_trace_page_shows_a_broken_chain(paid, people):
    grant = AuditEvent.objects.get(action="grant", subject_id=str(paid.pk))
    tamper("UPDATE audit_auditevent SET data = %s WHERE id = %s", ['{"amount": 1}', grant.pk])

    page = browser(people.auditor).get(f"/audit/applications/{paid.pk}/")

    assert 'data-testid="chain-broken"' in page.content.decode()
    assert f"entry {grant.seq}" in page.content.decode()


# --- an award nomination --------------------------------------------------------------------


def test_nomination_trace_shows_the_recusal_with_its_reason_and_replacement(commended):
    trace = nomination_trace(commended.nomination.pk)

    recusal = only(trace, "reviewer recused")
    reviewer = commended.recused.reviewer.username
    assert (recusal.actor, recusal.role, recusal.reason) == (
        reviewer,
        "committee reviewer",
        RECUSAL_REASON,
    )
    assert recusal.status == "to score → recused"
    replacement = [entry for entry in entries(trace, "assign reviewer") if len(entry.details) == 2]
    assert len(replacement) == 1
    assert replacement[0].details[1] == f"Replaces {reviewer}, who recused"
    assert recusal.at < replacement[0].at


def test_nomination_trace_shows_every_reviewers_scores(commended):
    trace = nomination_trace(commended.nomination.pk)

    scores = entries(trace, "submit scores")
    assignments = commended.item.assignments.filter(status="submitted").order_by("pk")
    assert [(entry.actor, entry.details[0]) for entry in scores] == [
        (assignment.reviewer.username, f"Scores: initiative {value}, results 5")
        for value, assignment in enumerate(assignments, 3)
    ]
    assert commended.recused.reviewer.username not in {entry.actor for entry in scores}


def test_nomination_trace_shows_the_committee_decision_approval_and_letters(commended):
    trace = nomination_trace(commended.nomination.pk)

    decision = only(trace, "committee records its decision")
    assert (decision.actor, decision.reason) == ("staff2", "評点順")
    assert decision.details[0].startswith("Rank 1, weighted mean 4.5000")
    assert decision.details[0].endswith(": selected")
    approval = only(trace, "approve committee decision")
    assert (approval.actor, approval.role) == ("approver", "approver")
    letters = Letter.objects.filter(subject_type="awards.nomination")
    assert sorted(only_digests(entries(trace, "letter issued"))) == sorted(
        stored_sha256(letter.file) for letter in letters
    )
    ordered = [entry.action for entry in trace.entries if entry.source == "event"]
    assert ordered.index("reviewer recused") < ordered.index("submit scores")
    assert ordered.index("committee records its decision") < ordered.index(
        "approve committee decision"
    )
    assert ordered.index("approve committee decision") < ordered.index("select for the award")


def test_nomination_trace_documents_with_hashes(commended):
    trace = nomination_trace(commended.nomination.pk)

    document = commended.nomination.documents.get()
    assert [(row.name, row.sha256) for row in trace.documents] == [
        ("summary.pdf", stored_sha256(document.file))
    ]
    assert only_digests(entries(trace, "upload document")) == [document.sha256]


# --- a promotion declaration ----------------------------------------------------------------


def test_declaration_trace_shows_registration_and_certificate(registered):
    trace = declaration_trace(registered.pk)

    registration = only(trace, "register declaration")
    assert (registration.actor, registration.role) == ("staff", "programme staff")
    certificate = Letter.objects.get(subject_type="declarations.declaration")
    assert only_digests(entries(trace, "letter issued")) == [stored_sha256(certificate.file)]
    assert dict(trace.facts)["Registration number"] == registered.registration_number


def test_trace_notes_data_changes_only_where_they_are_not_recorded(paid, people):
    on_sqlite = connection.vendor == "sqlite"

    page = browser(people.auditor).get(f"/audit/applications/{paid.pk}/")

    assert application_trace(paid.pk).changes_recorded is not on_sqlite
    assert ('data-testid="changes-note"' in page.content.decode()) is on_sqlite


@pytest.mark.postgres
def test_trace_shows_data_changes_even_those_made_behind_the_services(paid):
    # given someone sets the confirmed amount by a bulk update, with no audit event
    Application.objects.filter(pk=paid.pk).update(confirmed_amount=1)

    trace = application_trace(paid.pk)

    assert trace.changes_recorded
    changes = [entry for entry in trace.entries if entry.source == "change"]
    # named as people call the table and the act (the test runs in English)
    model = f"subsidy application #{paid.pk}"
    edits = [
        entry
        for entry in changes
        if model in entry.action and entry.action.startswith("Data change (changed)")
    ]
    assert edits[-1].details == ("confirmed_amount: 187000 → 1",)
    granted = [entry for entry in edits if "status: decision_pending → granted" in entry.details]
    assert len(granted) == 1
    assert any(entry.action.startswith("Data change (added): decision") for entry in changes)
    assert any(entry.action.startswith("Data change (added): payable") for entry in changes)
