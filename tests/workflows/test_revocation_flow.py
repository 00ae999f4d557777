"""Revoking a grant ends the application's process: a process still waiting is cancelled with its
tasks; a finished one is left as it ended."""

import datetime as dt

import pytest
from django.test import Client
from viewflow.workflow.status import PROCESS

from applications.models import Application
from core.dates import today_jst
from fixtures.demo import advance
from revocations import services as revocations
from revocations.models import Revocation
from workflows import services as wf
from workflows.selectors import subsidy_process_for

pytestmark = pytest.mark.django_db

REASON = "補助対象経費に虚偽の領収書が含まれていたため"


def active_tasks(application):
    return subsidy_process_for(application.pk).task_set.filter(status__in=wf.ACTIVE)


def revoke(application, people, run_on_commit, **terms):
    prepared = revocations.revocation_prepare(
        application_id=application.pk,
        by=people.staff,
        reason=REASON,
        revoked_amount=application.decided_amount,
        **terms,
    )
    return run_on_commit(
        revocations.revocation_decide, revocation_id=prepared.pk, by=people.approver
    )


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_revoking_a_grant_awaiting_its_results_report_cancels_the_process(
    draft, people, run_on_commit
):
    # given a granted application whose process waits for the results report
    granted = run_on_commit(advance, draft, "granted", vars(people))
    assert wf.active_task(granted.pk, "await_results") is not None

    # when its grant is revoked
    revoke(granted, people, run_on_commit)

    # then the process is cancelled and nothing waits any more
    process = subsidy_process_for(granted.pk)
    assert process.status == PROCESS.CANCELED
    assert process.finished is not None
    assert not active_tasks(granted).exists()
    assert Application.objects.get(pk=granted.pk).status == Application.Status.REVOKED


def test_revoking_a_confirmed_grant_awaiting_its_claim_cancels_the_process(
    draft, people, run_on_commit
):
    confirmed = run_on_commit(advance, draft, "confirmed", vars(people))
    assert wf.active_task(confirmed.pk, "await_claim") is not None

    revoke(confirmed, people, run_on_commit)

    assert subsidy_process_for(confirmed.pk).status == PROCESS.CANCELED
    assert not active_tasks(confirmed).exists()


def test_revoking_a_paid_grant_leaves_the_finished_process_alone(draft, people, run_on_commit):
    # given a paid application whose process has ended
    paid = run_on_commit(advance, draft, "paid", vars(people))
    before = subsidy_process_for(paid.pk)
    assert before.status == PROCESS.DONE

    # when its grant is revoked with a repayment order
    revocation = revoke(
        paid, people, run_on_commit, repayment_deadline=today_jst() + dt.timedelta(30)
    )

    # then the process is still done, as it was
    assert revocation.status == Revocation.Status.ORDERED
    after = subsidy_process_for(paid.pk)
    assert (after.status, after.finished) == (PROCESS.DONE, before.finished)
    assert Application.objects.get(pk=paid.pk).status == Application.Status.REVOKED


def test_staff_revoke_from_the_application_page_and_another_approver_decides(
    draft, people, django_capture_on_commit_callbacks
):
    granted = advance(draft, "granted", vars(people))
    staff, approver = browser(people.staff), browser(people.approver)

    # the staff member finds the link on the application's page and prepares the revocation
    page = staff.get(f"/portal/applications/{granted.pk}/").content.decode()
    link = f"/finance/repayments/revocations/new/{granted.pk}/"
    assert f'href="{link}"' in page
    prepared = staff.post(
        link, {"reason": REASON, "revoked_amount": str(granted.decided_amount)}, follow=True
    )
    revocation = Revocation.objects.get(application=granted)
    assert prepared.redirect_chain == [(f"/finance/repayments/revocations/{revocation.pk}/", 302)]

    # an approver decides it from its page; the process ends with it
    with django_capture_on_commit_callbacks(execute=True):
        approver.post(f"/finance/repayments/revocations/{revocation.pk}/decide/")
    assert Application.objects.get(pk=granted.pk).status == Application.Status.REVOKED
    assert subsidy_process_for(granted.pk).status == PROCESS.CANCELED
    page = staff.get(f"/portal/applications/{granted.pk}/").content.decode()
    assert link not in page  # nothing left to revoke


def test_revoke_link_is_for_programme_staff_only(draft, people):
    granted = advance(draft, "granted", vars(people))
    link = f"/finance/repayments/revocations/new/{granted.pk}/"

    for user in (people.finance, people.auditor, people.applicant):
        page = browser(user).get(f"/portal/applications/{granted.pk}/")
        assert page.status_code == 200
        assert link not in page.content.decode()
