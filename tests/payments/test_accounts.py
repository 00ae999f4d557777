"""A company registers each bank account once and retires the ones it no longer uses: a retired
account cannot be named by a new claim, while claims and batches keep the account they copied.
The database refuses a second active copy of an account whatever writes it."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from audit.models import AuditEvent
from core.errors import InvalidState, ValidationFailed
from payments import services
from payments.models import BatchItem, Payable, PayeeAccount

from .conftest import ACCOUNT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def api(user) -> APIClient:
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(user)
    return client


def browser(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


@pytest.fixture
def account(people):
    return services.payee_account_register(by=people.applicant, **ACCOUNT)


def test_payee_account_register_same_account_twice_is_refused_with_its_code(account, people):
    # when: a colleague of the same company registers it again, written without the zeros
    with pytest.raises(ValidationFailed) as refused:
        services.payee_account_register(
            by=people.colleague, **{**ACCOUNT, "bank_code": "5", "branch_code": "1"}
        )

    # then
    assert refused.value.code == "duplicate_account"
    assert refused.value.field == "account_number"
    assert "1234567" in str(refused.value.message)
    assert PayeeAccount.objects.count() == 1
    assert AuditEvent.objects.filter(action="payee_account_register").count() == 1


def test_payee_account_register_same_number_other_type_or_company_is_accepted(account, people):
    services.payee_account_register(by=people.applicant, **{**ACCOUNT, "account_type": 2})
    services.payee_account_register(by=people.other_applicant, **ACCOUNT)

    assert PayeeAccount.objects.count() == 3


def test_payee_account_database_refuses_a_second_active_copy(account):
    copy = {name: getattr(account, name) for name in ("bank_code", "branch_code")}

    with pytest.raises(IntegrityError), transaction.atomic():
        PayeeAccount.objects.create(
            company_id=account.company_id,
            account_type=account.account_type,
            account_number=account.account_number,
            holder_name=account.holder_name,
            created_by=account.created_by,
            **copy,
        )


def test_payee_account_retire_is_audited_and_a_new_claim_cannot_name_it(account, confirmed, people):
    # when
    retired = services.payee_account_retire(
        account_id=account.pk, by=people.colleague, reason="口座を解約した"
    )

    # then
    assert retired.retired_at is not None and retired.retired_by == people.colleague
    event = AuditEvent.objects.get(action="payee_account_retire", subject_id=str(account.pk))
    assert (event.actor, event.reason, event.data["account_number"]) == (
        people.colleague,
        "口座を解約した",
        "1234567",
    )
    with pytest.raises(ValidationFailed) as refused:
        services.payment_claim(
            application_id=confirmed.pk, by=people.applicant, account_id=account.pk
        )
    assert (refused.value.code, refused.value.field) == ("account_retired", "account_id")
    assert not Payable.objects.exists()


def test_payee_account_retire_twice_is_refused(account, people):
    services.payee_account_retire(account_id=account.pk, by=people.applicant)

    with pytest.raises(InvalidState) as refused:
        services.payee_account_retire(account_id=account.pk, by=people.applicant)

    assert refused.value.code == "account_retired"
    assert AuditEvent.objects.filter(action="payee_account_retire").count() == 1


def test_payee_account_retire_of_another_companys_account_is_refused(account, people):
    with pytest.raises(ValidationFailed):
        services.payee_account_retire(account_id=account.pk, by=people.other_applicant)

    account.refresh_from_db()
    assert account.retired_at is None


def test_payee_account_retired_existing_claim_keeps_its_account_and_is_paid_into_it(
    payable, people, finance_team, transfer_day
):
    # given: the claim named the account, then the company retired it
    services.payee_account_retire(account_id=payable.account_id, by=people.applicant)

    # when
    batch = services.batch_prepare(
        by=finance_team.preparer, transfer_date=transfer_day, payable_ids=[payable.pk]
    )

    # then
    payable.refresh_from_db()
    assert (payable.bank_code, payable.account_number) == ("0005", "1234567")
    item = BatchItem.objects.get(batch=batch)
    assert (item.bank_code, item.branch_code, item.account_number) == ("0005", "001", "1234567")


def test_payee_account_retired_can_be_registered_again(account, people):
    services.payee_account_retire(account_id=account.pk, by=people.applicant)

    again = services.payee_account_register(by=people.applicant, **ACCOUNT)

    assert again.pk != account.pk and again.retired_at is None


def test_payee_account_api_duplicate_and_retire(account, people):
    client = api(people.applicant)

    duplicate = client.post("/api/payee-accounts/", ACCOUNT, format="json")
    retired = client.post(f"/api/payee-accounts/{account.pk}/retire/", {}, format="json")
    again = client.post(f"/api/payee-accounts/{account.pk}/retire/", {}, format="json")

    assert duplicate.status_code == 400 and duplicate.json()["code"] == "duplicate_account"
    assert retired.status_code == 200 and retired.json()["retired_at"]
    assert again.status_code == 409 and again.json()["code"] == "account_retired"
    assert client.get("/api/payee-accounts/").json()["results"] == []
    listed = client.get("/api/payee-accounts/?retired=1").json()["results"]
    assert [row["id"] for row in listed] == [account.pk]
    other = api(people.other_applicant).post(f"/api/payee-accounts/{account.pk}/retire/")
    assert other.status_code == 404


def claim_choices(html: str) -> list[str]:
    """The accounts the claim form offers."""
    found = re.search(r'<select name="account"[^>]*>(.*?)</select>', html, re.DOTALL)
    return re.findall(r'<option value="(\d+)"[^>]*>', found[1]) if found else []


def test_portal_retire_account_removes_it_from_the_claim_form(account, confirmed, people):
    client = browser(people.applicant)
    page = client.get(f"/portal/applications/{confirmed.pk}/").content.decode()
    assert claim_choices(page) == [str(account.pk)]

    response = client.post(
        f"/portal/applications/{confirmed.pk}/accounts/{account.pk}/retire/", follow=True
    )

    assert any("retired" in str(message) for message in get_messages(response.wsgi_request))
    assert claim_choices(response.content.decode()) == []
    account.refresh_from_db()
    assert account.retired_by == people.applicant
