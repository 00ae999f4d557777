"""The finance pages as finance users use them: prepare a batch from the payables, release it as
someone else, download the bank file, import the bank's results, take the lists to Excel.
Auditors read; everybody else gets 403."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client

from applications.models import Application
from audit.models import AuditEvent
from core.dates import today_jst
from payments import services
from payments.models import BatchItem, Payable, PaymentBatch

from .conftest import results_csv

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def shown(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


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


def test_payables_page_lists_claims_with_the_account_masked(payable, other_payable, finance_team):
    page = browser(finance_team.preparer).get("/finance/")

    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="payable-row"') == 2
    assert payable.application.reference in html and other_payable.application.reference in html
    assert "****567" in html and "****321" in html
    assert "1234567" not in html and "7654321" not in html
    assert f'name="payable" value="{payable.pk}"' in html


def test_finance_pages_two_finance_users_prepare_and_release(
    payable, other_payable, finance_team, transfer_day, django_capture_on_commit_callbacks
):
    preparer, releaser = browser(finance_team.preparer), browser(finance_team.releaser)

    # given a batch prepared from the payables page
    prepared = preparer.post(
        "/finance/",
        {"payable": [payable.pk, other_payable.pk], "transfer_date": transfer_day.isoformat()},
        follow=True,
    )
    batch = PaymentBatch.objects.get()
    assert prepared.redirect_chain == [(f"/finance/batches/{batch.pk}/", 302)]
    assert (batch.prepared_by, batch.transfer_date, batch.item_count) == (
        finance_team.preparer,
        transfer_day,
        2,
    )
    assert "another finance user must release it" in prepared.content.decode()

    # when the preparer tries to release it, they are refused with the reason
    refused = preparer.post(f"/finance/batches/{batch.pk}/release/", follow=True)
    assert any("You prepared this batch" in message for message in shown(refused))
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.PREPARED and batch.released_by is None
    assert not release_events(batch).exists()

    # then another finance user releases it, and the bank file is built after the commit
    with django_capture_on_commit_callbacks(execute=True):
        done = releaser.post(f"/finance/batches/{batch.pk}/release/")
    assert any("released: the bank file is being built" in m for m in shown(done))
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.RELEASED
    assert batch.released_by == finance_team.releaser
    assert release_events(batch).get().actor == finance_team.releaser
    assert batch.file_sha256
    page = releaser.get(f"/finance/batches/{batch.pk}/").content.decode()
    assert 'data-testid="bank-file"' in page and batch.file_sha256 in page
    assert set(Payable.objects.values_list("status", flat=True)) == {Payable.Status.BATCHED}


def test_batch_page_above_the_threshold_asks_for_a_second_releaser(
    payable, other_payable, finance_team, transfer_day, settings, django_capture_on_commit_callbacks
):
    settings.KOFU_SECOND_RELEASER_ABOVE = payable.amount
    batch = services.batch_prepare(
        by=finance_team.preparer,
        transfer_date=transfer_day,
        payable_ids=[payable.pk, other_payable.pk],
    )

    first = browser(finance_team.releaser).post(
        f"/finance/batches/{batch.pk}/release/", follow=True
    )

    assert any("a second finance user must also release" in m for m in shown(first))
    batch.refresh_from_db()
    assert batch.awaiting_second_releaser and batch.status == PaymentBatch.Status.PREPARED
    html = first.content.decode()
    assert 'name="release"' not in html  # the first releaser cannot sign twice
    assert "a second, different finance user must release it too" in html  # the policy says why

    with django_capture_on_commit_callbacks(execute=True):
        browser(finance_team.second).post(f"/finance/batches/{batch.pk}/release/")
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.RELEASED
    assert (batch.released_by, batch.second_releaser) == (
        finance_team.releaser,
        finance_team.second,
    )
    assert batch.file_sha256


def test_batch_page_preparer_sees_why_they_cannot_release(batch, finance_team):
    page = browser(finance_team.preparer).get(f"/finance/batches/{batch.pk}/")

    html = page.content.decode()
    assert 'data-testid="release-hint"' in html and "You prepared this batch" in html
    assert 'name="release"' not in html
    other = browser(finance_team.releaser).get(f"/finance/batches/{batch.pk}/")
    assert 'name="release"' in other.content.decode()


def test_bank_file_download_is_the_stored_zengin_file(released, finance_team, people):
    for user in (finance_team.second, people.auditor):
        response = browser(user).get(f"/finance/batches/{released.pk}/file/")

        assert response.status_code == 200
        assert response["Content-Type"] == "application/octet-stream"
        name = f"sogo-furikomi-{released.transfer_date:%Y-%m-%d}-{released.pk}.txt"
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        released.refresh_from_db()
        with released.file.open("rb") as stored:
            assert response.content == stored.read()
        assert response.content.startswith(b"1" + b"21")
        assert all(len(record) == 120 for record in response.content.split(b"\r\n")[:-1])


def test_bank_file_download_before_release_is_refused_with_a_message(batch, finance_team):
    response = browser(finance_team.releaser).get(f"/finance/batches/{batch.pk}/file/", follow=True)

    assert response.redirect_chain == [(f"/finance/batches/{batch.pk}/", 302)]
    assert any("only once the batch is released" in message for message in shown(response))


def test_reconciliation_upload_marks_paid_and_failed(
    released, payable, other_payable, finance_team, bank_day
):
    paid = BatchItem.objects.get(batch=released, payable=payable)
    failed = BatchItem.objects.get(batch=released, payable=other_payable)
    upload = io.BytesIO(results_csv([(paid, True, ""), (failed, False, "口座なし")]))
    upload.name = "results.csv"

    response = browser(finance_team.releaser).post(
        f"/finance/batches/{released.pk}/reconcile/", {"file": upload}, follow=True
    )

    messages = shown(response)
    assert "Bank results imported: 1 paid, 1 failed, 0 already recorded." in messages
    assert any(other_payable.application.reference in m and "口座なし" in m for m in messages)
    released.refresh_from_db()
    assert released.status == PaymentBatch.Status.RECONCILED
    assert Application.objects.get(pk=payable.application_id).status == Application.Status.PAID
    other_payable.refresh_from_db()
    assert (other_payable.status, other_payable.failure_reason) == (
        Payable.Status.PAYABLE,
        "口座なし",
    )
    # the failed one is back on the payables page, with the bank's reason
    html = browser(finance_team.preparer).get("/finance/").content.decode()
    assert other_payable.application.reference in html and "口座なし" in html
    assert payable.application.reference not in html


def test_reconciliation_upload_of_a_bad_file_changes_nothing(released, finance_team):
    upload = io.BytesIO(b"customer_code,result,reason\r\n9999999999,paid,\r\n")
    upload.name = "results.csv"

    response = browser(finance_team.releaser).post(
        f"/finance/batches/{released.pk}/reconcile/", {"file": upload}
    )

    assert response.status_code == 400
    assert "9999999999" in beside_the_file_field(response)
    released.refresh_from_db()
    assert released.status == PaymentBatch.Status.RELEASED
    assert not BatchItem.objects.exclude(result=BatchItem.Result.PENDING).exists()


def beside_the_file_field(response) -> str:
    """The error shown next to the result file's field, tied to it for screen readers."""
    html = response.content.decode()
    assert 'aria-describedby="reconcile-file-error"' in html
    start = html.index('id="reconcile-file-error"')
    return html[start : html.index("</p>", start)]


def test_reconciliation_upload_paid_before_the_transfer_date_is_refused_beside_the_field(
    released, payable, finance_team
):
    # given: the batch transfers in two business days; the file already says paid
    item = BatchItem.objects.get(batch=released, payable=payable)
    upload = io.BytesIO(results_csv([(item, True, "")]))
    upload.name = "results.csv"

    # when
    response = browser(finance_team.second).post(
        f"/finance/batches/{released.pk}/reconcile/", {"file": upload}
    )

    # then
    assert response.status_code == 400
    error = beside_the_file_field(response)
    assert item.customer_code in error
    transfer = released.transfer_date
    assert f"transfers on {transfer.day} {transfer:%B} {transfer.year}" in error  # the page's way
    assert "before its transfer date" in error
    item.refresh_from_db()
    assert item.result == BatchItem.Result.PENDING
    assert Application.objects.get(pk=payable.application_id).status == "confirmed"
    assert not AuditEvent.objects.filter(action="reconciliation_import").exists()


def test_prepare_on_a_past_date_shows_the_refusal_and_writes_nothing(payable, finance_team):
    yesterday = today_jst() - dt.timedelta(days=1)

    response = browser(finance_team.preparer).post(
        "/finance/", {"payable": [payable.pk], "transfer_date": yesterday.isoformat()}
    )

    assert response.status_code == 200
    assert any("is in the past" in message for message in shown(response))
    ticked = f'id="payable-{payable.pk}" aria-label="{payable.application.reference}" checked'
    assert ticked in response.content.decode()  # the choice survives the refusal
    assert not PaymentBatch.objects.exists()
    assert Payable.objects.get(pk=payable.pk).status == Payable.Status.PAYABLE


def test_cancel_returns_the_payables(batch, payable, finance_team):
    response = browser(finance_team.releaser).post(
        f"/finance/batches/{batch.pk}/cancel/", {"reason": "wrong date"}, follow=True
    )

    assert any("Batch cancelled" in message for message in shown(response))
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.CANCELLED
    assert Payable.objects.get(pk=payable.pk).status == Payable.Status.PAYABLE


def workbook_rows(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return list(sheet.iter_rows(values_only=True))


def test_payables_excel_export_has_one_row_per_payable(payable, other_payable, people):
    response = browser(people.auditor).get("/finance/payables.xlsx")

    assert response.status_code == 200
    header, *rows = workbook_rows(response.content)
    assert header[:3] == ("Application", "Company", "Amount (yen)")
    assert [row[:3] for row in rows] == [
        (payable.application.reference, payable.company.name, payable.amount),
        (other_payable.application.reference, other_payable.company.name, other_payable.amount),
    ]
    assert {row[6] for row in rows} == {"****567", "****321"}


def test_batch_excel_export_has_the_items_and_their_results(
    released, payable, other_payable, finance_team, bank_day
):
    paid = BatchItem.objects.get(batch=released, payable=payable)
    failed = BatchItem.objects.get(batch=released, payable=other_payable)
    services.reconciliation_import(
        batch_id=released.pk,
        by=finance_team.second,
        data=results_csv([(paid, True, ""), (failed, False, "口座なし")]),
    )

    response = browser(finance_team.second).get(f"/finance/batches/{released.pk}/items.xlsx")

    header, *rows = workbook_rows(response.content)
    assert header[0] == "Customer code" and header[-2:] == ("Result", "Reason")
    assert [(row[0], row[1], row[3], row[-2], row[-1]) for row in rows] == [
        (paid.customer_code, payable.application.reference, paid.amount, "paid", None),
        (
            failed.customer_code,
            other_payable.application.reference,
            failed.amount,
            "transfer failed",
            "口座なし",
        ),
    ]


def test_finance_header_link_for_finance_and_auditors_only(people):
    assert 'data-testid="finance-link"' in browser(people.finance).get("/finance/").content.decode()
    assert 'data-testid="finance-link"' in browser(people.auditor).get("/finance/").content.decode()
    page = browser(people.applicant).get("/portal/")
    assert page.status_code == 200 and 'data-testid="finance-link"' not in page.content.decode()


LISTS = ["/finance/", "/finance/payables.xlsx", "/finance/batches/", "{batch}", "{batch}items.xlsx"]
READ_PAGES = [*LISTS, "{batch}file/"]
WRITE_PAGES = ["/finance/", "{batch}release/", "{batch}cancel/", "{batch}reconcile/"]


def urls(pages, batch) -> list[str]:
    return [page.format(batch=f"/finance/batches/{batch.pk}/") for page in pages]


@pytest.mark.parametrize("role", ["applicant", "staff", "approver", "other_applicant"])
def test_finance_pages_are_403_for_everybody_else(released, people, role):
    client = browser(getattr(people, role))

    for url in urls(READ_PAGES, released):
        assert client.get(url).status_code == 403, url
    for url in urls(WRITE_PAGES, released):
        assert client.post(url, {"reason": "x"}).status_code == 403, url
    released.refresh_from_db()
    assert released.status == PaymentBatch.Status.RELEASED


def test_finance_pages_auditor_reads_but_cannot_act(batch, people):
    client = browser(people.auditor)

    for url in urls(LISTS, batch):
        assert client.get(url).status_code == 200, url
    html = client.get(f"/finance/batches/{batch.pk}/").content.decode()
    assert 'name="release"' not in html and 'name="cancel"' not in html
    for url in urls(WRITE_PAGES, batch):
        assert client.post(url, {"reason": "x"}).status_code == 403, url
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.PREPARED
