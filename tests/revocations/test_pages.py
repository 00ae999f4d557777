"""The revocation and repayment pages as their users use them: staff prepare, another approver
decides, finance records the repayments and takes the list to Excel. Staff-side roles read;
companies and committee members get 403."""

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
from fixtures.demo import advance, draft_create
from letters.models import Letter
from revocations import services
from revocations.models import RepaymentReceipt, Revocation

from .conftest import GRANTED_AMOUNT, REASON, at

pytestmark = pytest.mark.django_db

LIST = "/finance/repayments/"
XLSX = "/finance/repayments/repayments.xlsx"


def browser(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def shown(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def english_day(day: dt.date) -> str:
    """2 December 2026: how an English page writes a day (config/formats/en)."""
    return f"{day.day} {day:%B} {day.year}"


def new_url(application) -> str:
    return f"/finance/repayments/revocations/new/{application.pk}/"


def detail_url(revocation) -> str:
    return f"/finance/repayments/revocations/{revocation.pk}/"


def day(revocation, n: int) -> dt.date:
    """The n-th day after the company received the subsidy."""
    return revocation.interest_from + dt.timedelta(days=n)


def prepare(application, by, deadline=None) -> Revocation:
    return services.revocation_prepare(
        application_id=application.pk,
        by=by,
        reason=REASON,
        revoked_amount=GRANTED_AMOUNT,
        repayment_deadline=deadline,
    )


# --- prepare and decide ----------------------------------------------------------------------


def test_staff_prepare_and_another_approver_decides_through_the_pages(
    paid, people, deadline, transfer_day, django_capture_on_commit_callbacks
):
    staff, approver = browser(people.staff), browser(people.approver2)

    # given the form, which asks for a deadline because the company was paid
    form = staff.get(new_url(paid)).content.decode()
    assert 'name="repayment_deadline"' in form
    assert "187,000" in form

    # when staff prepare the revocation
    prepared = staff.post(
        new_url(paid),
        {
            "reason": REASON,
            "revoked_amount": str(GRANTED_AMOUNT),
            "repayment_deadline": deadline.isoformat(),
        },
        follow=True,
    )

    # then it awaits a decision, and nothing is revoked yet
    revocation = Revocation.objects.get(application=paid)
    assert prepared.redirect_chain == [(detail_url(revocation), 302)]
    assert (revocation.status, revocation.prepared_by) == ("prepared", people.staff)
    assert (revocation.repayment_amount, revocation.repayment_deadline) == (
        GRANTED_AMOUNT,
        deadline,
    )
    assert Application.objects.get(pk=paid.pk).status == Application.Status.PAID
    assert "another approver must now decide it" in prepared.content.decode()

    # when another approver decides it from its page
    page = approver.get(detail_url(revocation)).content.decode()
    assert 'name="decide"' in page
    with django_capture_on_commit_callbacks(execute=True):
        decided = approver.post(f"{detail_url(revocation)}decide/", follow=True)

    # then the grant is revoked, the notice issued, and the page links to it
    assert any("Revocation decided" in message for message in shown(decided))
    revocation.refresh_from_db()
    assert (revocation.status, revocation.decided_by) == ("ordered", people.approver2)
    assert Application.objects.get(pk=paid.pk).status == Application.Status.REVOKED
    letter = Letter.objects.get(pk=revocation.letter_id)
    assert (letter.kind, letter.status) == (Letter.Kind.REVOCATION, Letter.Status.ISSUED)
    html = decided.content.decode()
    assert f'href="/letters/{letter.pk}/pdf/"' in html
    assert staff.get(f"/letters/{letter.pk}/pdf/")["Content-Type"] == "application/pdf"
    assert 'name="decide"' not in html


def test_detail_page_shows_the_decision_revoked_the_terms_and_what_is_due(
    ordered, people, time_machine
):
    grant_notice = Letter.objects.get(kind=Letter.Kind.GRANT_DECISION, previous__isnull=True)
    time_machine.move_to(at(day(ordered, 100)), tick=False)

    page = browser(people.finance).get(detail_url(ordered)).content.decode()

    assert grant_notice.number_text in page
    # dates and amounts as the (English) page writes them, not ISO's 2026-12-02
    issued_on = dt.date.fromisoformat(grant_notice.context["issued_on"])
    assert f"{grant_notice.number_text}, {english_day(issued_on)}" in page
    assert "10.95% a year on a 365-day year" in page
    assert f"outstanding from {english_day(ordered.interest_from)}" in page
    # 100 days on ¥187,000 at 10.95% / 365 = ¥5,610
    assert 'data-testid="due-principal">¥187,000<' in page
    assert 'data-testid="due-interest">¥5,610<' in page
    assert 'data-testid="due-total">¥192,610<' in page


def test_preparer_who_is_also_an_approver_cannot_decide(
    paid, people, chief, deadline, django_capture_on_commit_callbacks
):
    revocation = prepare(paid, chief, deadline)
    client = browser(chief)

    page = client.get(detail_url(revocation)).content.decode()
    assert 'name="decide"' not in page
    assert "You prepared this revocation" in page

    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(f"{detail_url(revocation)}decide/", follow=True)

    assert any("another approver must decide it" in message for message in shown(refused))
    revocation.refresh_from_db()
    assert (revocation.status, revocation.decided_by, revocation.letter) == ("prepared", None, None)
    assert Application.objects.get(pk=paid.pk).status == Application.Status.PAID
    assert not Letter.objects.filter(kind=Letter.Kind.REVOCATION).exists()
    assert not AuditEvent.objects.filter(action="revocation_decide").exists()


def test_staff_who_prepared_cannot_decide_without_the_approver_role(paid, people, deadline):
    revocation = prepare(paid, people.staff, deadline)

    refused = browser(people.staff).post(f"{detail_url(revocation)}decide/", follow=True)

    assert any("Only an approver can decide" in message for message in shown(refused))
    assert Revocation.objects.get(pk=revocation.pk).status == Revocation.Status.PREPARED


def test_prepare_of_an_unpaid_grant_asks_no_deadline_and_orders_no_repayment(granted, people):
    client = browser(people.staff)

    form = client.get(new_url(granted)).content.decode()
    assert 'name="revoked_amount"' in form
    assert 'name="repayment_deadline"' not in form

    client.post(new_url(granted), {"reason": REASON, "revoked_amount": str(GRANTED_AMOUNT)})

    revocation = Revocation.objects.get(application=granted)
    assert (revocation.paid_amount, revocation.repayment_amount) == (0, 0)
    assert revocation.repayment_deadline is None


def test_prepare_without_the_deadline_of_a_paid_grant_shows_the_error_and_creates_nothing(
    paid, people
):
    page = browser(people.staff).post(
        new_url(paid), {"reason": REASON, "revoked_amount": str(GRANTED_AMOUNT)}
    )

    assert page.status_code == 200
    assert "set the date by which it must repay" in page.content.decode()
    assert not Revocation.objects.exists()


def test_prepare_page_of_an_application_under_revocation_leads_to_it(paid, people, deadline):
    revocation = prepare(paid, people.staff, deadline)

    response = browser(people.staff2).get(new_url(paid))

    assert response.status_code == 302
    assert response.url == detail_url(revocation)


def test_staff_cancel_a_prepared_revocation_with_a_reason(paid, people, deadline):
    revocation = prepare(paid, people.staff, deadline)
    client = browser(people.staff2)

    client.post(f"{detail_url(revocation)}cancel/", {"reason": ""})
    assert Revocation.objects.get(pk=revocation.pk).status == Revocation.Status.PREPARED

    done = client.post(f"{detail_url(revocation)}cancel/", {"reason": "事実誤認"}, follow=True)

    assert any("Revocation cancelled" in message for message in shown(done))
    assert Revocation.objects.get(pk=revocation.pk).status == Revocation.Status.CANCELLED
    assert AuditEvent.objects.get(action="revocation_cancel").reason == "事実誤認"
    assert Application.objects.get(pk=paid.pk).status == Application.Status.PAID


# --- repayments ------------------------------------------------------------------------------


def test_finance_records_a_partial_then_a_full_repayment_and_the_order_is_settled(
    ordered, people, time_machine
):
    url = f"{detail_url(ordered)}repayments/"

    # given ¥87,000 repaid on day 10
    time_machine.move_to(at(day(ordered, 10)), tick=False)
    finance = browser(people.finance)
    assert 'name="record"' in finance.get(detail_url(ordered)).content.decode()
    partial = finance.post(
        url, {"amount": "87000", "received_on": day(ordered, 10).isoformat()}, follow=True
    )
    assert any("Repayment recorded" in message for message in shown(partial))
    assert Revocation.objects.get(pk=ordered.pk).status == Revocation.Status.ORDERED

    # then on day 20: 187,000 × 10 + 100,000 × 10 yen-days at 0.0003 a day = ¥861 of charge
    time_machine.move_to(at(day(ordered, 20)), tick=False)
    finance = browser(people.finance)
    listing = finance.get(LIST).content.decode()
    assert listing.count('data-testid="repayment-row"') == 1
    row = listing.split('data-testid="repayment-row"')[1].split("</tr>")[0]
    cells = ["¥187,000", "¥87,000", "¥100,000", "¥861", "¥100,861"]  # the English page's way
    assert [f'<td class="num">{cell}</td>' in row for cell in cells] == [True] * 5
    assert "open" in row

    # when the rest is repaid that day
    full = finance.post(
        url, {"amount": "100861", "received_on": day(ordered, 20).isoformat()}, follow=True
    )

    # then the order is settled, and the page lists both receipts
    assert any("the order is settled" in message for message in shown(full))
    ordered.refresh_from_db()
    assert ordered.status == Revocation.Status.SETTLED
    assert list(RepaymentReceipt.objects.values_list("amount", "recorded_by__username")) == [
        (87_000, "finance"),
        (100_861, "finance"),
    ]
    html = full.content.decode()
    assert html.count('data-testid="receipt-row"') == 2
    assert 'data-testid="due-total">¥0<' in html
    assert 'name="record"' not in html
    assert "settled" in finance.get(LIST).content.decode().split('data-testid="repayment-row"')[1]


def test_overpayment_is_refused_with_the_amount_that_can_be_recorded(ordered, people, time_machine):
    time_machine.move_to(at(day(ordered, 0)), tick=False)

    refused = browser(people.finance).post(
        f"{detail_url(ordered)}repayments/",
        {"amount": "187001", "received_on": day(ordered, 0).isoformat()},
        follow=True,
    )

    assert any("at most ¥187,000 can be recorded" in message for message in shown(refused))
    assert not RepaymentReceipt.objects.exists()


def test_only_finance_records_repayments(ordered, people, time_machine):
    time_machine.move_to(at(day(ordered, 5)), tick=False)
    data = {"amount": "1000", "received_on": day(ordered, 5).isoformat()}

    for user in (people.staff, people.approver, people.auditor):
        client = browser(user)
        assert 'name="record"' not in client.get(detail_url(ordered)).content.decode()
        refused = client.post(f"{detail_url(ordered)}repayments/", data, follow=True)
        assert any("Only finance can record" in message for message in shown(refused))

    assert not RepaymentReceipt.objects.exists()


# --- the list and its export -----------------------------------------------------------------


@pytest.fixture
def other_ordered(subsidy_round, people, deadline, run_on_commit):
    """The second company's paid grant, revoked in full, repayment ordered."""
    other = {**vars(people), "applicant": people.other_applicant}
    application = run_on_commit(
        advance, draft_create(subsidy_round, people.other_applicant), "paid", other
    )
    revocation = prepare(application, people.staff2, deadline + dt.timedelta(days=5))
    return run_on_commit(
        services.revocation_decide, revocation_id=revocation.pk, by=people.approver2
    )


def test_excel_export_lists_the_orders_open_first_with_what_is_due(
    ordered, other_ordered, people, time_machine
):
    # given the first order settled on day 0, the other still open on day 100
    time_machine.move_to(at(day(ordered, 0)), tick=False)
    services.repayment_record(
        revocation_id=ordered.pk, by=people.finance, amount=187_000, received_on=day(ordered, 0)
    )
    time_machine.move_to(at(day(other_ordered, 100)), tick=False)

    # when an auditor downloads the list
    response = browser(people.auditor).get(XLSX)

    # then the workbook has one row per order, the open one first
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:8] == (
        "Application",
        "Company",
        "Decided on",
        "Ordered to repay (yen)",
        "Repaid (yen)",
        "Principal outstanding (yen)",
        "Additional charge due (yen)",
        "Total due (yen)",
    )
    other_app, first_app = other_ordered.application, ordered.application
    assert [row[:2] for row in rows] == [
        (other_app.reference, other_app.company.name),
        (first_app.reference, first_app.company.name),
    ]
    assert rows[0][3:8] == (187_000, 0, 187_000, 5_610, 192_610)
    assert rows[0][8].date() == other_ordered.repayment_deadline
    assert rows[0][9] == "no"
    assert rows[1][3:8] == (187_000, 187_000, 0, 0, 0)
    assert rows[1][9] == "yes"


def test_list_shows_revocations_awaiting_a_decision(paid, people, deadline):
    revocation = prepare(paid, people.staff, deadline)

    page = browser(people.approver).get(LIST).content.decode()

    assert page.count('data-testid="awaiting-row"') == 1
    assert f'href="{detail_url(revocation)}"' in page
    assert 'data-testid="repayment-row"' not in page


# --- who may see what ------------------------------------------------------------------------


def test_companies_and_reviewers_are_refused_every_page(ordered, paid, people, reviewers):
    urls = [LIST, XLSX, detail_url(ordered), new_url(paid)]
    for user in (people.applicant, reviewers[0]):
        client = browser(user)
        assert [client.get(url).status_code for url in urls] == [403] * 4
        posted = client.post(f"{detail_url(ordered)}repayments/", {"amount": "1"})
        assert posted.status_code == 403


def test_only_programme_staff_open_the_prepare_form(paid, people):
    for user in (people.approver, people.finance, people.auditor):
        assert browser(user).get(new_url(paid)).status_code == 403
    assert browser(people.staff).get(new_url(paid)).status_code == 200


def test_auditors_read_the_list_and_the_revocation_without_acting(ordered, people):
    client = browser(people.auditor)

    listing = client.get(LIST)
    page = client.get(detail_url(ordered)).content.decode()

    assert listing.status_code == 200 and ordered.application.reference in listing.content.decode()
    for control in ('name="decide"', 'name="cancel"', 'name="record"'):
        assert control not in page


def test_unknown_revocation_is_not_found(people):
    client = browser(people.finance)

    assert client.get("/finance/repayments/revocations/999999/").status_code == 404
    assert client.post("/finance/repayments/revocations/999999/decide/").status_code == 404


def test_finance_nav_links_the_repayments(people):
    page = browser(people.finance).get("/finance/").content.decode()

    assert f'href="{LIST}"' in page


def test_prepare_form_of_a_draft_goes_back_with_the_reason(draft, people):
    response = browser(people.staff).get(new_url(draft), follow=True)

    assert response.redirect_chain[-1][0] == f"/portal/applications/{draft.pk}/"
    assert any("has no grant to revoke" in message for message in shown(response))


def test_deadline_defaults_to_a_month_ahead(paid, people):
    page = browser(people.staff).get(new_url(paid)).content.decode()

    assert (today_jst() + dt.timedelta(days=30)).isoformat() in page
