"""The pages the legal-correctness fixes touch, in a real browser in Japanese, looked at as the
people who use them at a laptop's and a phone's width (screenshots in test-artifacts/, axe-core on
each): the applicant's rounds with their documents by stage and the bank accounts of the company
(a second copy refused, one retired); finance importing a bank result dated before the transfer
(refused beside the file field, nothing imported)."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from applications.models import DocumentType
from core.dates import add_business_days, today_jst
from fixtures.demo import advance, draft_create
from fixtures.payments import bank_result_file, claim
from payments.models import PayeeAccount, PaymentBatch
from payments.services import batch_file_build, batch_prepare, batch_release
from tests.browser.helpers import _, field, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def register_account(page: Page) -> None:
    account = page.locator("details").filter(has_text=_("Register a bank account"))
    if not account.get_by_label(field(_("Bank code"))).is_visible():
        account.locator("summary").click()
    account.get_by_label(field(_("Bank code"))).fill("0130")
    account.get_by_label(field(_("Branch code"))).fill("004")
    account.get_by_label(field(_("Account number"))).fill("7654321")
    account.get_by_label(field(_("Account holder (kana)"))).fill("カ）ヒタチテック")
    account.get_by_role("button", name=_("Register account"), exact=True).click()
    page.wait_for_load_state()


def test_applicant_sees_documents_by_stage_and_keeps_one_copy_of_each_account(
    new_page, look, subsidy_round, people
):
    application = advance(draft_create(subsidy_round, people.applicant), "confirmed", vars(people))
    applicant = log_in(new_page, people.applicant.username)

    # the rounds open to the company list each required document under its stage
    applicant.goto("/portal/")
    with translation.override("ja"):
        submission = str(DocumentType.Stage.APPLICATION.label)
    expect(applicant.get_by_text(submission).first).to_be_visible()
    look(applicant, "legal-portal-rounds")

    # a second copy of the same account is refused with the reason, and one copy is kept
    applicant.goto(f"/portal/applications/{application.pk}/")
    register_account(applicant)
    expect(applicant.get_by_text(_("Bank account registered."))).to_be_visible()
    register_account(applicant)
    expect(applicant.get_by_role("alert").or_(applicant.locator(".error")).first).to_contain_text(
        "7654321"
    )
    assert PayeeAccount.objects.filter(account_number="7654321").count() == 1
    look(applicant, "legal-portal-account-duplicate")

    # the refusal opens the company's accounts, showing the one it already has; it retires it:
    # no longer offered for a claim
    expect(applicant.get_by_test_id("account")).to_contain_text("7654321")
    look(applicant, "legal-portal-accounts")
    applicant.get_by_role("button", name=_("Retire account"), exact=True).click()
    expect(
        applicant.get_by_text(_("Bank account retired: new claims cannot name it."))
    ).to_be_visible()
    assert PayeeAccount.objects.get(account_number="7654321").retired_at is not None
    look(applicant, "legal-portal-account-retired")


def test_finance_import_paid_before_the_transfer_date_is_refused_beside_the_file(
    new_page, look, subsidy_round, people, tmp_path
):
    application = advance(draft_create(subsidy_round, people.applicant), "confirmed", vars(people))
    payable = claim(application, people.applicant)
    batch = batch_prepare(
        by=people.finance,
        transfer_date=add_business_days(today_jst(), 2),
        payable_ids=[payable.pk],
    )
    batch_release(batch_id=batch.pk, by=people.finance2)
    batch_file_build(batch_id=batch.pk)
    result = tmp_path / "result.csv"
    result.write_bytes(bank_result_file(batch))

    finance = log_in(new_page, people.finance.username)
    finance.goto(f"/finance/batches/{batch.pk}/")
    finance.get_by_label(_("Bank result file (CSV)")).set_input_files(result)
    finance.get_by_role("button", name=_("Import results"), exact=True).click()

    # then the refusal stands in the summary and beside the file field, and nothing was imported
    error = finance.get_by_test_id("reconcile-error")
    expect(error).to_contain_text(batch.transfer_date.strftime("%Y"))
    expect(finance.get_by_test_id("error-summary")).to_be_visible()
    expect(finance.get_by_label(_("Bank result file (CSV)"))).to_have_attribute(
        "aria-describedby", "reconcile-file-error"
    )
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.RELEASED
    look(finance, "legal-finance-import-before-transfer-date")
