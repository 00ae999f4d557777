"""Programme staff set up a round's committee from the browser; nobody else can, and a refused
set-up shows the reason on the form and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType

from audit.models import AuditEvent
from awards.models import AwardRound
from core.dates import JST
from screening.models import ReviewPanel
from tests.awards.helpers import award_round_create

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=JST)
PAGE = "/reviews/panels/new/"


def round_param(round_) -> str:
    return f"{ContentType.objects.get_for_model(round_).pk}:{round_.pk}"


def create_url(round_) -> str:
    return f"{PAGE}?round={round_param(round_)}"


def form_data(rubric, people, pool, **overrides) -> dict:
    return {
        "name": "令和8年度 人材育成優良企業 審査委員会",
        "rubric": rubric.pk,
        "reviewers": [user.pk for user in pool],
        "reviewers_per_item": 2,
        "review_deadline": "2026-12-18T17:00",
        "chair": people.staff2.pk,
        "quota": 3,
        **overrides,
    }


def nothing_written() -> bool:
    return (
        not ReviewPanel.objects.exists()
        and not AuditEvent.objects.filter(action="panel_create").exists()
    )


@time_machine.travel(NOW, tick=False)
def test_panel_create_page_staff_sets_up_the_committee(
    client, subsidy_round, rubric, people, reviewers
):
    client.force_login(people.staff)
    page = client.get(create_url(subsidy_round))
    assert page.status_code == 200
    choices = page.context["form"].fields["reviewers"].choices
    assert {value.value for value, _label in choices} == {user.pk for user in reviewers}

    response = client.post(
        create_url(subsidy_round), form_data(rubric, people, reviewers[:3]), follow=True
    )

    panel = ReviewPanel.objects.get()
    assert response.redirect_chain == [(f"/reviews/panels/{panel.pk}/", 302)]
    assert panel.round == subsidy_round
    assert set(panel.reviewers.all()) == set(reviewers[:3])
    assert (panel.reviewers_per_item, panel.quota, panel.chair) == (2, 3, people.staff2)
    assert panel.review_deadline == dt.datetime(2026, 12, 18, 8, 0, tzinfo=dt.UTC)  # 17:00 JST
    assert AuditEvent.objects.get(action="panel_create").actor == people.staff
    assert 'data-testid="open-decision"' in response.content.decode()


@pytest.mark.parametrize("role", ["approver", "finance", "auditor", "applicant"])
def test_panel_create_page_non_staff_403_and_nothing_written(
    client, subsidy_round, rubric, people, reviewers, role
):
    client.force_login(getattr(people, role))

    assert client.get(create_url(subsidy_round)).status_code == 403
    posted = client.post(create_url(subsidy_round), form_data(rubric, people, reviewers))

    assert posted.status_code == 403
    assert nothing_written()


def test_panel_create_page_reviewer_403(client, subsidy_round, rubric, people, reviewers):
    client.force_login(reviewers[0])
    posted = client.post(create_url(subsidy_round), form_data(rubric, people, reviewers))
    assert posted.status_code == 403
    assert nothing_written()


def test_panel_create_page_anonymous_goes_to_login(client, subsidy_round):
    response = client.get(create_url(subsidy_round))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@time_machine.travel(NOW, tick=False)
def test_panel_create_page_deadline_in_the_past_shown_on_the_field(
    client, subsidy_round, rubric, people, reviewers
):
    client.force_login(people.staff)
    data = form_data(rubric, people, reviewers, review_deadline="2026-12-01T09:59")

    response = client.post(create_url(subsidy_round), data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["review_deadline"]
    assert nothing_written()


@time_machine.travel(NOW, tick=False)
def test_panel_create_page_k_larger_than_the_pool_shown_on_the_reviewers(
    client, subsidy_round, rubric, people, reviewers
):
    client.force_login(people.staff)
    data = form_data(rubric, people, reviewers[:2], reviewers_per_item=3)

    response = client.post(create_url(subsidy_round), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["reviewers"]
    assert "2" in errors["reviewers"][0] and "3" in errors["reviewers"][0]
    assert nothing_written()


@time_machine.travel(NOW, tick=False)
def test_panel_create_page_refuses_a_pool_member_who_is_not_a_reviewer(
    client, subsidy_round, rubric, people, reviewers
):
    client.force_login(people.staff)
    data = form_data(rubric, people, [reviewers[0], people.applicant])

    response = client.post(create_url(subsidy_round), data)

    assert response.status_code == 200
    assert "reviewers" in response.context["form"].errors
    assert nothing_written()


@pytest.mark.parametrize("param", ["", "?round=abc", "?round=1", "?round={ct}:999999"])
def test_panel_create_page_unknown_round_404(client, subsidy_round, people, param):
    client.force_login(people.staff)
    content_type = ContentType.objects.get_for_model(subsidy_round)
    assert client.get(PAGE + param.format(ct=content_type.pk)).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_panel_create_page_round_with_a_committee_goes_to_it(
    client, subsidy_round, rubric, people, reviewers
):
    client.force_login(people.staff)
    client.post(create_url(subsidy_round), form_data(rubric, people, reviewers))
    panel = ReviewPanel.objects.get()

    again = client.get(create_url(subsidy_round))

    assert again.status_code == 302
    assert again.url == f"/reviews/panels/{panel.pk}/"
    assert ReviewPanel.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_panels_index_lists_committees_for_staff_not_for_a_reviewer(
    client, subsidy_round, rubric, people, reviewers
):
    client.force_login(people.staff)
    client.post(create_url(subsidy_round), form_data(rubric, people, reviewers))
    panel = ReviewPanel.objects.get()

    listed = client.get("/reviews/panels/")
    assert [row.pk for row in listed.context["panels"]] == [panel.pk]
    assert f'href="/reviews/panels/{panel.pk}/"' in listed.content.decode()

    client.force_login(reviewers[0])
    assert list(client.get("/reviews/panels/").context["panels"]) == []


@time_machine.travel(NOW, tick=False)
def test_award_rounds_page_links_to_set_up_then_to_the_committee(client, rubric, people, reviewers):
    round_ = award_round_create()
    client.force_login(people.staff)

    before = client.get("/awards/rounds/").content.decode()
    assert f'href="{PAGE}?round={round_param(round_)}"' in before

    client.post(create_url(round_), form_data(rubric, people, reviewers))
    panel = ReviewPanel.objects.get()
    assert panel.round == AwardRound.objects.get(pk=round_.pk)
    after = client.get("/awards/rounds/").content.decode()
    assert f'href="/reviews/panels/{panel.pk}/"' in after
    assert f"?round={round_param(round_)}" not in after


@pytest.mark.parametrize("role", ["approver", "applicant"])
def test_award_rounds_page_non_staff_403(client, people, role):
    award_round_create()
    client.force_login(getattr(people, role))
    assert client.get("/awards/rounds/").status_code == 403
