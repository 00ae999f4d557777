"""An auditor finds records by reference, company, 法人番号, registration or letter number,
and narrows them by programme, round and status; the page also shows the chain's head."""

from __future__ import annotations

import re

import pytest

from applications.models import Application
from audit.models import AuditEvent
from letters.models import Letter

from .helpers import browser

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr data-testid="result-row"><td><a href="([^"]+)">([^<]+)</a>')


def found(client, **params) -> list[tuple[str, str]]:
    """(reference, link) of each result on the page."""
    page = client.get("/audit/", params)
    assert page.status_code == 200
    return [(reference, link) for link, reference in ROW.findall(page.content.decode())]


def references(client, **params) -> list[str]:
    return [reference for reference, _link in found(client, **params)]


@pytest.fixture
def records(paid, commended, registered, subsidy_round, people, committed):
    """Besides the three records of companies[0], a draft of companies[1]."""
    from fixtures.demo import draft_create

    other = committed(draft_create, subsidy_round, people.other_applicant)
    return paid, commended.nomination, registered, other


def test_search_by_reference_finds_that_record_and_links_its_trace(records, people):
    paid, nomination, declaration, _other = records
    auditor = browser(people.auditor)

    assert found(auditor, q=paid.reference) == [(paid.reference, f"/audit/applications/{paid.pk}/")]
    assert found(auditor, q=nomination.reference.lower()) == [
        (nomination.reference, f"/audit/nominations/{nomination.pk}/")
    ]
    assert found(auditor, q=f" {declaration.reference} ") == [
        (declaration.reference, f"/audit/declarations/{declaration.pk}/")
    ]


def test_search_by_reference_of_another_fiscal_year_finds_nothing(records, people):
    paid = records[0]

    assert references(browser(people.auditor), q=f"SUB-2019-{paid.pk:06d}") == []


def test_search_by_company_name_or_corporate_number_finds_all_its_records(records, people):
    paid, nomination, declaration, other = records
    auditor = browser(people.auditor)
    mine = {paid.reference, nomination.reference, declaration.reference}

    assert set(references(auditor, q="ひたちテック")) == mine
    assert set(references(auditor, q=paid.company.corporate_number)) == mine
    assert references(auditor, q=other.company.corporate_number) == [other.reference]


def test_search_by_registration_or_letter_number(records, people):
    paid, _nomination, declaration, _other = records
    auditor = browser(people.auditor)
    grant_letter = Letter.objects.get(kind=Letter.Kind.GRANT_DECISION)

    assert references(auditor, q=declaration.registration_number) == [declaration.reference]
    assert references(auditor, q=grant_letter.number_text) == [paid.reference]


def test_search_narrowed_by_programme_round_and_status(records, people, subsidy_round):
    paid, nomination, declaration, other = records
    auditor = browser(people.auditor)

    assert set(references(auditor, programme="subsidy")) == {paid.reference, other.reference}
    assert references(auditor, programme="award") == [nomination.reference]
    assert references(auditor, programme="declaration") == [declaration.reference]
    assert set(references(auditor, round=f"subsidy-{subsidy_round.pk}")) == {
        paid.reference,
        other.reference,
    }
    assert references(auditor, round=f"award-{nomination.round_id}") == [nomination.reference]
    assert references(auditor, round=f"declaration-{declaration.fiscal_year}") == [
        declaration.reference
    ]
    assert references(auditor, status="paid") == [paid.reference]
    assert references(auditor, status="draft", programme="subsidy") == [other.reference]
    assert references(auditor, programme="award", round=f"subsidy-{subsidy_round.pk}") == []


def test_search_pages_results_newest_first(subsidy_round, people):
    company = people.applicant.profile.company
    created = [
        Application.objects.create(
            round=subsidy_round, company=company, created_by=people.applicant
        )
        for _ in range(30)
    ]
    auditor = browser(people.auditor)
    newest = [application.reference for application in reversed(created)]

    first, second = references(auditor), references(auditor, page=2)

    assert first == newest[:25]
    assert second == newest[25:]
    assert "30 records found." in auditor.get("/audit/").content.decode()


def test_search_page_shows_the_chain_head(paid, people):
    head = AuditEvent.objects.order_by("-seq").first()

    page = browser(people.auditor).get("/audit/").content.decode()

    assert f'<td data-testid="head-seq">{head.seq}</td>' in page
    assert head.entry_hash in page
    assert '<td data-testid="head-unsealed">0</td>' in page


def test_search_page_counts_events_not_sealed_yet(paid, people):
    AuditEvent.objects.create(actor_role="system", action="x", subject_type="t", subject_id="1")

    page = browser(people.auditor).get("/audit/").content.decode()

    assert '<td data-testid="head-unsealed">1</td>' in page


def test_search_with_an_unknown_status_shows_the_error_and_no_record(paid, people):
    page = browser(people.auditor).get("/audit/", {"status": "bogus"})

    assert page.status_code == 200
    assert ROW.findall(page.content.decode()) == []
    assert "Select a valid choice." in page.content.decode()
