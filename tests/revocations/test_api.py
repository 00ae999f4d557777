"""The revocations API: staff prepare, another approver decides exactly once under an
Idempotency-Key, staff or approvers cancel, finance records repayments; staff-side roles read."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from applications.models import Application
from audit.models import AuditEvent
from core.models import IdempotencyRecord
from letters.models import Letter
from revocations import services
from revocations.models import RepaymentReceipt, Revocation

from .conftest import GRANTED_AMOUNT, REASON, at

pytestmark = pytest.mark.django_db

BASE = "/api/revocations/"


def api(user) -> APIClient:
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(user)
    return client


def prepare(application, by, deadline=None) -> Revocation:
    return services.revocation_prepare(
        application_id=application.pk,
        by=by,
        reason=REASON,
        revoked_amount=GRANTED_AMOUNT,
        repayment_deadline=deadline,
    )


def test_staff_prepare_through_the_api(paid, people, deadline, transfer_day):
    response = api(people.staff).post(
        BASE,
        {
            "application_id": paid.pk,
            "reason": REASON,
            "revoked_amount": GRANTED_AMOUNT,
            "repayment_deadline": deadline.isoformat(),
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    revocation = Revocation.objects.get()
    body = response.json()
    assert (body["id"], body["status"], body["prepared_by"]) == (revocation.pk, "prepared", "staff")
    assert (body["paid_amount"], body["repayment_amount"]) == (GRANTED_AMOUNT, GRANTED_AMOUNT)
    assert body["interest_from"] == transfer_day.isoformat()
    assert body["original"]["id"] == revocation.original_id
    assert body["original"]["amount"] == GRANTED_AMOUNT
    assert body["original"]["number"] == Letter.objects.get(kind="grant_decision").number_text
    assert body["due"]["principal_outstanding"] == GRANTED_AMOUNT


def test_prepare_of_a_paid_grant_without_a_deadline_names_the_field(paid, people):
    response = api(people.staff).post(
        BASE,
        {"application_id": paid.pk, "reason": REASON, "revoked_amount": GRANTED_AMOUNT},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["field"] == "repayment_deadline"
    assert not Revocation.objects.exists()


def test_only_staff_prepare(paid, people, deadline):
    data = {
        "application_id": paid.pk,
        "reason": REASON,
        "revoked_amount": GRANTED_AMOUNT,
        "repayment_deadline": deadline.isoformat(),
    }

    for user in (people.approver, people.finance, people.auditor):
        response = api(user).post(BASE, data, format="json")
        assert response.status_code == 403, user
    assert not Revocation.objects.exists()


def test_decide_under_an_idempotency_key_decides_once(
    paid, people, deadline, django_capture_on_commit_callbacks
):
    revocation = prepare(paid, people.staff, deadline)
    client = api(people.approver2)
    url = f"{BASE}{revocation.pk}/decide/"

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, format="json", headers={"Idempotency-Key": "revoke-1"})
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, format="json", headers={"Idempotency-Key": "revoke-1"})

    assert first.status_code == 200, first.json()
    assert first.json()["status"] == "ordered"
    assert first.json()["decided_by"] == "approver2"
    assert first.json()["letter_url"] == f"/letters/{first.json()['letter']}/pdf/"
    assert (again.status_code, again.json()) == (200, first.json())
    assert again["Idempotent-Replayed"] == "true"
    assert Letter.objects.filter(kind=Letter.Kind.REVOCATION).count() == 1
    assert AuditEvent.objects.filter(action="revocation_decide").count() == 1
    assert IdempotencyRecord.objects.filter(key="revoke-1").count() == 1
    assert Application.objects.get(pk=paid.pk).status == Application.Status.REVOKED


def test_decide_again_without_a_key_is_refused_as_decided(ordered, people):
    response = api(people.approver2).post(f"{BASE}{ordered.pk}/decide/")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_state"


def test_preparer_cannot_decide(paid, people, chief, deadline):
    revocation = prepare(paid, chief, deadline)

    response = api(chief).post(f"{BASE}{revocation.pk}/decide/")

    assert response.status_code == 403
    assert response.json()["code"] == "four_eyes"
    assert Revocation.objects.get(pk=revocation.pk).status == Revocation.Status.PREPARED
    assert Application.objects.get(pk=paid.pk).status == Application.Status.PAID


def test_cancel_needs_a_reason_and_leaves_the_grant(paid, people, deadline):
    revocation = prepare(paid, people.staff, deadline)
    client = api(people.approver)

    missing = client.post(f"{BASE}{revocation.pk}/cancel/", {}, format="json")
    done = client.post(f"{BASE}{revocation.pk}/cancel/", {"reason": "事実誤認"}, format="json")

    assert (missing.status_code, missing.json()["field"]) == (400, "reason")
    assert (done.status_code, done.json()["status"]) == (200, "cancelled")
    assert Application.objects.get(pk=paid.pk).status == Application.Status.PAID


def test_finance_records_repayments_until_settled(ordered, people, time_machine):
    url = f"{BASE}{ordered.pk}/repayments/"
    day10 = ordered.interest_from + dt.timedelta(days=10)
    day20 = ordered.interest_from + dt.timedelta(days=20)
    client = api(people.finance)

    time_machine.move_to(at(day10), tick=False)
    partial = client.post(url, {"amount": 87_000, "received_on": day10.isoformat()}, format="json")
    time_machine.move_to(at(day20), tick=False)
    shown = client.get(f"{BASE}{ordered.pk}/").json()
    full = client.post(url, {"amount": 100_861, "received_on": day20.isoformat()}, format="json")

    assert partial.status_code == 201, partial.json()
    assert partial.json()["status"] == "ordered"
    # 187,000 × 10 + 100,000 × 10 yen-days at 0.0003 a day = ¥861
    assert shown["due"] == {
        "on": day20.isoformat(),
        "principal_outstanding": 100_000,
        "interest": 861,
        "total": 100_861,
    }
    assert full.status_code == 201, full.json()
    body = full.json()
    assert body["status"] == "settled"
    assert [receipt["amount"] for receipt in body["receipts"]] == [87_000, 100_861]
    assert body["due"]["total"] == 0


def test_repayment_with_an_idempotency_key_is_recorded_once(ordered, people, time_machine):
    day5 = ordered.interest_from + dt.timedelta(days=5)
    time_machine.move_to(at(day5), tick=False)
    client = api(people.finance)
    data = {"amount": 10_000, "received_on": day5.isoformat()}
    url = f"{BASE}{ordered.pk}/repayments/"

    first = client.post(url, data, format="json", headers={"Idempotency-Key": "bank-0001"})
    again = client.post(url, data, format="json", headers={"Idempotency-Key": "bank-0001"})

    assert (first.status_code, again.status_code) == (201, 201)
    assert RepaymentReceipt.objects.count() == 1


def test_only_finance_records_repayments(ordered, people, time_machine):
    day5 = ordered.interest_from + dt.timedelta(days=5)
    time_machine.move_to(at(day5), tick=False)

    for user in (people.staff, people.approver):
        response = api(user).post(
            f"{BASE}{ordered.pk}/repayments/",
            {"amount": 1_000, "received_on": day5.isoformat()},
            format="json",
        )
        assert response.status_code == 403
    assert not RepaymentReceipt.objects.exists()


def test_staff_side_roles_read_and_filter_by_status(ordered, people):
    for user in (people.staff, people.approver, people.finance, people.auditor):
        listed = api(user).get(BASE)
        assert listed.status_code == 200
        assert [row["id"] for row in listed.json()["results"]] == [ordered.pk]

    assert api(people.auditor).get(f"{BASE}?status=prepared").json()["results"] == []
    detail = api(people.auditor).get(f"{BASE}{ordered.pk}/").json()
    assert detail["application_reference"] == ordered.application.reference


def test_companies_and_reviewers_are_refused(ordered, people, reviewers):
    for user in (people.applicant, reviewers[0]):
        client = api(user)
        assert client.get(BASE).status_code == 403
        assert client.get(f"{BASE}{ordered.pk}/").status_code == 403
        assert client.post(f"{BASE}{ordered.pk}/decide/").status_code == 403


def test_unknown_revocation_is_not_found(people):
    response = api(people.approver).post(f"{BASE}999999/decide/")

    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_schema_documents_the_revocation_endpoints(people):
    response = api(people.staff).get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/revocations/", "/api/revocations/{id}/decide/"):
        assert path in paths
    assert "/api/revocations/{id}/repayments/" in paths
    decide = paths["/api/revocations/{id}/decide/"]["post"]
    assert "Idempotency-Key" in [parameter["name"] for parameter in decide["parameters"]]
