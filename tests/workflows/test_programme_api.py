"""The REST API of the promotion declaration, the reskilling award and its committee, as each
role uses it: lifecycles through the real flows, visibility and errors as {code, message, field}."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient
from viewflow.workflow.status import PROCESS

from awards.models import Nomination
from core.dates import today_jst
from core.roles import Role
from declarations.models import Declaration
from fixtures.documents import pdf_bytes
from letters.models import Letter
from screening import committee
from screening.models import CommitteeDecision, ReviewAssignment, ReviewPanel
from screening.selectors import review_item_for
from tests.awards.helpers import SUMMARY, award_round_create, completed_application, panel_create
from tests.declarations.helpers import GOALS, MEASURES, registered_declaration
from tests.workflows.test_award_pages import CHAMBER, chamber_member
from workflows.selectors import process_for

pytestmark = pytest.mark.django_db


def client_for(user, language="en"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


def post(client, url, data=None):
    return client.post(url, data or {}, format="json")


def _declaration_body(**overrides) -> dict:
    start = today_jst()
    return {
        "goals": GOALS,
        "measures": MEASURES,
        "responsible_name": "日立　一郎",
        "period_start": start.isoformat(),
        "period_end": (start + dt.timedelta(days=730)).isoformat(),
        **overrides,
    }


def _refused(response, status: int, code: str, field: str | None = None) -> None:
    body = response.json()
    assert response.status_code == status, body
    assert body["code"] == code
    assert body["message"]
    if field is not None:
        assert body["field"] == field


# --- promotion declaration -----------------------------------------------------------------


def test_declaration_lifecycle_through_the_api(people):
    applicant, staff = client_for(people.applicant), client_for(people.staff)
    created = post(applicant, "/api/declarations/", _declaration_body())
    assert created.status_code == 201, created.json()
    base = f"/api/declarations/{created.json()['id']}"

    patched = applicant.patch(f"{base}/", {"responsible_title": "代表取締役"}, format="json")
    assert patched.json()["responsible_title"] == "代表取締役"
    assert patched.json()["goals"] == GOALS  # untouched by a partial update
    assert post(applicant, f"{base}/submit/").json()["status"] == "submitted"
    _refused(post(applicant, f"{base}/check/", {"accept": True}), 403, "not_allowed")

    returned = post(staff, f"{base}/check/", {"accept": False, "items": ["目標を具体的に"]})
    assert returned.json()["status"] == "returned"
    [correction] = returned.json()["correction_requests"]
    assert correction["items"] == ["目標を具体的に"]
    assert dt.date.fromisoformat(correction["deadline"]) > today_jst()

    resubmitted = post(applicant, f"{base}/resubmit/", {"answer": "具体化しました"})
    assert resubmitted.json()["correction_requests"][0]["answer"] == "具体化しました"
    registered = post(staff, f"{base}/check/", {"accept": True}).json()
    assert registered["status"] == "registered"
    assert registered["registration_number"].startswith(f"{registered['fiscal_year']}-")

    assert post(applicant, f"{base}/consent/", {"publish": True}).json()["publish_consent"]
    public = APIClient().get("/api/public/declarations/").json()["results"]
    assert [row["registration_number"] for row in public] == [registered["registration_number"]]

    withdrawn = post(applicant, f"{base}/withdraw/", {"reason": "事業再編"})
    assert withdrawn.json()["status"] == "withdrawn"
    assert APIClient().get("/api/public/declarations/").json()["results"] == []
    process = process_for(Declaration, created.json()["id"])
    assert process.status == PROCESS.DONE


def test_declaration_errors_name_the_code_and_field(people):
    applicant = client_for(people.applicant)
    start = today_jst().isoformat()
    _refused(
        post(applicant, "/api/declarations/", _declaration_body(period_end=start)),
        400,
        "invalid",
        "period_end",
    )
    first = post(applicant, "/api/declarations/", _declaration_body()).json()
    second = post(applicant, "/api/declarations/", _declaration_body()).json()
    post(applicant, f"/api/declarations/{first['id']}/submit/")

    _refused(
        post(applicant, f"/api/declarations/{second['id']}/submit/"), 409, "declaration_active"
    )
    _refused(post(applicant, f"/api/declarations/{first['id']}/resubmit/"), 409, "invalid_state")
    assert Declaration.objects.get(pk=second["id"]).status == Declaration.Status.DRAFT


def test_another_companys_declaration_is_404_on_every_endpoint(people):
    declaration = post(client_for(people.applicant), "/api/declarations/", _declaration_body())
    pk = declaration.json()["id"]
    other = client_for(people.other_applicant)

    _refused(other.get(f"/api/declarations/{pk}/"), 404, "not_found")
    assert other.patch(f"/api/declarations/{pk}/", {"goals": "x"}, format="json").status_code == 404
    for action in ("submit", "resubmit", "withdraw", "consent", "check"):
        body = {"publish": True, "accept": True}
        _refused(post(other, f"/api/declarations/{pk}/{action}/", body), 404, "not_found")
    assert other.get("/api/declarations/").json()["results"] == []
    assert [
        row["id"] for row in client_for(people.auditor).get("/api/declarations/").json()["results"]
    ] == [pk]
    declaration = Declaration.objects.get(pk=pk)
    assert (declaration.status, declaration.goals) == (Declaration.Status.DRAFT, GOALS)


# --- reskilling award ----------------------------------------------------------------------


@pytest.fixture
def award_round(db):
    return award_round_create()


def _nominate_self(user, round_) -> dict:
    response = post(
        client_for(user),
        "/api/nominations/",
        {"round": round_.pk, "nominator_kind": "self", "summary": SUMMARY},
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_third_party_nomination_through_the_api(award_round, people, reference):
    chamber = client_for(chamber_member())
    nominee = client_for(people.other_applicant)
    subsidy = completed_application(people.other_applicant, people)
    created = post(
        chamber,
        "/api/nominations/",
        {
            "round": award_round.pk,
            "nominator_kind": Nomination.NominatorKind.CHAMBER,
            "company": people.other_applicant.profile.company.pk,
            "nominator_organisation": CHAMBER,
        },
    )
    assert created.status_code == 201, created.json()
    base = f"/api/nominations/{created.json()['id']}"
    assert created.json()["company_name"] == people.other_applicant.profile.company.name

    _refused(post(chamber, f"{base}/submit/"), 422, "consent_required", "consent")
    _refused(post(chamber, f"{base}/consent/"), 403, "not_allowed")  # only the nominee consents
    assert post(nominee, f"{base}/consent/").json()["consent_at"]
    cited = post(nominee, f"{base}/cite/", {"application_ids": [subsidy.pk]})
    assert [row["id"] for row in cited.json()["cited_applications"]] == [subsidy.pk]
    _refused(post(chamber, f"{base}/submit/"), 422, "nomination_incomplete", "summary")

    patched = chamber.patch(f"{base}/", {"achievements": "受注処理時間3割減"}, format="json")
    assert patched.json()["achievements"] == "受注処理時間3割減"
    upload = chamber.post(
        f"{base}/documents/",
        {
            "file": SimpleUploadedFile("推薦書.pdf", pdf_bytes("nomination")),
            "description": "推薦書",
        },
        format="multipart",
    )
    assert [row["original_name"] for row in upload.json()["documents"]] == ["推薦書.pdf"]
    submitted = post(chamber, f"{base}/submit/").json()
    assert submitted["status"] == "submitted"
    assert [row["reference"] for row in submitted["evidence_snapshot"]] == [subsidy.reference]

    assert nominee.get(f"{base}/").json()["status"] == "submitted"
    _refused(client_for(people.applicant).get(f"{base}/"), 404, "not_found")
    _refused(post(client_for(people.applicant), f"{base}/withdraw/"), 404, "not_found")
    _refused(post(nominee, f"{base}/check/", {"accept": True}), 403, "not_allowed")
    assert post(nominee, f"{base}/withdraw/", {"reason": "辞退"}).json()["status"] == "withdrawn"


def test_round_requiring_a_declaration_refuses_a_nominee_without_one(people):
    round_ = award_round_create(requires_declaration=True)
    nomination = _nominate_self(people.applicant, round_)
    url = f"/api/nominations/{nomination['id']}/submit/"
    applicant = client_for(people.applicant)

    _refused(post(applicant, url), 422, "declaration_required")
    assert Nomination.objects.get(pk=nomination["id"]).status == Nomination.Status.DRAFT

    registered_declaration(people.applicant, people.staff)
    assert post(applicant, url).json()["status"] == "submitted"


def test_returned_nomination_is_resubmitted_through_the_api(award_round, people):
    nomination = _nominate_self(people.applicant, award_round)
    base = f"/api/nominations/{nomination['id']}"
    applicant, staff = client_for(people.applicant), client_for(people.staff)
    post(applicant, f"{base}/submit/")

    returned = post(staff, f"{base}/check/", {"accept": False, "items": ["成果を数値で"]})
    assert returned.json()["status"] == "returned"
    _refused(post(applicant, f"{base}/submit/"), 409, "invalid_state")
    resubmitted = post(applicant, f"{base}/resubmit/", {"answer": "数値を追記"}).json()
    assert resubmitted["status"] == "submitted"
    assert resubmitted["correction_requests"][0]["answer"] == "数値を追記"


# --- committee -----------------------------------------------------------------------------


def _in_review(round_, user, staff) -> Nomination:
    nomination = _nominate_self(user, round_)
    base = f"/api/nominations/{nomination['id']}"
    post(client_for(user), f"{base}/submit/")
    accepted = post(staff, f"{base}/check/", {"accept": True})
    assert accepted.json()["status"] == "in_review", accepted.json()
    return Nomination.objects.get(pk=nomination["id"])


def _score(nomination: Nomination, value: int) -> None:
    for assignment in ReviewAssignment.objects.filter(item__object_id=nomination.pk):
        committee.scores_submit(
            assignment_id=assignment.pk,
            by=assignment.reviewer,
            scores={"initiative": value, "results": value},
        )


def _as_approver_too(user):
    user.groups.add(Group.objects.get(name=Role.APPROVER.value))
    return get_user_model().objects.get(pk=user.pk)  # without the roles cached on the old one


def test_committee_start_decide_approve_and_commend(award_round, people, reviewers):
    panel = panel_create(award_round, people, reviewers)
    staff = client_for(people.staff)
    strong = _in_review(award_round, people.applicant, staff)
    weak = _in_review(award_round, people.other_applicant, staff)
    _score(strong, 5)
    _score(weak, 2)
    base = f"/api/committees/{panel.pk}"
    decision = {
        "selected_item_ids": [review_item_for(strong).pk],
        "rationale": "評点の順位のとおり",
    }

    _refused(post(client_for(people.approver), f"{base}/start/"), 403, "not_allowed")
    _refused(post(client_for(people.applicant), f"{base}/start/"), 403, "not_allowed")
    assert post(staff, f"{base}/start/").json()["id"] == panel.pk
    _refused(post(staff, f"{base}/start/"), 409, "invalid_state")

    _refused(post(staff, f"{base}/decide/", decision), 403, "not_allowed")  # staff2 chairs
    chair = client_for(people.staff2)
    _refused(
        post(chair, f"{base}/decide/", {**decision, "departures": {"first": "x"}}),
        400,
        "invalid",
        "departures",
    )
    assert post(chair, f"{base}/decide/", decision).status_code == 200

    reviewer_approver = client_for(_as_approver_too(reviewers[0]))
    _refused(post(reviewer_approver, f"{base}/approve/", {"approve": True}), 403, "four_eyes")
    approver = client_for(people.approver)
    _refused(post(approver, f"{base}/approve/", {"approve": False}), 400, "invalid", "note")
    assert post(approver, f"{base}/approve/", {"approve": True}).status_code == 200

    strong.refresh_from_db()
    weak.refresh_from_db()
    assert (strong.status, weak.status) == ("selected", "not_selected")
    assert CommitteeDecision.objects.get(panel=panel).approved_by == people.approver
    assert process_for(ReviewPanel, panel.pk).status == PROCESS.DONE

    commend = {"commended_on": "2027-02-15"}
    _refused(
        post(client_for(people.applicant), f"/api/nominations/{strong.pk}/commend/", commend),
        403,
        "not_allowed",
    )
    _refused(post(staff, f"/api/nominations/{weak.pk}/commend/", commend), 409, "invalid_state")
    commended = post(staff, f"/api/nominations/{strong.pk}/commend/", commend).json()
    assert (commended["status"], commended["commended_on"]) == ("commended", "2027-02-15")
    kinds = set(Letter.objects.filter(subject_id=str(strong.pk)).values_list("kind", flat=True))
    assert Letter.Kind.AWARD_CERTIFICATE in kinds
    public = APIClient().get("/api/public/commendations/").json()["results"]
    assert [row["id"] for row in public] == [strong.pk]


def test_committee_endpoints_refuse_reviewers_and_applicants(award_round, people, reviewers):
    panel = panel_create(award_round, people, reviewers)
    for user in (reviewers[0], people.applicant):
        _refused(
            post(client_for(user), f"/api/committees/{panel.pk}/decide/", {"rationale": "x"}),
            403,
            "not_allowed",
        )


# --- schema --------------------------------------------------------------------------------


def test_openapi_schema_names_the_programme_endpoints(people, client):
    client.force_login(people.staff)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in (
        "/api/declarations/{id}/submit/",
        "/api/declarations/{id}/check/",
        "/api/declarations/{id}/consent/",
        "/api/nominations/{id}/consent/",
        "/api/nominations/{id}/cite/",
        "/api/nominations/{id}/documents/",
        "/api/nominations/{id}/commend/",
        "/api/committees/{id}/start/",
        "/api/committees/{id}/decide/",
        "/api/committees/{id}/approve/",
    ):
        assert path in text
