"""The payment batch's policy: the four eyes are said once (payments.policy); the service refuses
what it refuses, and the finance page and the API show the same answer."""

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from payments import policy, services
from payments.exceptions import SamePersonReleases

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(payable, finance_team, transfer_day):
    return services.batch_prepare(
        by=finance_team.preparer, transfer_date=transfer_day, payable_ids=[payable.pk]
    )


def test_the_preparer_may_not_release_and_the_service_agrees(batch, finance_team, people):
    refused = policy.batch_actions(finance_team.preparer, batch)[policy.RELEASE]
    assert not refused and refused.error is SamePersonReleases
    with pytest.raises(SamePersonReleases) as raised:
        services.batch_release(batch_id=batch.pk, by=finance_team.preparer)
    assert str(raised.value.message) == str(refused.reason)

    assert policy.batch_actions(finance_team.releaser, batch)[policy.RELEASE]
    staff = policy.batch_actions(people.staff, batch)
    assert not any(staff.values())  # no finance role: nothing at all


def test_the_batch_page_and_the_api_show_the_policy(batch, finance_team, client):
    client.force_login(finance_team.preparer)
    page = client.get(f"/finance/batches/{batch.pk}/")
    assert not page.context["can_release"] and page.context["can_cancel"]
    with translation.override("ja"):
        reason = str(policy.release_allowed(finance_team.preparer, batch).reason)
    assert reason in page.content.decode()

    api = APIClient()
    api.force_authenticate(finance_team.releaser)
    actions = api.get(f"/api/payment-batches/{batch.pk}/").json()["actions"]
    assert actions["release"] == {"allowed": True, "reason": ""}
    assert actions["reconcile"]["allowed"] is False and actions["reconcile"]["reason"]
