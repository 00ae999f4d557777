"""The REST API as applicants and staff use it: the lifecycle, visibility, errors, idempotency."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from applications.models import Application
from core.dates import add_business_days, today_jst
from fixtures.demo import advance
from fixtures.documents import pdf_bytes
from fixtures.payments import account_of, bank_result_file, on_transfer_date
from fixtures.reference import REQUIRED_DOCUMENT_TYPES
from payments.models import Payment
from payments.selectors import payable_for_application
from payments.services import batch_file_build, batch_prepare, batch_release, reconciliation_import

pytestmark = pytest.mark.django_db
S = Application.Status


def client_for(user, language="ja"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


def post(client, url, data=None, **headers):
    return client.post(url, data or {}, format="json", headers=headers)


def test_api_lifecycle_as_each_role(subsidy_round, people, run_on_commit):
    applicant = client_for(people.applicant)
    created = post(applicant, "/api/applications/", {"round": subsidy_round.pk})
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    base = f"/api/applications/{pk}"
    line = {
        "trainee_name": "山田",
        "course_name": "データ分析講座",
        "provider": "茨城大学",
        "start_date": "2027-01-10",
        "end_date": "2027-02-10",
        "cost_type": "tuition",
        "amount": 240_000,
    }
    assert post(applicant, f"{base}/training-lines/", line).status_code == 201
    for code in REQUIRED_DOCUMENT_TYPES[:3]:
        upload = applicant.post(
            f"{base}/documents/",
            {
                "document_type": code,
                "file": SimpleUploadedFile(f"{code}.pdf", pdf_bytes(code)),
            },
            format="multipart",
        )
        assert upload.status_code == 201, upload.json()

    assert run_on_commit(post, applicant, f"{base}/submit/").json()["status"] == "submitted"
    staff, approver = client_for(people.staff), client_for(people.approver)
    assert post(staff, f"{base}/check-documents/", {"accept": True}).json()["status"] == "screening"
    screened = post(
        staff,
        f"{base}/screen/",
        {"eligible": True, "recommend_grant": True, "reason": "要件を満たす"},
    )
    assert screened.json()["status"] == "decision_pending"
    decided = post(approver, f"{base}/decide/", {"approve": True}, **{"Idempotency-Key": "d-1"})
    assert decided.json()["decided_amount"] == 100_000  # 1/2 of 240,000 capped per trainee

    decided_on = dt.date.fromisoformat(decided.json()["decided_on"])
    certificate = applicant.post(
        f"{base}/documents/",
        {
            "document_type": "completion_certificate",
            "file": SimpleUploadedFile("certificate.pdf", pdf_bytes("cert")),
        },
        format="multipart",
    )
    assert certificate.status_code == 201
    results = post(
        applicant,
        f"{base}/results/",
        {
            "costs": [
                {
                    "trainee_name": "山田",
                    "course_name": "データ分析講座",
                    "cost_type": "tuition",
                    "incurred_on": str(decided_on + dt.timedelta(days=30)),
                    "amount": 150_000,
                    "evidence_document_id": certificate.json()["id"],
                }
            ]
        },
    )
    assert results.json()["status"] == "results_submitted", results.json()
    checked = post(client_for(people.staff2), f"{base}/check-results/", {"accept": True})
    assert checked.json()["status"] == "results_checked"
    shown = approver.get(f"{base}/").json()["amount_to_confirm"]
    assert shown == 75_000
    confirmed = post(
        approver,
        f"{base}/confirm-amount/",
        {"expected_amount": shown},
        **{"Idempotency-Key": "c-1"},
    )
    assert confirmed.json()["confirmed_amount"] == 75_000
    claimed = post(applicant, f"{base}/claim/", {"account_id": account_of(people.applicant)})
    assert claimed.json()["status"] == "confirmed"
    batch = batch_prepare(
        by=people.finance,
        transfer_date=add_business_days(today_jst(), 2),
        payable_ids=[payable_for_application(pk).pk],
    )
    batch_release(batch_id=batch.pk, by=people.finance2)
    batch = batch_file_build(batch_id=batch.pk)
    with on_transfer_date(batch):
        reconciliation_import(batch_id=batch.pk, by=people.finance, data=bank_result_file(batch))
    assert applicant.get(base + "/").json()["status"] == "paid"
    assert Payment.objects.get(application_id=pk).amount == 75_000

    trail = applicant.get(f"{base}/events/").json()
    changes = [row for row in trail if row["to"] != row["from"]]
    own = [row["action"] for row in changes if row["record"] == "applications.application"]
    assert own[-1] == "transfer_paid"
    assert "payment_claim" in [row["action"] for row in changes]


def test_api_other_company_application_is_404(draft, people):
    other = client_for(people.other_applicant)
    assert other.get(f"/api/applications/{draft.pk}/").status_code == 404
    assert other.get(f"/api/applications/{draft.pk}/events/").status_code == 404
    assert post(other, f"/api/applications/{draft.pk}/submit/").status_code == 404
    assert draft.pk not in [row["id"] for row in other.get("/api/applications/").json()["results"]]
    assert client_for(people.colleague).get(f"/api/applications/{draft.pk}/").status_code == 200
    Application.objects.get(pk=draft.pk)  # untouched
    assert Application.objects.get(pk=draft.pk).status == S.DRAFT


def test_web_other_company_application_is_404(draft, people, client):
    client.force_login(people.other_applicant)
    assert client.get(f"/portal/applications/{draft.pk}/").status_code == 404
    assert client.post(f"/portal/applications/{draft.pk}/submit/").status_code == 404
    client.force_login(people.applicant)
    assert client.get(f"/portal/applications/{draft.pk}/").status_code == 200


def test_api_error_is_json_with_code_and_message_in_the_request_language(draft, people):
    from django.utils import timezone

    from applications.models import SubsidyRound

    SubsidyRound.objects.filter(pk=draft.round_id).update(
        closes_at=timezone.now() - dt.timedelta(seconds=1),
        opens_at=timezone.now() - dt.timedelta(days=9),
    )
    english = post(client_for(people.applicant, "en"), f"/api/applications/{draft.pk}/submit/")
    japanese = post(client_for(people.applicant, "ja"), f"/api/applications/{draft.pk}/submit/")
    assert english.status_code == japanese.status_code == 422
    assert english.json()["code"] == japanese.json()["code"] == "window_closed"
    assert "window" in english.json()["message"]
    assert "受付期間" in japanese.json()["message"]


def test_api_validation_error_names_the_field(draft, people):
    response = post(
        client_for(people.applicant, "en"),
        f"/api/applications/{draft.pk}/training-lines/",
        {"trainee_name": "x"},
    )
    body = response.json()
    assert response.status_code == 400
    assert body["code"] == "invalid"
    assert body["field"] in {
        "course_name",
        "provider",
        "start_date",
        "end_date",
        "cost_type",
        "amount",
    }


def test_api_wrong_role_gets_403_with_code(draft, people):
    advance(draft, "submitted", vars(people))
    response = post(
        client_for(people.finance, "en"),
        f"/api/applications/{draft.pk}/check-documents/",
        {"accept": True},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"


def test_api_idempotency_key_replays_the_first_response(draft, people):
    advance(draft, "results_checked", vars(people))
    approver = client_for(people.approver)
    url = f"/api/applications/{draft.pk}/confirm-amount/"
    body = {"expected_amount": 187_000}
    first = post(approver, url, body, **{"Idempotency-Key": "confirm-42"})
    again = post(approver, url, body, **{"Idempotency-Key": "confirm-42"})
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert draft.decisions.filter(kind="amount_confirmation").count() == 1
    # without the key, the second confirmation is refused by the domain, not replayed
    refused = post(approver, url, body)
    assert refused.status_code == 409
    assert refused.json()["code"] == "invalid_state"


def test_api_idempotency_key_reused_for_another_request_refused(draft, people):
    advance(draft, "decision_pending", vars(people))
    approver = client_for(people.approver)
    url = f"/api/applications/{draft.pk}/decide/"
    assert post(approver, url, {"approve": True}, **{"Idempotency-Key": "k"}).status_code == 200
    reused = post(approver, url, {"approve": False, "reason": "x"}, **{"Idempotency-Key": "k"})
    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"


def test_api_failed_request_leaves_no_idempotency_record(draft, people):
    advance(draft, "decision_pending", vars(people))
    approver = client_for(people.approver)
    url = f"/api/applications/{draft.pk}/decide/"
    refused = post(approver, url, {"approve": False}, **{"Idempotency-Key": "k2"})
    assert refused.status_code == 400  # a non-grant needs a reason
    # the failure stored nothing, so the corrected request may reuse the key
    retried = post(
        approver, url, {"approve": False, "reason": "対象外"}, **{"Idempotency-Key": "k2"}
    )
    assert retried.status_code == 200
    assert retried.json()["status"] == "rejected"
    assert "Idempotent-Replayed" not in retried.headers


def test_openapi_schema_and_docs_served(people, client):
    client.force_login(people.staff)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in (
        "/api/applications/{id}/submit/",
        "/api/applications/{id}/claim/",
        "/api/applications/{id}/check-documents/",
        "/api/rounds/",
    ):
        assert path in text
    assert "Idempotency-Key" in text
    assert client.get("/api/docs/").status_code == 200
