"""Payee accounts and payment claims (精算払請求): what becomes payable, into which account."""

import pytest
from django.utils import translation

from applications.models import Application
from audit.models import AuditEvent
from core.errors import InvalidState, NotAllowed, ValidationFailed
from payments import services
from payments.models import Payable, PayeeAccount
from payments.zengin import ZenginError

from .conftest import ACCOUNT, OTHER_ACCOUNT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_payee_account_register_pads_codes_and_stores_the_zengin_names(people):
    account = services.payee_account_register(
        by=people.other_applicant, **{**OTHER_ACCOUNT, "account_number": "4321"}
    )

    account.refresh_from_db()
    assert (account.bank_code, account.branch_code, account.account_number) == (
        "0130",
        "004",
        "0004321",
    )
    assert (account.bank_name, account.branch_name) == ("ｼﾞﾖｳﾖｳ", "ﾎﾝﾃﾝ")
    assert account.company == people.other_applicant.profile.company
    event = AuditEvent.objects.get(action="payee_account_register", subject_id=str(account.pk))
    assert event.actor == people.other_applicant
    assert event.data["account_number"] == "0004321"


def test_payee_account_register_unknown_branch_is_refused_naming_it(people):
    with pytest.raises(ZenginError) as refused:
        services.payee_account_register(by=people.applicant, **{**ACCOUNT, "branch_code": "999"})

    assert "999" in str(refused.value) and refused.value.field == "branch_code"
    assert not PayeeAccount.objects.exists()


def test_payee_account_register_holder_name_in_kanji_is_refused_naming_it(people):
    with pytest.raises(ZenginError) as refused:
        services.payee_account_register(
            by=people.applicant, **{**ACCOUNT, "holder_name": "株式会社ひたちテック"}
        )

    assert "株式会社ひたちテック" in str(refused.value)
    assert refused.value.field == "holder_name"


@pytest.mark.parametrize(
    ("field", "value"), [("bank_code", "12a"), ("account_number", "12345678"), ("account_type", 3)]
)
def test_payee_account_register_malformed_field_is_refused_on_that_field(people, field, value):
    with pytest.raises(ValidationFailed) as refused:
        services.payee_account_register(by=people.applicant, **{**ACCOUNT, field: value})

    assert refused.value.field == field


def test_payee_account_register_by_staff_is_refused(people):
    with pytest.raises(NotAllowed):
        services.payee_account_register(by=people.finance, **ACCOUNT)


def test_payment_claim_confirmed_application_becomes_payable_with_account_snapshot(
    confirmed, people
):
    account = services.payee_account_register(by=people.applicant, **ACCOUNT)

    payable = services.payment_claim(
        application_id=confirmed.pk, by=people.applicant, account_id=account.pk
    )

    payable.refresh_from_db()
    assert payable.status == Payable.Status.PAYABLE
    assert payable.amount == confirmed.confirmed_amount > 0
    assert (payable.bank_code, payable.account_number, payable.holder_name) == (
        "0005",
        "1234567",
        "カ）ヒタチテック",
    )
    assert AuditEvent.objects.filter(action="payment_claim", subject_id=str(payable.pk)).count()


def test_payment_claim_again_while_payable_changes_only_the_account(payable, people):
    new_account = services.payee_account_register(
        by=people.colleague, **{**ACCOUNT, "account_number": "7777777"}
    )

    services.payment_claim(
        application_id=payable.application_id, by=people.colleague, account_id=new_account.pk
    )

    assert Payable.objects.count() == 1
    payable.refresh_from_db()
    assert (payable.account, payable.account_number) == (new_account, "7777777")
    change = AuditEvent.objects.get(action="payable_account_change")
    assert change.data["account_id"] == new_account.pk


def test_payment_claim_by_another_company_is_refused(confirmed, people):
    account = services.payee_account_register(by=people.other_applicant, **OTHER_ACCOUNT)

    with pytest.raises(NotAllowed):
        services.payment_claim(
            application_id=confirmed.pk, by=people.other_applicant, account_id=account.pk
        )
    assert not Payable.objects.exists()


def test_payment_claim_into_another_companys_account_is_refused(confirmed, people):
    foreign = services.payee_account_register(by=people.other_applicant, **OTHER_ACCOUNT)

    with pytest.raises(ValidationFailed) as refused:
        services.payment_claim(
            application_id=confirmed.pk, by=people.applicant, account_id=foreign.pk
        )
    assert refused.value.field == "account_id"


def test_payment_claim_before_amount_confirmation_is_refused(draft, people):
    account = services.payee_account_register(by=people.applicant, **ACCOUNT)

    with pytest.raises(InvalidState):
        services.payment_claim(application_id=draft.pk, by=people.applicant, account_id=account.pk)
    assert Application.objects.get(pk=draft.pk).status == Application.Status.DRAFT
    assert not Payable.objects.exists()


def test_payment_claim_while_in_a_batch_is_refused(payable, people, finance_team, transfer_day):
    services.batch_prepare(
        by=finance_team.preparer, transfer_date=transfer_day, payable_ids=[payable.pk]
    )

    with pytest.raises(InvalidState):
        services.payment_claim(
            application_id=payable.application_id,
            by=people.applicant,
            account_id=payable.account_id,
        )
    assert Payable.objects.get(pk=payable.pk).status == Payable.Status.BATCHED
