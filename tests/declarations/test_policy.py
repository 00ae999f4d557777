"""The declaration's policy (declarations.policy): the page and the API offer what it allows."""

import pytest
from rest_framework.test import APIClient

from declarations import policy
from tests.declarations.helpers import draft_declaration
from workflows import services as wf

pytestmark = pytest.mark.django_db


def test_a_draft_is_the_company_s_to_edit_and_submit(people):
    declaration = draft_declaration(people.applicant)
    mine = policy.declaration_actions(people.applicant, declaration)
    assert mine[policy.EDIT] and mine[policy.SUBMIT] and not mine[policy.RESUBMIT]
    assert not any(policy.declaration_actions(people.staff, declaration).values())


def test_the_api_carries_the_actions_and_they_follow_the_status(people):
    declaration = draft_declaration(people.applicant)
    api = APIClient()
    api.force_authenticate(people.applicant)
    actions = api.get(f"/api/declarations/{declaration.pk}/").json()["actions"]
    assert actions["submit"] == {"allowed": True, "reason": ""}
    wf.declaration_process_submit(declaration_id=declaration.pk, by=people.applicant)
    actions = api.get(f"/api/declarations/{declaration.pk}/").json()["actions"]
    assert actions["submit"]["allowed"] is False and actions["edit"]["allowed"] is False
    assert actions["withdraw"]["allowed"] is True
