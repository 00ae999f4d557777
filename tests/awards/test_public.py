"""The published list of commended companies: open to anyone, commended companies only."""

import datetime as dt

import pytest
from django.test import Client
from rest_framework.test import APIClient

from awards import services
from awards.selectors import commended_companies

from .helpers import (
    approved_decision,
    award_round_create,
    committee_scores,
    panel_create,
    self_nomination,
    submitted_self_nomination,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def outcomes(award_round, people, reviewers, outsider):
    """ひたちテック commended, つくば精機 selected but not yet commended, 水戸フーズ a draft."""
    panel = panel_create(award_round, people, reviewers, quota=2)
    hitachi = submitted_self_nomination(award_round, people.applicant)
    tsukuba = submitted_self_nomination(award_round, people.other_applicant)
    self_nomination(award_round, outsider)
    for nomination in (hitachi, tsukuba):
        services.nomination_accept_documents(nomination_id=nomination.pk, by=people.staff)
    committee_scores(hitachi, 5)
    committee_scores(tsukuba, 4)
    decision = approved_decision(panel, people, [hitachi, tsukuba])
    services.nominations_conclude(round_id=award_round.pk, decision_id=decision.pk)
    services.nomination_commend(
        nomination_id=hitachi.pk, by=people.staff, commended_on=dt.date(2027, 2, 15)
    )
    return hitachi, tsukuba


def test_public_page_lists_only_commended_companies_without_login(outcomes):
    response = Client().get("/awards/commended/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "株式会社ひたちテック" in page
    assert "2027年2月15日" in page
    assert "令和8年度 リスキリング先進企業表彰" in page
    assert "つくば精機株式会社" not in page
    assert "水戸フーズ合同会社" not in page


def test_public_page_filters_by_fiscal_year(outcomes):
    page = Client().get("/awards/commended/?fiscal_year=2025").content.decode()
    assert "株式会社ひたちテック" not in page
    page = Client().get("/awards/commended/?fiscal_year=2026").content.decode()
    assert "株式会社ひたちテック" in page


def test_public_api_lists_only_commended_companies_without_login(outcomes):
    response = APIClient().get("/api/public/commendations/")

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": outcomes[0].pk,
            "company": "株式会社ひたちテック",
            "round": "令和8年度 リスキリング先進企業表彰",
            "award_name": "リスキリング先進企業表彰",
            "fiscal_year": 2026,
            "commended_on": "2027-02-15",
        }
    ]


def test_public_api_is_read_only(outcomes):
    response = APIClient().post("/api/public/commendations/", {"company": "x"}, format="json")
    assert response.status_code == 405


def test_commended_companies_newest_year_first(people, outcomes, reviewers):
    later = award_round_create(name="令和9年度 リスキリング先進企業表彰", fiscal_year=2027)
    panel = panel_create(later, people, reviewers, quota=1)
    nomination = submitted_self_nomination(later, people.other_applicant)
    services.nomination_accept_documents(nomination_id=nomination.pk, by=people.staff)
    committee_scores(nomination, 5)
    decision = approved_decision(panel, people, [nomination])
    services.nominations_conclude(round_id=later.pk, decision_id=decision.pk)
    services.nomination_commend(
        nomination_id=nomination.pk, by=people.staff, commended_on=dt.date(2028, 2, 14)
    )

    listed = [(n.round.fiscal_year, n.company.name) for n in commended_companies()]

    assert listed == [(2027, "つくば精機株式会社"), (2026, "株式会社ひたちテック")]
    assert [n.company.name for n in commended_companies(2026)] == ["株式会社ひたちテック"]
