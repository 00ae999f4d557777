"""The staff side's daily work in a real browser, in Japanese, from each role's home page
without typing a URL: the list, taking a step, the step's page; and the error paths, where the
refusal shows beside what caused it and nothing typed is lost. Each page is looked at (1366 and
390 px screenshots under test-artifacts/, axe-core)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from awards.models import Nomination
from fixtures.demo import advance, draft_create
from screening.committee import review_assignments_open, scores_submit
from screening.models import CommitteeDecision
from screening.selectors import review_item_for
from tests.awards.helpers import award_round_create, panel_create, self_nomination
from tests.browser.helpers import _, field, log_in
from workflows import services as wf
from workflows.flows import NominationFlow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_step(page: Page, reference: str, step_title: str) -> None:
    """Home → the task list → search by reference → the step's page."""
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/workspace/$"))
    page.get_by_test_id("tasks-link").click()
    filters = page.get_by_test_id("task-filters")
    filters.get_by_label(field(_("Reference, company or corporate number"))).fill(reference)
    filters.get_by_role("button", name=_("Show"), exact=True).click()
    page.get_by_test_id("task-row").filter(has_text=step_title).get_by_test_id("task-link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(step_title)


def test_staff_take_a_check_and_a_return_needs_its_items(new_page, look, subsidy_round, people):
    application = draft_create(subsidy_round, people.applicant)
    advance(application, "submitted", vars(people))

    staff = log_in(new_page, "staff")
    expect(staff).to_have_url(re.compile(r"/workspace/$"))
    expect(staff.get_by_test_id("team-queue")).to_contain_text(_("Check documents"))
    look(staff, "workspace-staff-home")
    open_step(staff, application.reference, _("Check documents"))
    look(staff, "workspace-staff-task-unclaimed")

    # taking the step keeps it in view, now with the form
    staff.get_by_test_id("claim").click()
    expect(staff.get_by_text(_("The step is yours now."))).to_be_visible()
    expect(staff.get_by_role("heading", level=1)).to_contain_text(application.reference)
    expect(staff.get_by_test_id("task-holder")).to_have_text("staff")

    # a return without the items to correct is refused beside the field; the message stays
    form = staff.get_by_test_id("task-form")
    form.get_by_label(field(_("incomplete: return for correction"))).check()
    form.get_by_label(field(_("Message to the applicant"))).fill("期日までにご対応ください。")
    form.get_by_test_id("complete").click()
    summary = staff.locator(".k-error-summary")
    expect(summary).to_be_visible()
    items = form.get_by_label(field(_("Items to correct (one per line)")))
    expect(items).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label(field(_("Message to the applicant")))).to_have_value(
        "期日までにご対応ください。"
    )
    expect(form.get_by_label(field(_("incomplete: return for correction")))).to_be_checked()
    look(staff, "workspace-staff-task-error")

    items.fill("事業計画書に研修の目的を記載してください")
    form.get_by_test_id("complete").click()
    expect(
        staff.get_by_text(
            _("“%(step)s” is done for %(reference)s.")
            % {"step": _("Check documents"), "reference": application.reference}
        )
    ).to_be_visible()
    application.refresh_from_db()
    assert application.status == "returned"


def _reviewed_round(people, reviewers):
    round_ = award_round_create()
    panel = panel_create(round_, people, reviewers, quota=1)
    nominations = []
    for member, score in ((people.applicant, 5), (people.other_applicant, 3)):
        nomination = self_nomination(round_, member)
        wf.nomination_process_submit(nomination_id=nomination.pk, by=member)
        wf.step_complete(
            application_id=nomination.pk,
            step=NominationFlow.instance.steps["check_documents"],
            by=people.staff,
            data={"accept": True},
            flow_class=NominationFlow,
        )
        for assignment in review_assignments_open(review_item_for(nomination)):
            scores_submit(
                assignment_id=assignment.pk,
                by=assignment.reviewer,
                scores={"initiative": score, "results": score},
            )
        nominations.append(nomination)
    return panel, nominations


def test_the_chair_cannot_select_over_the_quota_and_an_approver_approves(
    new_page, look, people, reviewers
):
    panel, (first, second) = _reviewed_round(people, reviewers)
    wf.committee_process_start(panel_id=panel.pk, by=people.staff)

    # the chair (staff2) finds the decision among the steps they hold, on their home page
    chair = log_in(new_page, "staff2")
    chair.get_by_test_id("my-tasks").get_by_test_id("my-task").first.click()
    expect(chair.get_by_test_id("ranking")).to_be_visible()
    counter = chair.get_by_test_id("quota-counter")
    expect(counter.locator("[data-count]")).to_have_text("1")  # the top-ranked, within quota
    form = chair.get_by_test_id("task-form")
    form.get_by_role("checkbox", name=review_item_for(second).label).check()
    expect(counter.locator("[data-count]")).to_have_text("2")  # counted as the chair ticks
    form.get_by_label(field(_("Rationale of the decision"))).fill("両社とも優れた取組である")
    form.get_by_test_id("confirm").get_by_text(_("Decide…"), exact=True).click()
    form.get_by_test_id("complete").click()
    expect(chair.locator(".k-error-summary")).to_contain_text("2")
    expect(form.get_by_label(field(_("Rationale of the decision")))).to_have_value(
        "両社とも優れた取組である"
    )
    look(chair, "workspace-chair-over-quota")
    assert not CommitteeDecision.objects.filter(panel=panel).exists()

    form.get_by_role("checkbox", name=review_item_for(second).label).uncheck()
    expect(form.get_by_test_id("confirm")).to_have_attribute("open", "")  # asked already
    form.get_by_test_id("complete").click()
    expect(chair.get_by_role("status").first).to_be_visible()
    assert CommitteeDecision.objects.get(panel=panel).status == CommitteeDecision.Status.RECORDED

    # the approver sees it among the decisions awaiting them, opens it and approves it
    approver = log_in(new_page, "approver")
    decisions = approver.get_by_test_id("decisions")
    expect(decisions).to_contain_text(_("Approve the committee decision"))
    look(approver, "workspace-approver-home")
    decisions.get_by_role("link").first.click()
    approver.get_by_test_id("claim").click()
    form = approver.get_by_test_id("task-form")
    form.get_by_label(field(_("approve")), exact=False).first.check()
    look(approver, "workspace-approver-task")
    form.get_by_test_id("confirm").get_by_text(_("Decide…"), exact=True).click()
    form.get_by_test_id("complete").click()
    expect(approver).to_have_url(re.compile(r"/workspace/$"))
    first.refresh_from_db()
    assert first.status == Nomination.Status.SELECTED


def test_finance_and_auditors_reach_their_pages_from_home(new_page, look, subsidy_round, people):
    advance(draft_create(subsidy_round, people.applicant), "confirmed", vars(people))

    finance = log_in(new_page, "finance")
    expect(finance).to_have_url(re.compile(r"/workspace/$"))
    expect(finance.get_by_test_id("tasks-link")).to_have_count(0)  # no steps of their own
    look(finance, "workspace-finance-home")
    finance.get_by_test_id("finance").get_by_role("link").first.click()
    expect(finance).to_have_url(re.compile(r"/finance/$"))

    auditor = log_in(new_page, "auditor")
    audit = auditor.get_by_test_id("audit")
    expect(audit).to_contain_text(_("Recent decisions"))
    look(auditor, "workspace-auditor-home")
    audit.get_by_role("link").first.click()
    expect(auditor).to_have_url(re.compile(r"/audit/applications/\d+/$"))
