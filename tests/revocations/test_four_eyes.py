"""Four eyes: whoever prepared a revocation never decides it, in the service and in the database."""

import pytest
from django.db import IntegrityError, connection, transaction

from applications.models import Application
from core.errors import NotAllowed
from revocations import services
from revocations.exceptions import SamePersonDecides
from revocations.models import Revocation

from .conftest import GRANTED_AMOUNT, REASON

pytestmark = pytest.mark.django_db


def test_preparer_holding_the_approver_role_cannot_decide(paid, chief, people, deadline):
    prepared = services.revocation_prepare(
        application_id=paid.pk,
        by=chief,
        reason=REASON,
        revoked_amount=GRANTED_AMOUNT,
        repayment_deadline=deadline,
    )

    with pytest.raises(SamePersonDecides):
        services.revocation_decide(revocation_id=prepared.pk, by=chief)

    prepared.refresh_from_db()
    assert prepared.status == Revocation.Status.PREPARED
    assert Application.objects.get(pk=paid.pk).status == Application.Status.PAID
    decided = services.revocation_decide(revocation_id=prepared.pk, by=people.approver)
    assert decided.decided_by == people.approver


def test_raw_update_making_the_decider_the_preparer_violates_the_constraint(ordered):
    table = Revocation._meta.db_table

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET decided_by_id = prepared_by_id WHERE id = %s",  # noqa: S608
            [ordered.pk],
        )

    ordered.refresh_from_db()
    assert ordered.decided_by_id != ordered.prepared_by_id


def test_raw_update_marking_a_revocation_ordered_without_a_decider_is_refused(paid, people):
    prepared = services.revocation_prepare(
        application_id=paid.pk,
        by=people.staff,
        reason=REASON,
        revoked_amount=GRANTED_AMOUNT,
        repayment_deadline=paid.round.results_report_deadline,
    )
    table = Revocation._meta.db_table

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = 'ordered' WHERE id = %s",  # noqa: S608
            [prepared.pk],
        )


@pytest.mark.parametrize("who", ["applicant", "finance", "staff", "auditor"])
def test_only_an_approver_decides(paid, people, deadline, who):
    prepared = services.revocation_prepare(
        application_id=paid.pk,
        by=people.staff2,
        reason=REASON,
        revoked_amount=GRANTED_AMOUNT,
        repayment_deadline=deadline,
    )

    with pytest.raises(NotAllowed):
        services.revocation_decide(revocation_id=prepared.pk, by=getattr(people, who))

    assert Application.objects.get(pk=paid.pk).status == Application.Status.PAID


@pytest.mark.parametrize("who", ["applicant", "finance", "approver"])
def test_only_programme_staff_prepare(paid, people, deadline, who):
    with pytest.raises(NotAllowed):
        services.revocation_prepare(
            application_id=paid.pk,
            by=getattr(people, who),
            reason=REASON,
            revoked_amount=GRANTED_AMOUNT,
            repayment_deadline=deadline,
        )
    assert not Revocation.objects.exists()


def test_applicant_cannot_cancel_a_prepared_revocation(paid, people, deadline):
    prepared = services.revocation_prepare(
        application_id=paid.pk,
        by=people.staff,
        reason=REASON,
        revoked_amount=GRANTED_AMOUNT,
        repayment_deadline=deadline,
    )

    with pytest.raises(NotAllowed):
        services.revocation_cancel(revocation_id=prepared.pk, by=people.applicant, reason="x")
