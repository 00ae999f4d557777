"""One training-subsidy application from submission to payment, in a real browser, as the
people who handle it: the applicant on the portal, programme staff, an approver and finance in
the staff workspace. Every user logs in through the login page in a browser of their own.

The browsers ask for Japanese (the default language); labels are looked up through the same
message catalogues the server uses, so the test follows the pages as they are translated.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Locator, Page, expect

from applications.models import Application, DocumentType
from fixtures.demo import draft_create
from fixtures.documents import pdf_bytes
from fixtures.payments import on_transfer_date
from payments.models import Payable, Payment, PaymentBatch
from tests.browser.helpers import _, field, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TUITION = 180_000
SUBSIDY = 90_000  # half the tuition, under the 100,000 yen cap per trainee, whole thousands


def status_label(status: str) -> str:
    with translation.override("ja"):
        return str(Application.Status(status).label)


def section(page: Page, heading: str) -> Locator:
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading, exact=True))


def open_from_queue(page: Page, application: Application, task_title: str) -> None:
    """From the home page: the task list, searched by reference; take the step, which stays in
    view with its form."""
    page.goto("/")
    page.get_by_test_id("tasks-link").click()
    filters = page.get_by_test_id("task-filters")
    filters.get_by_label(field(_("Reference, company or corporate number"))).fill(
        application.reference
    )
    filters.get_by_role("button", name=_("Show"), exact=True).click()
    row = page.get_by_test_id("task-row").filter(has_text=task_title)
    row.get_by_role("link", name=application.reference).click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(task_title)
    expect(heading).to_contain_text(application.reference)
    if page.get_by_test_id("claim").count():
        page.get_by_test_id("claim").click()
        expect(page.get_by_text(_("The step is yours now."))).to_be_visible()
        expect(heading).to_contain_text(application.reference)  # still the same step


def complete(page: Page, application: Application, task_title: str) -> None:
    """Complete the step; a decision asks first, and its real button is inside the question."""
    confirm = page.get_by_test_id("confirm")
    if confirm.count():
        confirm.get_by_text(_("Decide…"), exact=True).click()
        confirm.get_by_role("button", name=_("Yes, record this decision"), exact=True).click()
    else:
        page.get_by_role("button", name=_("Complete this step"), exact=True).click()
    expect(
        page.get_by_text(
            _("“%(step)s” is done for %(reference)s.")
            % {"step": task_title, "reference": application.reference}
        )
    ).to_be_visible()


def a_file(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(pdf_bytes(name))
    return path


def upload(page: Page, tmp_path: Path, document_type: str) -> None:
    form = section(page, _("Upload a document"))
    form.get_by_label(field(_("Document type"))).select_option(document_type)
    form.get_by_label(field(_("File"))).set_input_files(a_file(tmp_path, f"{document_type}.pdf"))
    form.get_by_role("button", name=_("Upload"), exact=True).click()
    expect(page.get_by_role("listitem").filter(has_text=f"{document_type}.pdf")).to_be_visible()


def test_subsidy_walkthrough_from_submission_to_payment_pays_the_confirmed_amount(
    new_page, look, artifacts, mailoutbox, subsidy_round, people, tmp_path
):
    today = timezone.localdate()  # Asia/Tokyo, the date the grant is decided

    # 1. The applicant drafts an application in the open round and submits it.
    applicant = log_in(new_page, "applicant")
    expect(applicant).to_have_url(re.compile(r"/portal/$"))
    applicant.get_by_role("button", name=_("Start an application"), exact=True).click()
    expect(applicant.get_by_test_id("status")).to_have_text(status_label("draft"))
    application = Application.objects.get(created_by=people.applicant)
    expect(applicant.get_by_role("heading", level=1)).to_have_text(application.reference)

    line = section(applicant, _("Add a trainee and course"))
    line.get_by_label(field(_("Trainee"))).fill("山田 太郎")
    line.get_by_label(field(_("Course or certification"))).fill("生成AI業務活用講座")
    line.get_by_label(field(_("Provider"))).fill("いばらきデジタルアカデミー")
    line.get_by_label(field(_("Start"))).fill(today.isoformat())
    line.get_by_label(field(_("End"))).fill(today.isoformat())
    line.get_by_label(field(_("Cost type"))).select_option("tuition")
    line.get_by_label(field(_("Cost excl. tax (yen)"))).fill(str(TUITION))
    line.get_by_role("button", name=_("Add line"), exact=True).click()
    expect(applicant.get_by_role("row").filter(has_text="山田 太郎")).to_contain_text("180,000")
    expect(applicant.get_by_test_id("planned")).to_have_text(f"{SUBSIDY:,}円")

    for document_type in subsidy_round.required_document_types.filter(
        stage=DocumentType.Stage.APPLICATION
    ).values_list("code", flat=True):
        upload(applicant, tmp_path, document_type)

    # the steps show what is done; submitting asks first, with the subsidy the plan computes to
    steps = applicant.get_by_test_id("steps")
    expect(steps.locator("[aria-current=step]")).to_have_text(_("Review and submit"))
    look(applicant, "walkthrough-applicant-ready")
    submit = applicant.get_by_test_id("submit-confirm")
    submit.get_by_text(_("Submit application"), exact=True).click()
    expect(submit).to_contain_text(f"{SUBSIDY:,}円")
    look(applicant, "walkthrough-applicant-submit-confirm")
    submit.get_by_role("button", name=_("Submit"), exact=True).click()
    expect(applicant.get_by_test_id("status")).to_have_text(status_label("submitted"))
    application.refresh_from_db()

    # 2. Staff take the document check from the queue, assign it, and accept the documents.
    staff = log_in(new_page, "staff")
    open_from_queue(staff, application, _("Check documents"))
    for document_type in ("application_form", "training_plan", "cost_breakdown"):
        expect(
            staff.get_by_role("listitem").filter(has_text=f"{document_type}.pdf")
        ).to_be_visible()
    staff.get_by_label(field(_("complete: accept"))).check()
    complete(staff, application, _("Check documents"))

    # 3. The same staff member screens it.
    open_from_queue(staff, application, _("Screen"))
    staff.get_by_label(field(_("Eligible"))).check()
    staff.get_by_label(field(_("Recommend a grant"))).check()
    staff.get_by_label(field(_("Reason"))).fill("研修計画は要綱の対象経費に該当する")
    complete(staff, application, _("Screen"))

    # 4. An approver who did not screen it grants it.
    approver = log_in(new_page, "approver")
    open_from_queue(approver, application, _("Grant decision"))
    approver.get_by_label(field(_("grant (交付決定)"))).check()
    complete(approver, application, _("Grant decision"))

    # 5. The applicant attaches the completion certificate and reports the actual cost.
    applicant.goto(f"/portal/applications/{application.pk}/")
    expect(applicant.get_by_test_id("status")).to_have_text(status_label("granted"))
    upload(applicant, tmp_path, "completion_certificate")
    report = section(applicant, _("Results report"))
    # the report starts from the plan: only the date the cost was paid is left to enter
    first_row = report.get_by_test_id("cost-row").first
    expect(first_row.get_by_label(field(_("Trainee")))).to_have_value("山田 太郎")
    expect(first_row.get_by_label(field(_("Course or certification")))).to_have_value(
        "生成AI業務活用講座"
    )
    expect(first_row.get_by_label(field(_("Cost type")))).to_have_value("tuition")
    expect(first_row.get_by_label(field(_("Amount excl. tax (yen)")))).to_have_value(str(TUITION))
    first_row.get_by_label(field(_("Paid on"))).fill(today.isoformat())
    expect(first_row.get_by_label(field(_("Completed")))).to_be_checked()
    report.get_by_role("button", name=_("Submit results report"), exact=True).click()
    expect(applicant.get_by_test_id("status")).to_have_text(status_label("results_submitted"))

    # 6. A second staff member checks the results report.
    staff2 = log_in(new_page, "staff2")
    open_from_queue(staff2, application, _("Check results report"))
    staff2.get_by_label(field(_("accept"))).check()
    complete(staff2, application, _("Check results report"))

    # 7. The approver confirms the amount the actual costs support.
    open_from_queue(approver, application, _("Confirm amount"))
    expect(approver.get_by_test_id("what-it-does")).to_contain_text(f"{SUBSIDY:,}円")
    approver.screenshot(path=artifacts / "walkthrough-staff-confirm-amount.png", full_page=True)
    approver.get_by_label(field(_("I confirm the amount shown"))).check()
    complete(approver, application, _("Confirm amount"))

    # 8. The applicant registers the company's bank account and claims the payment (精算払請求).
    applicant.goto(f"/portal/applications/{application.pk}/")
    account = applicant.locator("details").filter(has_text=_("Register a bank account"))
    account.get_by_label(field(_("Bank code"))).fill("0130")
    account.get_by_label(field(_("Branch code"))).fill("004")
    account.get_by_label(field(_("Account number"))).fill("7654321")
    account.get_by_label(field(_("Account holder (kana)"))).fill("カ）ヒタチテック")
    account.get_by_role("button", name=_("Register account"), exact=True).click()
    # claiming asks first: the claim button opens the question, the real submit is inside
    applicant.get_by_test_id("claim-confirm").get_by_text(_("Claim payment"), exact=True).click()
    applicant.get_by_role("button", name=_("Send the claim"), exact=True).click()
    expect(applicant.get_by_test_id("payable-amount")).to_have_text(f"{SUBSIDY:,}円")

    # 9. One finance user prepares a batch; another releases it and downloads the bank file.
    finance = log_in(new_page, "finance")
    finance.goto("/finance/")
    finance.get_by_label(application.reference).check()
    finance.get_by_role("button", name=_("Prepare batch"), exact=True).click()
    expect(finance.get_by_test_id("batch-status")).to_be_visible()
    batch_url = finance.url
    expect(finance.get_by_role("button", name=_("Release"), exact=True)).to_have_count(0)
    finance2 = log_in(new_page, "finance2")
    finance2.goto(batch_url)
    finance2.get_by_role("button", name=_("Release"), exact=True).click()
    with translation.override("ja"):
        released = str(PaymentBatch.Status.RELEASED.label)
    expect(finance2.get_by_test_id("batch-status")).to_contain_text(released)
    finance2.reload()  # the bank file is built in the background after the release commits
    with finance2.expect_download() as download:
        finance2.get_by_test_id("bank-file").click()
    bank_file = Path(download.value.path()).read_bytes()
    assert bank_file[:3] == b"121" and len(bank_file.split(b"\r\n")[0]) == 120

    # 10. On the transfer date the bank's result file comes back: the transfer was paid.
    item = Payable.objects.get(application=application).items.get()
    result = tmp_path / "result.csv"
    result.write_text(f"customer_code,result,reason\n{item.customer_code},paid,\n")
    with on_transfer_date(item.batch):
        # a day or more later: the idle timeout has signed finance out, so they log in again
        finance2 = log_in(new_page, "finance2")
        finance2.goto(batch_url)
        finance2.get_by_label(_("Bank result file (CSV)")).set_input_files(result)
        finance2.get_by_role("button", name=_("Import results"), exact=True).click()
        with translation.override("ja"):
            reconciled = str(PaymentBatch.Status.RECONCILED.label)
        expect(finance2.get_by_test_id("batch-status")).to_contain_text(reconciled)

    # then the applicant sees the application paid, in their language
    applicant.goto(f"/portal/applications/{application.pk}/")
    expect(applicant.get_by_test_id("status")).to_have_text(status_label("paid"))
    expect(applicant.get_by_test_id("confirmed")).to_have_text(f"{SUBSIDY:,}円")
    applicant.screenshot(path=artifacts / "walkthrough-applicant-paid.png", full_page=True)

    # and the books agree: paid once, the confirmed amount, released by finance
    application.refresh_from_db()
    assert application.status == Application.Status.PAID
    assert application.confirmed_amount == SUBSIDY
    payment = Payment.objects.get(application=application)
    assert (payment.amount, payment.released_by) == (SUBSIDY, people.finance2)

    # and the applicant was told the confirmed amount and the payment by mail, with a link
    to_applicant = [mail for mail in mailoutbox if mail.to == [people.applicant.email]]
    reference = {"reference": application.reference}
    assert [mail.subject for mail in to_applicant[-3:]] == [
        _("[Kofu] Amount confirmed for %(reference)s") % reference,
        _("[Kofu] Payment scheduled for %(reference)s") % reference,
        _("[Kofu] Subsidy paid for %(reference)s") % reference,
    ]
    for mail in to_applicant[-3:]:
        assert f"{SUBSIDY:,}" in mail.body
        assert f"/portal/applications/{application.pk}/" in mail.body


def test_portal_application_of_another_company_shows_not_found(
    new_page, artifacts, subsidy_round, people
):
    # given an application of another company
    other = draft_create(subsidy_round, people.other_applicant)

    # when the applicant opens its address
    applicant = log_in(new_page, "applicant")
    response = applicant.goto(f"/portal/applications/{other.pk}/")

    # then the page is a plain 404 that gives nothing of it away
    assert response is not None and response.status == 404
    expect(applicant).to_have_title(re.compile(rf"^{re.escape(_('Not found'))}"))
    expect(
        applicant.get_by_text(_("There is no such page, or it is not yours to see."))
    ).to_be_visible()
    applicant.screenshot(path=artifacts / "portal-other-company-404.png", full_page=True)
    expect(applicant.locator("body")).not_to_contain_text(other.reference)
    expect(applicant.locator("body")).not_to_contain_text(other.company.name)
