"""The application's policy (applications.policy): answers come from the record's state machine
and the company it belongs to; the services refuse exactly what it refuses; the portal page and
the API show it."""

import pytest
from rest_framework.test import APIClient

from applications import policy
from applications import services as application_services
from core.errors import InvalidState, NotAllowed
from fixtures.demo import advance

pytestmark = pytest.mark.django_db


def test_a_draft_may_be_edited_and_submitted_by_its_company_only(draft, people):
    mine = policy.application_actions(people.applicant, draft)
    assert mine[policy.EDIT] and mine[policy.SUBMIT] and mine[policy.UPLOAD]
    assert not mine[policy.RESUBMIT] and mine[policy.RESUBMIT].error is InvalidState

    theirs = policy.application_actions(people.other_applicant, draft)
    assert not any(theirs.values())
    assert theirs[policy.EDIT].error is NotAllowed
    staff = policy.application_actions(people.staff, draft)
    assert not staff[policy.SUBMIT] and staff[policy.SUBMIT].error is NotAllowed


def test_the_service_refuses_with_the_policy_reason(draft, people):
    advance(draft, "submitted", vars(people))
    draft.refresh_from_db()
    edit = policy.application_actions(people.applicant, draft)[policy.EDIT]
    assert not edit
    with pytest.raises(InvalidState) as raised:
        application_services.training_line_remove(
            application_id=draft.pk, line_id=draft.training_lines.first().pk, by=people.applicant
        )
    assert str(raised.value.message) == str(edit.reason)


def test_the_page_and_the_api_offer_what_the_policy_allows(draft, people, client):
    client.force_login(people.applicant)
    page = client.get(f"/portal/applications/{draft.pk}/").content.decode()
    assert 'data-testid="submit"' in page and 'name="withdraw"' in page
    advance(draft, "submitted", vars(people))
    page = client.get(f"/portal/applications/{draft.pk}/").content.decode()
    assert 'data-testid="submit"' not in page and 'name="add_line"' not in page

    api = APIClient()
    api.force_authenticate(people.applicant)
    actions = api.get(f"/api/applications/{draft.pk}/").json()["actions"]
    assert actions["withdraw"] == {"allowed": True, "reason": ""}
    assert actions["submit"]["allowed"] is False and actions["submit"]["reason"]
