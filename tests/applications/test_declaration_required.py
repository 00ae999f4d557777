"""A round that requires a promotion declaration (推進宣言) accepts only companies holding a
registered one."""

import pytest

from applications import services
from applications.exceptions import DeclarationRequired
from applications.models import Application, SubsidyRound
from declarations import services as declarations
from tests.declarations.helpers import draft_declaration, registered_declaration

pytestmark = pytest.mark.django_db


@pytest.fixture
def requiring_draft(draft):
    SubsidyRound.objects.filter(pk=draft.round_id).update(requires_declaration=True)
    return draft


def test_submit_refused_without_a_declaration(requiring_draft, people):
    with pytest.raises(DeclarationRequired) as refused:
        services.application_submit(application_id=requiring_draft.pk, by=people.applicant)
    assert refused.value.code == "declaration_required"
    requiring_draft.refresh_from_db()
    assert requiring_draft.status == Application.Status.DRAFT


def test_submit_refused_while_the_declaration_is_only_submitted(requiring_draft, people):
    declaration = draft_declaration(people.applicant)
    declarations.declaration_submit(declaration_id=declaration.pk, by=people.applicant)
    with pytest.raises(DeclarationRequired):
        services.application_submit(application_id=requiring_draft.pk, by=people.applicant)


def test_submit_refused_when_another_company_holds_the_declaration(requiring_draft, people):
    registered_declaration(people.other_applicant, people.staff)
    with pytest.raises(DeclarationRequired):
        services.application_submit(application_id=requiring_draft.pk, by=people.applicant)


def test_submit_accepted_with_a_registered_declaration(requiring_draft, people):
    registered_declaration(people.applicant, people.staff)
    services.application_submit(application_id=requiring_draft.pk, by=people.applicant)
    requiring_draft.refresh_from_db()
    assert requiring_draft.status == Application.Status.SUBMITTED


def test_submit_refused_again_once_the_declaration_is_withdrawn(requiring_draft, people):
    declaration = registered_declaration(people.applicant, people.staff)
    declarations.declaration_withdraw(declaration_id=declaration.pk, by=people.applicant)
    with pytest.raises(DeclarationRequired):
        services.application_submit(application_id=requiring_draft.pk, by=people.applicant)
