"""The history the company reads names the office by its role and never a user or a hash."""

from __future__ import annotations

import pytest

from letters.models import Letter
from tests.declarations.helpers import draft_declaration
from workflows import services as wf
from workflows import steps
from workflows.flows import DeclarationFlow

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(people, django_capture_on_commit_callbacks):
    declaration = draft_declaration(people.applicant)
    wf.declaration_process_submit(declaration_id=declaration.pk, by=people.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        wf.step_complete(
            application_id=declaration.pk,
            step=steps.CHECK_DECLARATION,
            by=people.staff,
            data={"accept": True},
            flow_class=DeclarationFlow,
        )
    return declaration


def _history(page: str) -> str:
    return page[page.index('data-testid="history"') :]


def test_the_company_sees_roles_and_its_own_name(people, client, registered):
    client.force_login(people.applicant)
    page = client.get(f"/portal/declarations/{registered.pk}/").content.decode()
    history = _history(page)

    assert "事務局" in history
    assert people.applicant.profile.company.name in history
    for username in (people.applicant.username, people.staff.username):
        assert f">{username}<" not in history
    letter = Letter.objects.get(subject_id=str(registered.pk))
    assert letter.sha256 and letter.sha256[:12] not in page
    assert "SHA-256" not in page and "sha256" not in page
    assert f'href="/letters/{letter.pk}/pdf/"' in page


def test_staff_still_see_who_acted(people, client, registered):
    client.force_login(people.staff)
    history = _history(client.get(f"/portal/declarations/{registered.pk}/").content.decode())
    assert f">{people.staff.username}<" in history
    assert f">{people.applicant.username}<" in history
