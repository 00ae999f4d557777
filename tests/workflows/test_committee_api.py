"""A committee driven through the API alone, as each of its people sees it: reviewers score
blind, staff open the decision, the chair records it, an approver approves it; every answer
carries the committee's status and selection, and no one sees more than their role allows."""

from __future__ import annotations

import pytest
from viewflow.workflow.status import PROCESS

from audit.models import AuditEvent
from screening.models import ReviewPanel
from screening.selectors import review_item_for
from tests.awards.helpers import award_round_create, panel_create
from tests.workflows.test_programme_api import (
    _as_approver_too,
    _in_review,
    _refused,
    client_for,
    post,
)
from workflows.selectors import process_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(people, reviewers):
    """Two nominations before a committee of four reviewers with one place; staff2 chairs."""
    award_round = award_round_create()
    panel = panel_create(award_round, people, reviewers, quota=1)
    staff = client_for(people.staff)
    strong = review_item_for(_in_review(award_round, people.applicant, staff))
    weak = review_item_for(_in_review(award_round, people.other_applicant, staff))
    return panel, strong, weak


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.json()
    return response.json()


def _review_of(client, item) -> int:
    reviews = get(client, "/api/reviews/")["results"]
    return next(review["id"] for review in reviews if review["label"] == item.label)


def _score(client, item, value: int) -> dict:
    url = f"/api/reviews/{_review_of(client, item)}/scores/"
    response = post(client, url, {"scores": {"initiative": value, "results": value}})
    assert response.status_code == 200, response.json()
    return response.json()


def test_committee_through_the_api_from_blind_reviews_to_approval(committee, people, reviewers):
    panel, strong, weak = committee
    base = f"/api/committees/{panel.pk}/"
    staff, chair, approver = (client_for(u) for u in (people.staff, people.staff2, people.approver))
    first, *others = (client_for(reviewer) for reviewer in reviewers[:4])

    # reviewing: staff see the committee listed with its quota; a reviewer sees it, unranked
    listed = get(staff, "/api/committees/")["results"]
    assert [(c["id"], c["status"], c["quota"], c["items_count"]) for c in listed] == [
        (panel.pk, "reviewing", 1, 2)
    ]
    seen = get(first, base)
    assert seen["status"] == "reviewing"
    assert seen["selected_item_ids"] is None and seen["decision"] is None
    assert {(i["id"], i["rank"], i["selected"]) for i in seen["items"]} == {
        (strong.pk, None, None),
        (weak.pk, None, None),
    }

    # blind scoring: the first reviewer sees another's scores only after submitting their own
    _score(others[0], strong, 5)
    item_url = f"/api/review-items/{strong.pk}/"
    assert get(first, item_url)["scores"] == []
    assert [a["status"] for a in get(first, item_url)["assignments"]] == ["assigned"]
    _score(first, strong, 5)
    scores = get(first, item_url)["scores"]
    assert sorted((s["reviewer"], s["value"]) for s in scores) == [
        ("reviewer1", 5),
        ("reviewer1", 5),
        ("reviewer2", 5),
        ("reviewer2", 5),
    ]
    # a reviewer never sees the ranking, which would tell them the others' scores
    assert {i["rank"] for i in get(first, base)["items"]} == {None}

    for reviewer in others[1:]:
        _score(reviewer, strong, 5)
    for reviewer in (first, *others):
        _score(reviewer, weak, 2)

    # the reviews are in: staff see the ranking, strong first and within the quota
    ranked = get(staff, base)
    assert ranked["status"] == "awaiting_decision"
    assert [(i["id"], i["rank"], i["within_quota"], i["mean_raw"]) for i in ranked["items"]] == [
        (strong.pk, 1, True, 5.0),
        (weak.pk, 2, False, 2.0),
    ]
    assert len(get(approver, f"/api/review-items/{weak.pk}/")["assignments"]) == 4

    started = post(staff, f"{base}start/")
    assert started.status_code == 200, started.json()
    assert (started.json()["status"], started.json()["selected_item_ids"]) == (
        "awaiting_decision",
        None,
    )

    # the chair: choosing the weaker one needs a reason for each departure
    swap = {"selected_item_ids": [weak.pk], "rationale": "地域性を重視"}
    _refused(post(chair, f"{base}decide/", swap), 400, "departure_unexplained")
    decided = post(
        chair, f"{base}decide/", {"selected_item_ids": [strong.pk], "rationale": "評点順"}
    )
    assert decided.status_code == 200, decided.json()
    body = decided.json()
    assert (body["status"], body["selected_item_ids"]) == ("decision_recorded", [strong.pk])
    assert (body["decision"]["status"], body["decision"]["recorded_by"]) == ("recorded", "staff2")
    assert [(i["id"], i["selected"]) for i in body["items"]] == [
        (strong.pk, True),
        (weak.pk, False),
    ]

    approved = post(approver, f"{base}approve/", {"approve": True})
    assert approved.status_code == 200, approved.json()
    body = approved.json()
    assert (body["status"], body["selected_item_ids"]) == ("approved", [strong.pk])
    assert (body["decision"]["status"], body["decision"]["approved_by"]) == ("approved", "approver")
    assert process_for(ReviewPanel, panel.pk).status == PROCESS.DONE

    # afterwards a reviewer still sees the committee's status, not its ranking or selection
    after = get(first, base)
    assert (after["status"], after["selected_item_ids"]) == ("approved", None)
    assert {i["selected"] for i in after["items"]} == {None}


def test_committee_returned_decision_answers_awaiting_decision(committee, people, reviewers):
    panel, strong, weak = committee
    for reviewer in reviewers[:4]:
        _score(client_for(reviewer), strong, 4)
        _score(client_for(reviewer), weak, 3)
    base = f"/api/committees/{panel.pk}/"
    post(client_for(people.staff), f"{base}start/")
    post(
        client_for(people.staff2),
        f"{base}decide/",
        {"selected_item_ids": [strong.pk], "rationale": "評点順"},
    )

    returned = post(
        client_for(people.approver), f"{base}approve/", {"approve": False, "note": "再考"}
    )

    assert returned.status_code == 200, returned.json()
    assert returned.json()["status"] == "awaiting_decision"
    assert returned.json()["selected_item_ids"] is None


def test_committee_conflicted_reviewer_gets_404_for_the_item_and_is_audited(
    committee, people, reviewers
):
    panel, strong, weak = committee
    first = client_for(reviewers[0])
    declared = post(
        first,
        "/api/conflicts/",
        {"corporate_number": strong.company.corporate_number, "reason": "親族が役員"},
    )
    assert declared.status_code == 201, declared.json()

    _refused(first.get(f"/api/review-items/{strong.pk}/"), 404, "not_found")

    refused = AuditEvent.objects.get(action="coi_access_refused")
    assert refused.data["item"] == strong.pk and refused.data["reviewer"] == reviewers[0].pk
    assert [i["id"] for i in get(first, "/api/review-items/")["results"]] == [weak.pk]
    assert [i["id"] for i in get(first, f"/api/committees/{panel.pk}/")["items"]] == [weak.pk]
    assert get(first, f"/api/committees/{panel.pk}/")["items_count"] == 1


def test_committee_outside_reviewer_applicant_and_pool_reviewer_refused(
    committee, people, reviewers
):
    panel, strong, _ = committee
    outsider, member = client_for(reviewers[4]), client_for(reviewers[0])

    assert get(outsider, "/api/committees/")["results"] == []
    _refused(outsider.get(f"/api/committees/{panel.pk}/"), 404, "not_found")
    _refused(outsider.get(f"/api/review-items/{strong.pk}/"), 404, "not_found")
    _refused(client_for(people.applicant).get("/api/committees/"), 403, "not_allowed")
    _refused(client_for(people.applicant).get(f"/api/review-items/{strong.pk}/"), 404, "not_found")
    for action in ("start", "decide", "approve"):
        _refused(post(member, f"/api/committees/{panel.pk}/{action}/"), 403, "not_allowed")
    assert get(member, "/api/review-items/?committee=x")["results"] == []


def test_committee_approver_who_reviews_in_it_scores_blind_like_any_reviewer(
    committee, people, reviewers
):
    panel, strong, _ = committee
    reviewing_approver = client_for(_as_approver_too(reviewers[0]))
    _score(client_for(reviewers[1]), strong, 5)

    seen = get(reviewing_approver, f"/api/committees/{panel.pk}/")
    item = get(reviewing_approver, f"/api/review-items/{strong.pk}/")

    assert {i["rank"] for i in seen["items"]} == {None}
    assert item["scores"] == []
    assert [a["reviewer"] for a in item["assignments"]] == ["reviewer1"]
    # an approver who reviews nothing in it reads the ranking and every assignment
    approver = client_for(people.approver)
    assert len(get(approver, f"/api/review-items/{strong.pk}/")["assignments"]) == 4
    ranks = [i["rank"] for i in get(approver, f"/api/committees/{panel.pk}/")["items"]]
    assert ranks == [1, None]


def test_committee_api_described_in_the_openapi_schema(people, client):
    client.force_login(people.staff)

    schema = client.get("/api/schema/", {"format": "json"}).json()

    for path in (
        "/api/committees/",
        "/api/committees/{id}/",
        "/api/review-items/",
        "/api/review-items/{id}/",
    ):
        assert "get" in schema["paths"][path]
    decide = schema["paths"]["/api/committees/{id}/decide/"]["post"]["responses"]["200"]
    assert decide["content"]["application/json"]["schema"]["$ref"].endswith("/CommitteeDetail")
    detail = schema["components"]["schemas"]["CommitteeDetail"]["properties"]
    assert {"status", "quota", "selected_item_ids", "decision", "items"} <= set(detail)
    item = schema["components"]["schemas"]["CommitteeItem"]["properties"]
    assert {"rank", "within_quota", "tied_at_quota", "selected", "departure_reason"} <= set(item)
