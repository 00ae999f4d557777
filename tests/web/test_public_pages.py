"""The public lists: registered declarations and commended companies, searchable by anyone."""

from __future__ import annotations

import pytest

from declarations import services as declaration_services
from tests.declarations.helpers import registered_declaration

pytestmark = pytest.mark.django_db


def _published(member, staff, **overrides):
    declaration = registered_declaration(member, staff, **overrides)
    return declaration_services.declaration_consent_set(
        declaration_id=declaration.pk, by=member, publish=True
    )


def test_declarations_search_by_company_name_goal_or_corporate_number(people, client):
    first = _published(people.applicant, people.staff, goals="生成AIで見積作成を半分の時間にする")
    second = _published(people.other_applicant, people.staff, goals="全員が簿記2級を取る")
    first_name = first.company.name

    page = client.get("/declarations/", {"q": first_name}).content.decode()
    assert first.registration_number in page and second.registration_number not in page
    assert f'value="{first_name}"' in page  # the search stays in its field

    page = client.get("/declarations/", {"q": "簿記"}).content.decode()
    assert second.registration_number in page and first.registration_number not in page

    number = second.company.corporate_number
    page = client.get("/declarations/", {"q": number}).content.decode()
    assert second.registration_number in page and first.registration_number not in page

    page = client.get("/declarations/", {"q": "該当なしの語"}).content.decode()
    assert first.registration_number not in page and second.registration_number not in page
    assert 'role="status"' in page


def test_public_lists_offer_sign_in_to_the_signed_out(people, client):
    page = client.get("/declarations/").content.decode()
    assert 'href="/accounts/login/"' in page
    page = client.get("/awards/commended/").content.decode()
    assert 'href="/accounts/login/"' in page and 'role="search"' in page


def test_an_htmx_search_gets_only_the_results(people, client):
    declaration = _published(people.applicant, people.staff)
    fragment = client.get(
        "/declarations/", {"q": declaration.company.name}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert fragment.lstrip().startswith('<div id="results">')
    assert declaration.registration_number in fragment
    assert "<html" not in fragment and 'role="search"' not in fragment
