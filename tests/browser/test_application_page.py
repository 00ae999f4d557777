"""The application page as the applicant meets its error paths, in Japanese in a real browser:
a refused request shows the page again with everything typed still there and the error beside
its field. Each state is looked at (screenshots at a laptop's and a phone's width, axe-core)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from applications.models import DocumentType
from applications.services import document_upload
from fixtures.demo import advance, draft_create
from fixtures.documents import pdf_bytes
from payments.models import PayeeAccount
from tests.browser.helpers import _, field, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_training_line_with_its_end_before_its_start_keeps_every_field(
    new_page, look, subsidy_round, people
):
    application = draft_create(subsidy_round, people.applicant)
    lines = application.training_lines.count()
    applicant = log_in(new_page, people.applicant.username)
    applicant.goto(f"/portal/applications/{application.pk}/")
    look(applicant, "application-draft")

    form = applicant.get_by_test_id("line-form")
    typed = {
        _("Trainee"): "佐藤 花子",
        _("Course or certification"): "クラウド基礎講座",
        _("Provider"): "県立産業技術短大",
        _("Start"): "2027-01-20",
        _("End"): "2027-01-12",  # before the start
        _("Cost excl. tax (yen)"): "123456",
    }
    for label, value in typed.items():
        form.get_by_label(field(label)).fill(value)
    form.get_by_label(field(_("Cost type"))).select_option("tuition")
    form.get_by_role("button", name=_("Add line"), exact=True).click()

    # the page comes back with all seven values, the error beside the end date and on top
    form = applicant.get_by_test_id("line-form")
    for label, value in typed.items():
        expect(form.get_by_label(field(label))).to_have_value(value)
    expect(form.get_by_label(field(_("Cost type")))).to_have_value("tuition")
    end = form.get_by_label(field(_("End")))
    expect(end).to_have_attribute("aria-invalid", "true")
    error = applicant.locator("#id_end_date_error")
    expect(error).to_contain_text(_("The course must end on or after its start date."))
    expect(end).to_have_attribute("aria-describedby", "id_end_date_error")
    summary = applicant.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_attribute("href", "#id_end_date")
    assert application.training_lines.count() == lines
    look(applicant, "application-line-error")

    # leaving with what was typed asks first
    form.get_by_label(field(_("Trainee"))).fill("佐藤 花")
    with applicant.expect_event("dialog") as asked:
        applicant.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.dismiss()


def test_a_training_line_is_changed_in_place(new_page, look, subsidy_round, people):
    application = draft_create(subsidy_round, people.applicant)
    line = application.training_lines.order_by("pk").first()
    applicant = log_in(new_page, people.applicant.username)
    applicant.goto(f"/portal/applications/{application.pk}/")

    row = applicant.get_by_test_id("plan-line").filter(has_text=line.trainee_name).first
    row.get_by_role("link", name=_("Change")).click()
    form = applicant.get_by_test_id("line-form")
    expect(form.get_by_label(field(_("Trainee")))).to_have_value(line.trainee_name)
    form.get_by_label(field(_("Cost excl. tax (yen)"))).fill("150000")
    look(applicant, "application-line-change")
    form.get_by_role("button", name=_("Save the change"), exact=True).click()

    expect(applicant.get_by_text(_("Line changed."))).to_be_visible()
    expect(
        applicant.get_by_test_id("plan-line").filter(has_text=line.trainee_name).first
    ).to_contain_text("150,000円")
    line.refresh_from_db()
    assert line.amount == 150000


def test_a_results_report_with_an_incomplete_row_keeps_the_other_rows(
    new_page, look, subsidy_round, people
):
    application = advance(draft_create(subsidy_round, people.applicant), "granted", vars(people))
    for document_type in application.round.required_document_types.filter(
        stage=DocumentType.Stage.RESULTS
    ):
        document_upload(
            application_id=application.pk,
            document_type=document_type.code,
            file=SimpleUploadedFile(f"{document_type.code}.pdf", pdf_bytes(document_type.code)),
            by=people.applicant,
        )
    applicant = log_in(new_page, people.applicant.username)
    applicant.goto(f"/portal/applications/{application.pk}/")

    # the rows start as planned
    rows = applicant.get_by_test_id("cost-row")
    lines = list(application.training_lines.order_by("pk"))
    for index, line in enumerate(lines):
        expect(rows.nth(index).get_by_label(field(_("Trainee")))).to_have_value(line.trainee_name)
        expect(rows.nth(index).get_by_label(field(_("Amount excl. tax (yen)")))).to_have_value(
            str(line.amount)
        )
    look(applicant, "application-results")

    # every row gets the date it was paid but the second; the first is changed too
    first, second = rows.nth(0), rows.nth(1)
    for index in range(len(lines)):
        if index != 1:
            rows.nth(index).get_by_label(field(_("Paid on"))).fill(f"2027-02-0{index + 1}")
    first.get_by_label(field(_("Amount excl. tax (yen)"))).fill("77000")
    first.get_by_label(field(_("Completed"))).uncheck()
    applicant.get_by_role("button", name=_("Submit results report"), exact=True).click()

    rows = applicant.get_by_test_id("cost-row")
    first, second = rows.nth(0), rows.nth(1)
    expect(first.get_by_label(field(_("Paid on")))).to_have_value("2027-02-01")
    expect(rows.nth(2).get_by_label(field(_("Paid on")))).to_have_value("2027-02-03")
    expect(first.get_by_label(field(_("Amount excl. tax (yen)")))).to_have_value("77000")
    expect(first.get_by_label(field(_("Completed")))).not_to_be_checked()
    expect(first.get_by_label(field(_("Paid on")))).not_to_have_attribute("aria-invalid", "true")
    expect(second.get_by_label(field(_("Paid on")))).to_have_attribute("aria-invalid", "true")
    expect(second.locator(".errorlist")).to_be_visible()
    expect(second.get_by_label(field(_("Trainee")))).to_have_value(lines[1].trainee_name)
    summary = applicant.locator("[data-error-summary]")
    expect(summary.get_by_role("listitem")).to_have_count(1)
    expect(summary).to_contain_text(_("Row %(number)s") % {"number": 2})
    application.refresh_from_db()
    assert application.status == "granted"
    look(applicant, "application-results-error")


def test_a_wrong_bank_code_keeps_the_account_form_and_the_bank_is_found_by_its_code(
    new_page, look, subsidy_round, people
):
    application = advance(draft_create(subsidy_round, people.applicant), "confirmed", vars(people))
    applicant = log_in(new_page, people.applicant.username)
    applicant.goto(f"/portal/applications/{application.pk}/")
    account = applicant.get_by_test_id("account-register")
    typed = {
        _("Bank code"): "9999",
        _("Branch code"): "004",
        _("Account number"): "7654321",
        _("Account holder (kana)"): "カ）ヒタチテック",
    }
    for label, value in typed.items():
        account.get_by_label(field(label)).fill(value)
    account.get_by_role("button", name=_("Register account"), exact=True).click()

    # refused: the form stays open with every value, the error beside the bank code
    account = applicant.get_by_test_id("account-register")
    for label, value in typed.items():
        expect(account.get_by_label(field(label))).to_have_value(value)
    bank = account.get_by_label(field(_("Bank code")))
    expect(bank).to_have_attribute("aria-invalid", "true")
    expect(account.locator("#id_bank_code_error")).to_contain_text("9999")
    assert not PayeeAccount.objects.exists()
    look(applicant, "application-account-error")

    # the right code names the bank and its branch, then the account registers
    bank.fill("0130")
    account.get_by_role("button", name=_("Look up the bank and branch"), exact=True).click()
    account = applicant.get_by_test_id("account-register")
    expect(account.get_by_test_id("bank-chosen")).to_contain_text("常陽")
    expect(account.get_by_test_id("bank-chosen")).to_contain_text("本店営業部")
    expect(account.get_by_label(field(_("Account number")))).to_have_value("7654321")
    look(applicant, "application-account-lookup")
    account.get_by_role("button", name=_("Register account"), exact=True).click()
    expect(applicant.get_by_text(_("Bank account registered."))).to_be_visible()

    # claiming asks first
    claim = applicant.get_by_test_id("claim-confirm")
    claim.get_by_text(_("Claim payment"), exact=True).click()
    expect(claim.get_by_role("button", name=_("Send the claim"), exact=True)).to_be_visible()
    look(applicant, "application-claim-confirm")
