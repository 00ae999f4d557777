"""The grant decision freezes its terms; the amount is confirmed by them and by the amount the
approver was shown (``expected_amount``), never by the round as edited later."""

import pytest
from rest_framework.test import APIClient

from applications import services
from applications.exceptions import AmountChanged
from applications.models import Application, CostType, Decision, SubsidyRound
from audit.models import AuditEvent
from fixtures.demo import advance
from workflows import services as wf
from workflows import steps
from workflows.services import active_task

pytestmark = pytest.mark.django_db

S = Application.Status


def _edit_round_after_grant(round_id):
    round_ = SubsidyRound.objects.get(pk=round_id)
    round_.rate_numerator, round_.rate_denominator = 1, 4
    round_.cap_per_trainee = 10_000
    round_.rounding_unit = 5_000
    round_.save()
    round_.eligible_cost_types.set(CostType.objects.filter(code="tuition"))


def _confirmations(application):
    return AuditEvent.objects.filter(
        subject_type="applications.application",
        subject_id=str(application.pk),
        action="confirm_amount",
    )


def test_grant_decide_freezes_the_rounds_terms_on_the_decision(draft, people):
    application = advance(draft, "granted", vars(people))
    grant = application.decisions.get(kind=Decision.Kind.GRANT)
    assert grant.terms == {
        "rate_numerator": 1,
        "rate_denominator": 2,
        "cap_per_trainee": 100_000,
        "cap_per_company": 500_000,
        "rounding_unit": 1000,
        "eligible_cost_types": ["exam_fee", "materials", "tuition"],
    }


def test_amount_confirm_after_round_edit_applies_the_granted_terms(draft, people):
    # given a grant of ¥187,000 (tuition and exam fees at 1/2, cap ¥100,000 a trainee)
    application = advance(draft, "results_checked", vars(people))
    # when the round is edited afterwards: 1/4, ¥10,000 a trainee, ¥5,000 unit, no exam fees
    _edit_round_after_grant(application.round_id)
    # then the amount shown and confirmed is still that of the terms granted
    assert services.amount_to_confirm(application) == 187_000
    decision = services.amount_confirm(
        application_id=application.pk, by=people.approver, expected_amount=187_000
    )
    assert decision.amount == 187_000
    assert Application.objects.get(pk=application.pk).confirmed_amount == 187_000
    assert decision.terms["rate_denominator"] == 2
    assert decision.computation["excluded"] == []


def test_amount_confirm_expected_amount_differs_refused_and_nothing_changes(draft, people):
    application = advance(draft, "results_checked", vars(people))
    committed = SubsidyRound.objects.get(pk=application.round_id).committed_total
    with pytest.raises(AmountChanged) as refused:
        services.amount_confirm(
            application_id=application.pk, by=people.approver, expected_amount=186_000
        )
    assert refused.value.code == "amount_changed"
    assert "187,000" in str(refused.value.message)
    application.refresh_from_db()
    assert application.status == S.RESULTS_CHECKED
    assert application.confirmed_amount is None
    assert not application.decisions.filter(kind=Decision.Kind.AMOUNT_CONFIRMATION).exists()
    assert not _confirmations(application).exists()
    assert SubsidyRound.objects.get(pk=application.round_id).committed_total == committed


def test_api_confirm_amount_with_a_stale_amount_refused_with_amount_changed(draft, people):
    application = advance(draft, "results_checked", vars(people))
    client = APIClient()
    client.force_authenticate(people.approver)
    url = f"/api/applications/{application.pk}/confirm-amount/"
    shown = client.get(f"/api/applications/{application.pk}/").json()["amount_to_confirm"]
    assert shown == 187_000

    missing = client.post(url, {}, format="json")
    stale = client.post(url, {"expected_amount": shown + 1_000}, format="json")

    assert missing.status_code == 400
    assert missing.json()["field"] == "expected_amount"
    assert stale.status_code == 409
    assert stale.json()["code"] == "amount_changed"
    assert stale.json()["field"] == "expected_amount"
    assert Application.objects.get(pk=application.pk).status == S.RESULTS_CHECKED
    assert not _confirmations(application).exists()
    done = client.post(url, {"expected_amount": shown}, format="json")
    assert done.status_code == 200
    assert done.json()["confirmed_amount"] == 187_000


def test_confirm_step_page_shows_the_amount_and_refuses_a_changed_one(draft, people, client):
    application = advance(draft, "results_checked", vars(people))
    task = active_task(application.pk, "confirm_amount")
    client.force_login(people.approver)
    base = f"/workspace/tasks/{task.pk}/"

    page = client.get(base).content.decode()
    assert "187,000円" in page
    assert 'name="expected_amount" value="187000"' in page

    refused = client.post(base, {"expected_amount": "180000", "confirm": "on"})
    assert refused.status_code == 422
    assert "187,000円" in refused.content.decode()
    assert Application.objects.get(pk=application.pk).status == S.RESULTS_CHECKED
    assert not _confirmations(application).exists()

    client.post(base, {"expected_amount": "187000", "confirm": "on"})
    assert Application.objects.get(pk=application.pk).confirmed_amount == 187_000


def test_step_confirm_amount_passes_the_expected_amount_to_the_service(draft, people):
    application = advance(draft, "results_checked", vars(people))
    with pytest.raises(AmountChanged):
        wf.step_complete(
            application_id=application.pk,
            step=steps.CONFIRM_AMOUNT,
            by=people.approver,
            data={"expected_amount": 1},
        )
    assert Application.objects.get(pk=application.pk).status == S.RESULTS_CHECKED
