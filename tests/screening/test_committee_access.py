"""A conflicted reviewer can neither list, open nor score an item, through the web or the API:
they get 404, as for an item that does not exist, and the attempt is in the audit trail."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Profile
from audit.models import AuditEvent
from core.roles import Role
from screening import committee
from screening.exceptions import ReviewNotFound
from screening.models import ConflictOfInterest, ReviewAssignment, Score

from .helpers import grant_role, register, subjects

pytestmark = pytest.mark.django_db
S = ReviewAssignment.Status


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def refusals(item):
    return AuditEvent.objects.filter(
        subject_type="screening.reviewitem", subject_id=str(item.pk), action="coi_access_refused"
    )


@pytest.fixture
def assigned(subsidy_round, companies, people, reviewers, make_panel):
    """Items of companies 0, 1, 2; K=3 over a pool of four, least loaded first:
    item 0 → reviewers 1, 2, 3; item 1 → 4, 1, 2; item 2 → 3, 4, 1."""
    panel = make_panel(reviewers[:4], per_item=3)
    items = register(panel, subjects(subsidy_round, companies, people, 3))
    for item in items:
        committee.reviewers_assign(item_id=item.pk)
    return items


def test_api_declared_conflict_404_audited_and_not_listed(assigned, companies, reviewers):
    item = assigned[0]
    mine = item.assignments.get(reviewer=reviewers[0])
    client = api(reviewers[0])
    assert client.get(f"/api/reviews/{mine.pk}/").status_code == 200

    # when the reviewer declares a conflict with the item's company through the API
    declared = client.post(
        "/api/conflicts/",
        {"corporate_number": companies[0].corporate_number, "reason": "前職の勤務先"},
        format="json",
    )
    assert declared.status_code == 201, declared.json()
    assert declared.json()["company"] == companies[0].name

    # then the item is gone from their list, and opening it is a 404 that the audit records
    listed = [row["id"] for row in client.get("/api/reviews/").json()["results"]]
    assert mine.pk not in listed and len(listed) == 2
    response = client.get(f"/api/reviews/{mine.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    event = refusals(item).get()
    assert event.actor == reviewers[0]
    assert event.data["rule"] == "declared"
    assert event.data["reviewer"] == reviewers[0].pk


def test_api_scoring_a_conflicted_item_404_and_nothing_written(assigned, companies, reviewers):
    item = assigned[2]
    mine = item.assignments.get(reviewer=reviewers[2])
    ConflictOfInterest.objects.create(
        reviewer=reviewers[2], company=companies[2], reason="株主", source="declared"
    )

    response = api(reviewers[2]).post(
        f"/api/reviews/{mine.pk}/scores/",
        {"scores": {"impact": 5, "feasibility": 5}},
        format="json",
    )

    assert response.status_code == 404
    assert not Score.objects.exists()
    assert refusals(item).count() == 1


def test_detected_conflict_own_company_404_on_web_and_api(assigned, companies, reviewers):
    # given reviewer3 scores an item of companies[2], then joins that company
    item = assigned[2]
    theirs = item.assignments.get(reviewer=reviewers[2])
    Profile.objects.filter(user=reviewers[2]).update(company=companies[2])

    assert api(reviewers[2]).get(f"/api/reviews/{theirs.pk}/").status_code == 404
    web = Client()
    web.force_login(reviewers[2])
    assert web.get(f"/reviews/{theirs.pk}/").status_code == 404
    page = web.get("/reviews/").content.decode()
    assert item.label not in page
    assert assigned[0].label in page
    assert [event.data["rule"] for event in refusals(item)] == ["detected", "detected"]


def test_reviewer_of_the_company_looking_at_anothers_assignment_404_audited(
    assigned, reviewers, client
):
    # reviewer5 works for companies[1]; the item of companies[1] went to reviewers 1–3
    item = assigned[1]
    other = item.assignments.first()
    client.force_login(reviewers[4])

    assert client.get(f"/reviews/{other.pk}/").status_code == 404

    assert refusals(item).get().data["rule"] == "detected"


def test_unconflicted_reviewer_on_anothers_assignment_404_without_audit(
    assigned, reviewers, client
):
    item = assigned[0]
    other = item.assignments.get(reviewer=reviewers[1])
    client.force_login(reviewers[3])  # not on this item, no conflict

    assert client.get(f"/reviews/{other.pk}/").status_code == 404
    assert not refusals(item).exists()


def test_staff_and_chair_open_any_assignment(assigned, reviewers, people, chair, client):
    assignment = assigned[1].assignments.first()
    for user in (people.staff, chair):
        client.force_login(user)
        page = client.get(f"/reviews/{assignment.pk}/")
        assert page.status_code == 200
        assert assigned[1].label in page.content.decode()


def test_refusal_audited_even_though_the_service_raises(assigned, companies, reviewers):
    item = assigned[0]
    mine = item.assignments.get(reviewer=reviewers[0])
    ConflictOfInterest.objects.create(
        reviewer=reviewers[0], company=companies[0], reason="x", source="declared"
    )

    with pytest.raises(ReviewNotFound):
        committee.scores_submit(
            assignment_id=mine.pk, by=reviewers[0], scores={"impact": 3, "feasibility": 3}
        )

    assert refusals(item).count() == 1
    mine.refresh_from_db()
    assert mine.status == S.ASSIGNED


def test_api_recuse_reassigns_to_another_reviewer(assigned, companies, reviewers):
    item = assigned[0]
    mine = item.assignments.get(reviewer=reviewers[0])

    response = api(reviewers[0]).post(
        f"/api/reviews/{mine.pk}/recuse/", {"reason": "親族が経営"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json() == {"id": mine.pk, "status": "recused"}
    replacement = item.assignments.get(replaces=mine)
    assert replacement.reviewer == reviewers[3]
    theirs = [row["id"] for row in api(reviewers[3]).get("/api/reviews/").json()["results"]]
    assert replacement.pk in theirs
    assert api(reviewers[0]).get(f"/api/reviews/{mine.pk}/").status_code == 404
    assert refusals(item).get().data["rule"] == "recusal"


def test_web_recuse_reassigns_and_hides_the_item(assigned, reviewers, client):
    item = assigned[2]
    mine = item.assignments.get(reviewer=reviewers[0])
    client.force_login(reviewers[0])

    page = client.post(f"/reviews/{mine.pk}/recuse/", {"reason": "取引先"}, follow=True)

    assert page.status_code == 200
    assert item.label not in page.content.decode()
    assert item.assignments.get(replaces=mine).reviewer == reviewers[1]


def test_web_conflict_declaration_by_corporate_number(assigned, companies, reviewers, client):
    item = assigned[1]
    mine = item.assignments.get(reviewer=reviewers[0])
    client.force_login(reviewers[0])

    page = client.post(
        "/reviews/conflicts/",
        {"corporate_number": companies[1].corporate_number, "reason": "兼業先"},
        follow=True,
    )

    assert page.status_code == 200
    assert "兼業先" in page.content.decode()
    conflict = ConflictOfInterest.objects.get(reviewer=reviewers[0])
    assert conflict.company == companies[1]
    mine.refresh_from_db()
    assert mine.status == S.RECUSED
    assert item.assignments.get(replaces=mine).reviewer == reviewers[2]


def test_web_conflict_declaration_bad_number_shows_error(reviewers, client):
    client.force_login(reviewers[0])

    page = client.post(
        "/reviews/conflicts/", {"corporate_number": "7000012050003", "reason": "x"}, follow=True
    )

    assert "7000012050003" in page.content.decode()  # the check-digit message names it
    assert not ConflictOfInterest.objects.exists()


def test_api_conflicts_lists_only_the_users_own(companies, reviewers):
    committee.conflict_declare(
        reviewer=reviewers[0], by=reviewers[0], reason="a", company=companies[0]
    )
    committee.conflict_declare(
        reviewer=reviewers[1], by=reviewers[1], reason="b", company=companies[1]
    )

    rows = api(reviewers[0]).get("/api/conflicts/").json()["results"]

    assert [(row["reason"], row["source"]) for row in rows] == [("a", "declared")]


def test_web_results_page_of_a_committee_the_approver_reviews_in_404(
    assigned, reviewers, people, client
):
    panel = assigned[0].panel
    reviewing_approver = grant_role(reviewers[0], Role.APPROVER)

    client.force_login(reviewing_approver)
    assert client.get(f"/reviews/panels/{panel.pk}/").status_code == 404
    client.force_login(people.approver)
    assert client.get(f"/reviews/panels/{panel.pk}/").status_code == 200
