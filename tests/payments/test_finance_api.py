"""The finance API: payables, payment batches (prepare, release exactly once under an
Idempotency-Key, cancel, the bank file, the bank's results) and the applicant's payee accounts."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from applications.models import Application
from audit.models import AuditEvent
from core.models import IdempotencyRecord
from payments import services
from payments.models import BatchItem, Payable, PayeeAccount, PaymentBatch

from .conftest import ACCOUNT, results_csv

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(user)
    return client


@pytest.fixture
def batch(payable, other_payable, finance_team, transfer_day):
    return services.batch_prepare(
        by=finance_team.preparer,
        transfer_date=transfer_day,
        payable_ids=[payable.pk, other_payable.pk],
    )


@pytest.fixture
def released(batch, finance_team, run_on_commit):
    return run_on_commit(services.batch_release, batch_id=batch.pk, by=finance_team.releaser)


def release_events(batch):
    return AuditEvent.objects.filter(action="batch_release", subject_id=str(batch.pk))


def test_payables_list_masks_the_account(payable, other_payable, finance_team):
    response = api(finance_team.preparer).get("/api/payables/")

    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["results"]}
    assert set(rows) == {payable.pk, other_payable.pk}
    assert rows[payable.pk]["application_reference"] == payable.application.reference
    assert (rows[payable.pk]["amount"], rows[payable.pk]["account_number"]) == (
        payable.amount,
        "****567",
    )


def test_batch_create_prepares_a_batch(payable, other_payable, finance_team, transfer_day):
    response = api(finance_team.preparer).post(
        "/api/payment-batches/",
        {"transfer_date": transfer_day.isoformat(), "payable_ids": [payable.pk, other_payable.pk]},
        format="json",
    )

    assert response.status_code == 201, response.json()
    batch = PaymentBatch.objects.get()
    body = response.json()
    assert (body["id"], body["status"], body["prepared_by"]) == (batch.pk, "prepared", "finance")
    assert body["total"] == payable.amount + other_payable.amount
    assert sorted(item["payable"] for item in body["items"]) == [payable.pk, other_payable.pk]
    assert {item["account_number"] for item in body["items"]} == {"****567", "****321"}


def test_batch_create_on_a_weekend_is_refused_with_the_field(payable, finance_team):
    saturday = "2030-01-05"

    response = api(finance_team.preparer).post(
        "/api/payment-batches/",
        {"transfer_date": saturday, "payable_ids": [payable.pk]},
        format="json",
    )

    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("invalid", "transfer_date")
    assert not PaymentBatch.objects.exists()


def test_batch_release_by_the_preparer_is_refused(batch, finance_team):
    response = api(finance_team.preparer).post(f"/api/payment-batches/{batch.pk}/release/")

    assert response.status_code == 403
    assert response.json()["code"] == "four_eyes"
    assert "You prepared this batch" in response.json()["message"]
    assert not release_events(batch).exists()


def test_batch_release_same_idempotency_key_twice_releases_once(
    batch, finance_team, django_capture_on_commit_callbacks
):
    client = api(finance_team.releaser)
    url = f"/api/payment-batches/{batch.pk}/release/"

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, headers={"Idempotency-Key": "release-1"})
    again = client.post(url, headers={"Idempotency-Key": "release-1"})

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert first.json()["status"] == "released"
    assert first.json()["released_by"] == finance_team.releaser.get_username()
    assert release_events(batch).count() == 1
    assert IdempotencyRecord.objects.filter(key="release-1").count() == 1
    # without the key, a repeat is refused: a batch is released once
    assert client.post(url).status_code == 409
    assert release_events(batch).count() == 1


def test_batch_release_above_the_threshold_waits_for_a_second_releaser(
    payable, other_payable, finance_team, transfer_day, settings
):
    settings.KOFU_SECOND_RELEASER_ABOVE = payable.amount
    batch = services.batch_prepare(
        by=finance_team.preparer,
        transfer_date=transfer_day,
        payable_ids=[payable.pk, other_payable.pk],
    )

    first = api(finance_team.releaser).post(f"/api/payment-batches/{batch.pk}/release/")
    twice = api(finance_team.releaser).post(f"/api/payment-batches/{batch.pk}/release/")

    assert first.status_code == 200
    assert (first.json()["status"], first.json()["awaiting_second_releaser"]) == (
        "prepared",
        True,
    )
    assert (twice.status_code, twice.json()["code"]) == (403, "four_eyes")
    second = api(finance_team.second).post(f"/api/payment-batches/{batch.pk}/release/")
    assert second.json()["status"] == "released"
    assert second.json()["second_releaser"] == finance_team.second.get_username()


def test_batch_file_is_the_stored_zengin_file(released, finance_team):
    response = api(finance_team.preparer).get(f"/api/payment-batches/{released.pk}/file/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert (
        f"sogo-furikomi-{released.transfer_date:%Y-%m-%d}-{released.pk}.txt"
        in (response["Content-Disposition"])
    )
    released.refresh_from_db()
    with released.file.open("rb") as stored:
        assert response.content == stored.read()
    assert response.content[:3] == b"121"
    assert response["X-Content-SHA256"] == released.file_sha256


def test_batch_file_before_release_is_409(batch, finance_team):
    response = api(finance_team.releaser).get(f"/api/payment-batches/{batch.pk}/file/")

    assert (response.status_code, response.json()["code"]) == (409, "invalid_state")


def test_batch_cancel_returns_the_payables(batch, payable, finance_team):
    response = api(finance_team.releaser).post(
        f"/api/payment-batches/{batch.pk}/cancel/", {"reason": "wrong date"}, format="json"
    )

    assert (response.status_code, response.json()["status"]) == (200, "cancelled")
    assert Payable.objects.get(pk=payable.pk).status == Payable.Status.PAYABLE


def test_batch_reconcile_marks_paid_and_failed(
    released, payable, other_payable, finance_team, bank_day
):
    paid = BatchItem.objects.get(batch=released, payable=payable)
    failed = BatchItem.objects.get(batch=released, payable=other_payable)
    upload = SimpleUploadedFile(
        "results.csv",
        results_csv([(paid, True, ""), (failed, False, "口座なし")], encoding="cp932"),
    )

    response = api(finance_team.second).post(
        f"/api/payment-batches/{released.pk}/reconcile/", {"file": upload}, format="multipart"
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["paid"], body["failed"]) == ("reconciled", 1, 1)
    assert body["failed_application_ids"] == [other_payable.application_id]
    assert Application.objects.get(pk=payable.application_id).status == Application.Status.PAID
    other_payable.refresh_from_db()
    assert (other_payable.status, other_payable.failure_reason) == ("payable", "口座なし")
    detail = api(finance_team.second).get(f"/api/payment-batches/{released.pk}/").json()
    assert {(item["result"], item["reason"]) for item in detail["items"]} == {
        ("paid", ""),
        ("failed", "口座なし"),
    }


def test_batch_list_and_retrieve_for_auditors(released, people):
    client = api(people.auditor)

    listed = client.get("/api/payment-batches/").json()["results"]
    detail = client.get(f"/api/payment-batches/{released.pk}/").json()

    assert [row["id"] for row in listed] == [released.pk]
    assert (detail["item_count"], len(detail["items"])) == (2, 2)
    assert client.post(f"/api/payment-batches/{released.pk}/cancel/").status_code == 403


MONDAY = "2030-01-07"


def finance_endpoints(batch, payable):
    prefix = f"/api/payment-batches/{batch.pk}/"
    upload = SimpleUploadedFile("results.csv", b"customer_code,result,reason\r\n")
    return [
        ("get", "/api/payables/", None),
        ("get", "/api/payment-batches/", None),
        ("get", prefix, None),
        ("get", f"{prefix}file/", None),
        (
            "post",
            "/api/payment-batches/",
            {"transfer_date": "2030-01-07", "payable_ids": [payable.pk]},
        ),
        ("post", f"{prefix}release/", None),
        ("post", f"{prefix}cancel/", {}),
        ("post", f"{prefix}reconcile/", {"file": upload}),
    ]


@pytest.mark.parametrize("role", ["applicant", "staff", "approver"])
def test_finance_endpoints_are_403_for_everybody_else(batch, payable, people, role):
    client = api(getattr(people, role))

    for method, url, data in finance_endpoints(batch, payable):
        kwargs = {"format": "multipart"} if data and "file" in data else {"format": "json"}
        response = getattr(client, method)(url, data, **kwargs)
        assert response.status_code == 403, (method, url)
        assert response.json()["code"] in {"permission_denied", "not_allowed"}
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.PREPARED


def test_payee_accounts_applicant_registers_and_lists_own_company(people):
    services.payee_account_register(
        by=people.other_applicant, **{**ACCOUNT, "bank_code": "0130", "branch_code": "004"}
    )
    client = api(people.applicant)

    created = client.post("/api/payee-accounts/", {**ACCOUNT, "branch_code": "1"}, format="json")
    listed = client.get("/api/payee-accounts/").json()["results"]

    assert created.status_code == 201, created.json()
    account = PayeeAccount.objects.get(pk=created.json()["id"])
    assert (account.company, account.branch_code, account.created_by) == (
        people.applicant.profile.company,
        "001",
        people.applicant,
    )
    assert [row["id"] for row in listed] == [account.pk]
    assert created.json()["bank_name"]


def test_payee_accounts_unknown_bank_is_refused_naming_the_field(people):
    response = api(people.applicant).post(
        "/api/payee-accounts/", {**ACCOUNT, "bank_code": "9998"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["field"] == "bank_code"
    assert not PayeeAccount.objects.exists()


@pytest.mark.parametrize("role", ["finance", "staff", "auditor"])
def test_payee_accounts_are_403_for_users_without_a_company(people, role):
    client = api(getattr(people, role))

    assert client.get("/api/payee-accounts/").status_code == 403
    assert client.post("/api/payee-accounts/", ACCOUNT, format="json").status_code == 403
    assert not PayeeAccount.objects.exists()


def test_schema_still_builds_with_the_finance_endpoints(people):
    response = api(people.finance).get("/api/schema/")

    assert response.status_code == 200
    text = response.content.decode()
    for path in ("/api/payables/", "/api/payment-batches/{id}/release/", "/api/payee-accounts/"):
        assert path in text


def test_batch_reconcile_paid_before_the_transfer_date_is_refused_with_its_code(
    released, payable, finance_team
):
    item = BatchItem.objects.get(batch=released, payable=payable)
    upload = SimpleUploadedFile("results.csv", results_csv([(item, True, "")]))

    response = api(finance_team.second).post(
        f"/api/payment-batches/{released.pk}/reconcile/", {"file": upload}, format="multipart"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "before_transfer_date"
    assert response.json()["field"] == "data"
    item.refresh_from_db()
    assert item.result == BatchItem.Result.PENDING
