"""Who reads which subsidy round through /api/rounds/, and what a round says about its
required documents."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from applications import services as app
from applications.models import SubsidyRound
from fixtures.demo import round_create

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="ja")
    client.force_authenticate(user)
    return client


@pytest.fixture
def rounds(reference, people):
    """An open round; a closed one companies[0] has a draft on; a closed and a future one
    nobody applied to."""
    now = timezone.now()
    applied = round_create(name="締切済（申請あり）")
    app.application_create(round_id=applied.pk, by=people.applicant, plan_summary="研修")
    SubsidyRound.objects.filter(pk=applied.pk).update(
        opens_at=now - dt.timedelta(days=90), closes_at=now - dt.timedelta(days=1)
    )
    return {
        "open": round_create(name="受付中"),
        "applied": applied,
        "closed": round_create(
            name="締切済",
            opens_at=now - dt.timedelta(days=90),
            closes_at=now - dt.timedelta(days=1),
        ),
        "future": round_create(
            name="受付前",
            opens_at=now + dt.timedelta(days=10),
            closes_at=now + dt.timedelta(days=40),
        ),
    }


def _status(user, round_):
    return client_for(user).get(f"/api/rounds/{round_.pk}/").status_code


@pytest.mark.parametrize("role", ["staff", "approver", "finance", "auditor"])
def test_rounds_api_staff_side_reads_any_round(rounds, people, role):
    user = getattr(people, role)
    assert {name: _status(user, round_) for name, round_ in rounds.items()} == {
        "open": 200,
        "applied": 200,
        "closed": 200,
        "future": 200,
    }


def test_rounds_api_applicant_reads_open_rounds_and_rounds_applied_to(rounds, people):
    for member in (people.applicant, people.colleague):  # the company's, not only the author's
        assert {name: _status(member, round_) for name, round_ in rounds.items()} == {
            "open": 200,
            "applied": 200,
            "closed": 404,
            "future": 404,
        }


def test_rounds_api_other_company_does_not_read_a_closed_round_it_did_not_apply_to(rounds, people):
    statuses = {name: _status(people.other_applicant, round_) for name, round_ in rounds.items()}
    assert statuses == {"open": 200, "applied": 404, "closed": 404, "future": 404}


def test_rounds_api_applied_round_shows_its_rate_caps_and_window(rounds, people):
    body = client_for(people.applicant).get(f"/api/rounds/{rounds['applied'].pk}/").json()

    applied = SubsidyRound.objects.get(pk=rounds["applied"].pk)
    assert (body["rate_numerator"], body["rate_denominator"]) == (1, 2)
    assert (body["cap_per_trainee"], body["cap_per_company"]) == (100_000, 500_000)
    assert dt.datetime.fromisoformat(body["closes_at"]) == applied.closes_at


def test_rounds_api_list_is_open_rounds_unless_window_all(rounds, people):
    def names(user, query=""):
        response = client_for(user).get(f"/api/rounds/{query}")
        assert response.status_code == 200, response.json()
        return {row["name"] for row in response.json()["results"]}

    assert names(people.applicant) == {"受付中"}
    assert names(people.staff) == {"受付中"}
    assert names(people.applicant, "?window=all") == {"受付中", "締切済（申請あり）"}
    assert names(people.other_applicant, "?window=all") == {"受付中"}
    assert names(people.staff, "?window=all") == {
        "受付中",
        "締切済（申請あり）",
        "締切済",
        "受付前",
    }


def test_rounds_api_unknown_window_is_refused_with_a_code(rounds, people):
    response = client_for(people.applicant).get("/api/rounds/?window=closed")

    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("invalid", "window")


def test_rounds_api_anonymous_reads_nothing(rounds):
    assert APIClient().get(f"/api/rounds/{rounds['open'].pk}/").status_code in (401, 403)


def test_rounds_api_required_documents_say_their_stage(rounds, people):
    body = client_for(people.applicant).get(f"/api/rounds/{rounds['open'].pk}/").json()

    stages = {row["code"]: row["stage"] for row in body["required_documents"]}
    assert stages == {
        "application_form": "application",
        "training_plan": "application",
        "cost_breakdown": "application",
        "completion_certificate": "results",
    }
    labels = {row["code"]: row["stage_display"] for row in body["required_documents"]}
    assert labels["application_form"] == "申請時"
    assert labels["completion_certificate"] == "実績報告時"
    assert sorted(body["required_document_types"]) == sorted(stages)


def test_portal_open_rounds_list_required_documents_by_stage(rounds, people, client):
    client.force_login(people.applicant)
    page = client.get("/portal/").content.decode()

    assert "申請時</span>: 交付申請書、支出内訳書、事業計画書" in page
    assert "実績報告時</span>: 修了証・合格証" in page


def test_portal_application_page_lists_required_documents_by_stage(draft, people, client):
    client.force_login(people.applicant)
    page = client.get(draft.get_absolute_url()).content.decode()

    assert "申請時</span>: 交付申請書、支出内訳書、事業計画書" in page
    assert "実績報告時</span>: 修了証・合格証" in page
