"""Revoking a grant: a new decision that refers to the original, its notice, its notifications."""

from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from pypdf import PdfReader

from applications.models import Application, Decision
from audit.models import AuditEvent
from core.dates import wareki
from core.errors import InvalidState, ValidationFailed
from fixtures.demo import advance
from fixtures.payments import pay_by_bank_transfer
from letters.models import Letter
from notifications.models import Notification
from revocations import services
from revocations.models import Revocation
from revocations.selectors import repayment_due, revocations_outstanding

from .conftest import GRANTED_AMOUNT, REASON

pytestmark = pytest.mark.django_db


def pdf_text(letter):
    letter.refresh_from_db()
    with letter.file.open("rb") as handle:
        return "".join(page.extract_text() for page in PdfReader(handle).pages)


def test_revoke_paid_application_orders_repayment_and_leaves_the_grant_decision_alone(
    paid, people, deadline, transfer_day, run_on_commit
):
    grant = Decision.objects.get(application=paid, kind=Decision.Kind.GRANT)
    before = model_to_dict(grant) | {"decided_at": grant.decided_at}
    decisions_before = Decision.objects.filter(application=paid).count()

    prepared = services.revocation_prepare(
        application_id=paid.pk,
        by=people.staff,
        reason=REASON,
        revoked_amount=GRANTED_AMOUNT,
        repayment_deadline=deadline,
    )
    revocation = run_on_commit(
        services.revocation_decide, revocation_id=prepared.pk, by=people.approver
    )

    revocation.refresh_from_db()
    assert revocation.original_id == grant.pk
    assert revocation.status == Revocation.Status.ORDERED
    assert revocation.repayment_amount == GRANTED_AMOUNT
    assert revocation.interest_from == transfer_day
    assert revocation.interest_percent == Decimal("10.95")
    assert revocation.legal_basis == paid.round.legal_basis
    assert (revocation.prepared_by, revocation.decided_by) == (people.staff, people.approver)
    grant.refresh_from_db()
    assert model_to_dict(grant) | {"decided_at": grant.decided_at} == before
    assert Decision.objects.filter(application=paid).count() == decisions_before
    assert Application.objects.get(pk=paid.pk).status == Application.Status.REVOKED
    assert AuditEvent.objects.filter(
        subject_type="applications.application",
        subject_id=str(paid.pk),
        action="revoke",
        from_status="paid",
        to_status="revoked",
        actor=people.approver,
    ).exists()


def test_revocation_notice_cites_the_grant_and_states_the_repayment(ordered, people, deadline):
    letter = ordered.letter
    grant_letter = Letter.objects.get(kind=Letter.Kind.GRANT_DECISION)

    assert letter.kind == Letter.Kind.REVOCATION
    assert letter.number == 4  # after grant, amount confirmation and payment notices
    text = pdf_text(letter)
    assert letter.status == Letter.Status.ISSUED
    assert "補助金交付決定取消通知書兼返還命令書" in text
    assert grant_letter.number_text in text  # 産人第1号, the decision revoked
    assert "金187,000円" in text
    assert "年10.95パーセント" in text
    assert wareki(deadline) in text
    assert REASON in text
    assert "審査請求" in text  # an adverse decision tells the company how to appeal


def test_company_members_are_told_by_legally_required_notice(ordered, people):
    to_company = Notification.objects.filter(kind="revocation_decided")

    assert {n.recipient for n in to_company} == {people.applicant, people.colleague}
    assert all(n.legally_required for n in to_company)
    english = to_company.get(recipient=people.colleague)
    assert "revoked" in english.subject
    assert "repay 187,000 yen" in english.body
    assert "10.95%" in english.body
    to_finance = Notification.objects.filter(kind="repayment_ordered")
    assert {n.recipient for n in to_finance} == {people.finance, people.finance2}


def test_revoke_granted_application_before_payment_orders_no_repayment(
    granted, people, run_on_commit
):
    prepared = services.revocation_prepare(
        application_id=granted.pk, by=people.staff, reason=REASON, revoked_amount=GRANTED_AMOUNT
    )
    revocation = run_on_commit(
        services.revocation_decide, revocation_id=prepared.pk, by=people.approver
    )

    revocation.refresh_from_db()
    assert revocation.status == Revocation.Status.SETTLED
    assert (revocation.paid_amount, revocation.repayment_amount) == (0, 0)
    assert revocation.interest_from is None
    assert revocation.repayment_deadline is None
    assert Application.objects.get(pk=granted.pk).status == Application.Status.REVOKED
    text = pdf_text(revocation.letter)
    assert "補助金交付決定取消通知書" in text
    assert "返還" not in text
    assert "金187,000円" in text
    assert Notification.objects.filter(kind="revocation_decided").count() == 2
    assert not Notification.objects.filter(kind="repayment_ordered").exists()
    assert repayment_due(revocation, granted.round.results_report_deadline)["total"] == 0
    assert revocation not in revocations_outstanding()


def test_before_payment_only_the_whole_grant_can_be_revoked(granted, people):
    with pytest.raises(ValidationFailed) as refused:
        services.revocation_prepare(
            application_id=granted.pk, by=people.staff, reason=REASON, revoked_amount=100_000
        )
    assert refused.value.field == "revoked_amount"


def test_partial_revocation_after_payment_orders_that_part_repaid(
    paid, people, deadline, run_on_commit
):
    prepared = services.revocation_prepare(
        application_id=paid.pk,
        by=people.staff,
        reason=REASON,
        revoked_amount=50_000,
        repayment_deadline=deadline,
    )
    revocation = run_on_commit(
        services.revocation_decide, revocation_id=prepared.pk, by=people.approver
    )

    assert revocation.repayment_amount == 50_000
    assert revocation.paid_amount == GRANTED_AMOUNT
    assert "金50,000円" in pdf_text(revocation.letter)


def test_prepare_refuses_bad_amounts_missing_reason_or_deadline(paid, people, deadline):
    def prepare(**overrides):
        values = {
            "application_id": paid.pk,
            "by": people.staff,
            "reason": REASON,
            "revoked_amount": GRANTED_AMOUNT,
            "repayment_deadline": deadline,
        }
        return services.revocation_prepare(**(values | overrides))

    for amount in (GRANTED_AMOUNT + 1, 0, -1, 1.5):
        with pytest.raises(ValidationFailed) as refused:
            prepare(revoked_amount=amount)
        assert refused.value.field == "revoked_amount"
    with pytest.raises(ValidationFailed) as refused:
        prepare(reason="  ")
    assert refused.value.field == "reason"
    with pytest.raises(ValidationFailed) as refused:
        prepare(repayment_deadline=None)
    assert refused.value.field == "repayment_deadline"
    assert not Revocation.objects.exists()


def test_one_revocation_at_a_time_and_a_cancelled_one_makes_room(paid, people, deadline):
    args = {
        "application_id": paid.pk,
        "reason": REASON,
        "revoked_amount": GRANTED_AMOUNT,
        "repayment_deadline": deadline,
    }
    first = services.revocation_prepare(by=people.staff, **args)
    with pytest.raises(InvalidState):
        services.revocation_prepare(by=people.staff2, **args)

    services.revocation_cancel(revocation_id=first.pk, by=people.approver, reason="証拠再確認")
    second = services.revocation_prepare(by=people.staff2, **args)

    first.refresh_from_db()
    assert first.status == Revocation.Status.CANCELLED
    assert second.status == Revocation.Status.PREPARED
    with pytest.raises(InvalidState):
        services.revocation_decide(revocation_id=first.pk, by=people.approver)


def test_application_without_a_grant_cannot_be_revoked(draft, people, run_on_commit):
    submitted = run_on_commit(advance, draft, "decision_pending", vars(people))

    with pytest.raises(InvalidState):
        services.revocation_prepare(
            application_id=submitted.pk, by=people.staff, reason=REASON, revoked_amount=1
        )


def test_decide_refuses_when_the_application_was_paid_after_preparation(
    draft, people, run_on_commit
):
    confirmed = run_on_commit(advance, draft, "confirmed", vars(people))
    prepared = services.revocation_prepare(
        application_id=confirmed.pk, by=people.staff, reason=REASON, revoked_amount=GRANTED_AMOUNT
    )
    assert prepared.repayment_amount == 0
    run_on_commit(
        pay_by_bank_transfer,
        confirmed,
        applicant=people.applicant,
        preparer=people.finance,
        releaser=people.finance2,
    )

    with pytest.raises(InvalidState):
        services.revocation_decide(revocation_id=prepared.pk, by=people.approver)

    assert Application.objects.get(pk=confirmed.pk).status == Application.Status.PAID
