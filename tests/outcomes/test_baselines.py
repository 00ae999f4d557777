"""Baselines (現状値) are captured with the application: required at submission when the round
defines outcome measures, validated by each measure's rules, audited."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from applications.exceptions import BaselinesMissing
from applications.models import Application, Baseline, OutcomeMeasure
from applications.services import baselines_set
from audit.models import AuditEvent
from core.errors import InvalidState, NotAllowed, ValidationFailed
from fixtures.demo import draft_create
from workflows import services as wf
from workflows import steps

from .helpers import MEASURES

pytestmark = pytest.mark.django_db
S = Application.Status


def baselines_of(application):
    return {b.measure.code: b.value for b in application.baselines.select_related("measure")}


def test_submit_when_round_defines_measures_and_baselines_missing_refused(draft, people):
    # given a draft made before its round asked for outcome measures
    draft.round.outcome_measures.set(OutcomeMeasure.objects.filter(code__in=MEASURES))
    assert not draft.baselines.exists()
    # when it is submitted
    with pytest.raises(BaselinesMissing) as refused:
        wf.subsidy_submit(application_id=draft.pk, by=people.applicant)
    # then it is refused, naming the measures in Japanese, and stays a draft
    assert refused.value.code == "baselines_missing"
    assert refused.value.field == "baselines"
    assert "従業員1人当たり月平均残業時間" in str(refused.value.message)
    assert "年間売上高" in str(refused.value.message)
    assert Application.objects.get(pk=draft.pk).status == S.DRAFT


def test_submit_with_one_baseline_missing_names_only_that_one(measured_draft, people):
    Baseline.objects.filter(application=measured_draft, measure__code="annual_sales").delete()
    with pytest.raises(BaselinesMissing) as refused:
        wf.subsidy_submit(application_id=measured_draft.pk, by=people.applicant)
    assert "年間売上高" in str(refused.value.message)
    assert "残業" not in str(refused.value.message)


def test_submit_with_every_baseline_succeeds(measured_draft, people):
    application = wf.subsidy_submit(application_id=measured_draft.pk, by=people.applicant)
    assert application.status == S.SUBMITTED


def test_submit_round_without_measures_needs_no_baselines(draft, people):
    assert wf.subsidy_submit(application_id=draft.pk, by=people.applicant).status == S.SUBMITTED


def test_resubmit_after_return_still_needs_baselines(measured_draft, people):
    wf.subsidy_submit(application_id=measured_draft.pk, by=people.applicant)
    wf.step_complete(
        application_id=measured_draft.pk,
        step=steps.CHECK_DOCUMENTS,
        by=people.staff,
        data={"accept": False, "items": ["残業時間の算定根拠を添付してください"]},
    )
    Baseline.objects.filter(application=measured_draft, measure__code="overtime_hours").delete()
    with pytest.raises(BaselinesMissing):
        wf.subsidy_resubmit(application_id=measured_draft.pk, by=people.applicant)
    # a returned application may correct its baselines, then resubmit
    baselines_set(
        application_id=measured_draft.pk, values={"overtime_hours": "23.0"}, by=people.applicant
    )
    wf.subsidy_resubmit(application_id=measured_draft.pk, by=people.applicant)
    assert Application.objects.get(pk=measured_draft.pk).status == S.SUBMITTED
    assert baselines_of(measured_draft)["overtime_hours"] == Decimal("23.0")


def test_baselines_set_updates_only_the_given_codes_and_audits(measured_draft, people):
    before = baselines_of(measured_draft)
    baselines_set(
        application_id=measured_draft.pk,
        values={"annual_sales": Decimal("510000000"), "qualifications": 4},
        by=people.colleague,
    )
    after = baselines_of(measured_draft)
    assert after == {**before, "annual_sales": Decimal("510000000"), "qualifications": 4}
    event = AuditEvent.objects.filter(action="baselines_set").order_by("-pk").first()
    assert event.actor == people.colleague
    assert event.subject_id == str(measured_draft.pk)
    assert event.data == {"annual_sales": "510000000", "qualifications": "4"}


@pytest.mark.parametrize(
    ("values", "code", "field"),
    [
        ({"unknown_measure": "1"}, "unknown_measure", "baselines.unknown_measure"),
        ({"defect_rate": "1.0"}, "unknown_measure", "baselines.defect_rate"),  # not this round's
        ({"overtime_hours": "-1"}, "out_of_range", "baselines.overtime_hours"),
        ({"overtime_hours": "12.25"}, "too_many_decimals", "baselines.overtime_hours"),
        ({"qualifications": "2.5"}, "too_many_decimals", "baselines.qualifications"),
        ({"annual_sales": "たくさん"}, "not_a_number", "baselines.annual_sales"),
        ({"annual_sales": "1e30"}, "out_of_range", "baselines.annual_sales"),
    ],
)
def test_baselines_set_invalid_refused_with_code_and_nothing_stored(
    measured_draft, people, values, code, field
):
    before = baselines_of(measured_draft)
    with pytest.raises(ValidationFailed) as refused:
        baselines_set(
            application_id=measured_draft.pk,
            values={"annual_sales": "1", **values},
            by=people.applicant,
        )
    assert (refused.value.code, refused.value.field) == (code, field)
    assert baselines_of(measured_draft) == before  # the valid sales value was not kept either


def test_baselines_set_trailing_zeros_within_places_accepted(measured_draft, people):
    baselines_set(
        application_id=measured_draft.pk,
        values={"qualifications": "7.00", "annual_sales": "1,200,000"},
        by=people.applicant,
    )
    assert baselines_of(measured_draft)["qualifications"] == 7
    assert baselines_of(measured_draft)["annual_sales"] == 1_200_000


def test_baselines_set_by_another_company_refused(measured_draft, people):
    with pytest.raises(NotAllowed):
        baselines_set(
            application_id=measured_draft.pk,
            values={"qualifications": "1"},
            by=people.other_applicant,
        )
    with pytest.raises(NotAllowed):
        baselines_set(
            application_id=measured_draft.pk, values={"qualifications": "1"}, by=people.staff
        )


def test_baselines_set_after_submission_refused(measured_draft, people):
    wf.subsidy_submit(application_id=measured_draft.pk, by=people.applicant)
    with pytest.raises(InvalidState):
        baselines_set(
            application_id=measured_draft.pk, values={"qualifications": "1"}, by=people.applicant
        )
    assert baselines_of(measured_draft)["qualifications"] == 3


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="ja")
    client.force_authenticate(user)
    return client


def test_api_create_with_baselines_then_set_then_submit(measured_round, people):
    client = api(people.applicant)
    rounds = client.get("/api/rounds/").json()
    listed = rounds["results"] if isinstance(rounds, dict) else rounds
    measures = [m["code"] for m in listed[0]["outcome_measures"]]
    assert measures == MEASURES  # in the catalogue's order

    created = client.post(
        "/api/applications/",
        {"round": measured_round.pk, "baselines": {"overtime_hours": "30.5"}},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["baselines"] == [{"measure": "overtime_hours", "value": "30.50"}]
    pk = created.json()["id"]

    refused = client.post(
        f"/api/applications/{pk}/baselines/", {"values": {"qualifications": "0.5"}}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "too_many_decimals"
    assert refused.json()["field"] == "baselines.qualifications"

    saved = client.post(
        f"/api/applications/{pk}/baselines/",
        {"values": {"annual_sales": "90000000", "qualifications": "0"}},
        format="json",
    )
    assert saved.status_code == 200, saved.json()
    assert {b["measure"] for b in saved.json()["baselines"]} == set(MEASURES)


def test_api_create_with_invalid_baseline_creates_nothing(measured_round, people):
    response = api(people.applicant).post(
        "/api/applications/",
        {"round": measured_round.pk, "baselines": {"overtime_hours": "-3"}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "out_of_range"
    assert not Application.objects.exists()


def test_api_submit_without_baselines_answers_the_code(draft, people):
    draft.round.outcome_measures.set(OutcomeMeasure.objects.filter(code__in=MEASURES))
    response = api(people.applicant).post(f"/api/applications/{draft.pk}/submit/")
    assert response.status_code == 422
    assert response.json()["code"] == "baselines_missing"


def test_portal_draft_page_has_baseline_inputs_and_saves_them(measured_round, people, client):
    application = draft_create(measured_round, people.colleague)
    client.force_login(people.applicant)
    page = client.get(f"/portal/applications/{application.pk}/").content.decode()
    assert 'name="baselines-overtime_hours"' in page
    assert 'value="24.5"' in page  # the current baseline is the field's value
    assert "従業員1人当たり月平均残業時間 (時間)" in page

    response = client.post(
        f"/portal/applications/{application.pk}/baselines/",
        {
            "baselines-overtime_hours": "22.5",
            "baselines-annual_sales": "",
            "baselines-qualifications": "4",
        },
    )
    assert response.status_code == 302
    assert baselines_of(application) == {
        "overtime_hours": Decimal("22.5"),
        "annual_sales": Decimal("480000000"),  # left blank: kept
        "qualifications": Decimal("4"),
    }


def test_portal_after_submission_shows_baselines_without_inputs(measured_draft, people, client):
    wf.subsidy_submit(application_id=measured_draft.pk, by=people.applicant)
    client.force_login(people.applicant)
    page = client.get(f"/portal/applications/{measured_draft.pk}/").content.decode()
    assert 'name="baselines-overtime_hours"' not in page
    assert "480,000,000" in page
