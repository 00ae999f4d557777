"""The revocation's policy (revocations.policy): four eyes on the decision said once; the
service refuses with its reason; the page and the API show it."""

import pytest
from rest_framework.test import APIClient

from revocations import policy, services
from revocations.exceptions import SamePersonDecides

pytestmark = pytest.mark.django_db


@pytest.fixture
def prepared(paid, people, deadline):
    return services.revocation_prepare(
        application_id=paid.pk,
        by=people.staff,
        reason="交付の条件に違反したため",
        revoked_amount=paid.confirmed_amount,
        repayment_deadline=deadline,
    )


def test_the_preparer_may_not_decide_and_the_service_agrees(prepared, people):
    mine = policy.revocation_actions(people.approver, prepared)
    assert mine[policy.CANCEL] and not mine[policy.RECORD]
    preparer = prepared.prepared_by
    decide = policy.revocation_actions(preparer, prepared)[policy.DECIDE]
    if preparer != people.approver:
        assert not decide  # staff prepare; they do not decide
    other = policy.revocation_actions(people.approver2, prepared)[policy.DECIDE]
    assert other, other.reason


def test_an_approver_who_prepared_is_refused_by_the_same_reason(prepared, people):
    from revocations.models import Revocation

    Revocation.objects.filter(pk=prepared.pk).update(prepared_by=people.approver)
    prepared.refresh_from_db()
    refused = policy.revocation_actions(people.approver, prepared)[policy.DECIDE]
    assert not refused and refused.error is SamePersonDecides
    with pytest.raises(SamePersonDecides) as raised:
        services.revocation_decide(revocation_id=prepared.pk, by=people.approver)
    assert str(raised.value.message) == str(refused.reason)

    api = APIClient()
    api.force_authenticate(people.approver)
    actions = api.get(f"/api/revocations/{prepared.pk}/").json()["actions"]
    assert actions["decide"]["allowed"] is False and actions["decide"]["reason"]
    assert actions["cancel"] == {"allowed": True, "reason": ""}
