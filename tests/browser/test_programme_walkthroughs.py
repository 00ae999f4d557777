"""A promotion declaration to registration and an award nomination to commendation, in a real
browser, as each person who handles them: the company on the portal, staff and approvers in the
staff frontend, reviewers on their review pages, and anyone on the public lists.

Like the subsidy walkthrough, labels are looked up through the server's message catalogues.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Company
from awards.models import Nomination
from core.roles import Role
from declarations.models import Declaration
from fixtures.demo import user_create
from screening import committee
from screening.models import Criterion, ReviewAssignment, Rubric
from tests.awards.helpers import award_round_create
from tests.browser.helpers import _, log_in
from workflows import services as wf
from workflows.flows import CommitteeFlow, DeclarationFlow, NominationFlow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def label(text: str) -> re.Pattern[str]:
    """A form label as Django prints it (first letter capitalised, maybe a colon)."""
    return re.compile(rf"^\s*{re.escape(text)}\s*[:：]?\s*$", re.IGNORECASE)


def open_task(page: Page, flow_class, subject_id: int, node: str) -> None:
    """Open the subject's step in the workspace, taking it if nobody has."""
    task = wf.active_task(subject_id, node, flow_class)
    assert task is not None, f"no open {node} task"
    page.goto(f"/workspace/tasks/{task.pk}/")
    if task.owner_id is None:
        page.get_by_test_id("claim").click()
    expect(page.get_by_test_id("complete")).to_be_attached()


def complete(page: Page, step_title: str, reference: str) -> None:
    confirm = page.get_by_test_id("confirm")
    if confirm.count():
        confirm.get_by_text(_("Decide…"), exact=True).click()
    page.get_by_test_id("complete").click()
    expect(
        page.get_by_text(
            _("“%(step)s” is done for %(reference)s.")
            % {"step": step_title, "reference": reference}
        )
    ).to_be_visible()


def test_declaration_from_the_portal_to_the_public_list(new_page, people, artifacts):
    today = timezone.localdate()

    # The company declares on the portal and submits.
    applicant = log_in(new_page, "applicant")
    applicant.get_by_text(_("Declare"), exact=True).click()
    applicant.get_by_label(label(_("reskilling goals"))).fill("全社員のデジタル基礎研修を修了する")
    applicant.get_by_label(label(_("concrete measures"))).fill(
        "月1回の社内勉強会と受講費の全額負担"
    )
    applicant.get_by_label(label(_("person responsible"))).fill("日立 一郎")
    applicant.get_by_label(label(_("period start"))).fill(today.isoformat())
    applicant.get_by_label(label(_("period end"))).fill(
        (today + dt.timedelta(days=730)).isoformat()
    )
    applicant.get_by_label(label(_("Publish on the public list"))).check()
    applicant.get_by_role("button", name=_("Create declaration"), exact=True).click()
    applicant.get_by_role("button", name=_("Submit declaration"), exact=True).click()
    declaration = Declaration.objects.get(company=people.applicant.profile.company)
    expect(applicant.get_by_test_id("status")).to_have_text(str(Declaration.Status.SUBMITTED.label))

    # Staff check it and accept: it is registered.
    staff = log_in(new_page, "staff")
    open_task(staff, DeclarationFlow, declaration.pk, "check_documents")
    expect(staff.get_by_text("全社員のデジタル基礎研修を修了する")).to_be_visible()
    staff.get_by_label(label(_("complete: accept"))).check()
    complete(staff, _("Check declaration"), declaration.reference)

    # The company sees its registration number and certificate; the public sees the company.
    applicant.reload()
    declaration.refresh_from_db()
    expect(applicant.get_by_test_id("registration-number")).to_have_text(
        declaration.registration_number
    )
    expect(
        applicant.get_by_role("link", name=re.compile("登録証|registration certificate", re.I))
    ).to_be_visible()
    applicant.screenshot(path=artifacts / "walkthrough-declaration-registered.png", full_page=True)
    public = new_page()
    public.goto("/declarations/")
    expect(public.get_by_text(declaration.company.name)).to_be_visible()


@pytest.fixture
def award_committee(people, reviewers):
    round_ = award_round_create()
    rubric = Rubric.objects.create(name="審査基準", scale_min=1, scale_max=5)
    for order, (code, name) in enumerate([("strategy", "経営戦略"), ("results", "成果")]):
        Criterion.objects.create(
            rubric=rubric, code=code, label_ja=name, label_en=code, weight=1, order=order
        )
    panel = committee.panel_create(
        round=round_,
        name="審査委員会",
        rubric=rubric,
        reviewers=reviewers,
        reviewers_per_item=3,
        review_deadline=timezone.now() + dt.timedelta(days=14),
        chair=people.staff2,
        quota=1,
        by=people.staff,
    )
    return round_, panel


def test_nomination_by_a_chamber_to_commendation(new_page, people, award_committee, artifacts):
    round_, panel = award_committee
    chamber = Company.objects.create(
        name="水戸商工会議所", corporate_number="4100002000001", address="茨城県水戸市"
    )
    user_create("chamber", Role.APPLICANT, chamber)
    nominee = people.applicant.profile.company

    # The chamber of commerce nominates ひたちテック by its corporate number.
    nominator = log_in(new_page, "chamber")
    nominator.get_by_text(_("Nominate a company"), exact=True).click()
    nominator.get_by_label(label(_("Award round"))).select_option(str(round_.pk))
    nominator.get_by_label(label(_("Nominated by"))).select_option(Nomination.NominatorKind.CHAMBER)
    nominator.get_by_label(
        label(_("Nominee's corporate number (法人番号; third-party nominations)"))
    ).fill(nominee.corporate_number)
    nominator.get_by_label(label(_("Nominating organisation"))).fill("水戸商工会議所")
    nominator.get_by_label(label(_("Reskilling initiatives"))).fill("生成AI研修を全社で実施した")
    nominator.get_by_role("button", name=_("Create nomination"), exact=True).click()
    expect(nominator.get_by_test_id("status")).to_have_text(str(Nomination.Status.DRAFT.label))
    nomination = Nomination.objects.get(round=round_)

    # The company consents; the chamber submits.
    company = log_in(new_page, "applicant")
    company.goto(nomination.get_absolute_url())
    company.get_by_role("button", name=_("Our company consents to this nomination")).click()
    expect(company.get_by_test_id("consent")).not_to_have_text(_("not yet recorded"))
    nominator.reload()
    nominator.get_by_role("button", name=_("Submit nomination"), exact=True).click()
    expect(nominator.get_by_test_id("status")).to_have_text(str(Nomination.Status.SUBMITTED.label))

    # Staff accept it for the committee: three reviewers get a task each.
    staff = log_in(new_page, "staff")
    open_task(staff, NominationFlow, nomination.pk, "check_documents")
    staff.get_by_label(label(_("complete: accept"))).check()
    complete(staff, _("Check nomination"), nomination.reference)

    # Each reviewer scores it on their review page.
    assignments = ReviewAssignment.objects.filter(item__object_id=nomination.pk)
    assert assignments.count() == 3
    for assignment in assignments.select_related("reviewer"):
        reviewer = log_in(new_page, assignment.reviewer.username)
        expect(reviewer).to_have_url(re.compile(r"/reviews/$"))
        reviewer.get_by_role("link", name=re.compile(re.escape(nominee.name))).first.click()
        for criterion in ("経営戦略", "成果"):
            reviewer.get_by_role("group", name=criterion).get_by_label("4", exact=True).check()
        reviewer.get_by_role("button", name=_("Submit scores"), exact=True).click()
        expect(reviewer.get_by_test_id("score-row").first).to_be_visible()

    # Staff open the decision; the chair selects; an approver who reviewed nothing approves.
    staff.goto(f"/reviews/panels/{panel.pk}/")
    staff.get_by_role("button", name=_("Open the committee's decision")).click()
    expect(
        staff.get_by_text(
            _("The committee's decision is open: the chair records it in their tasks.")
        )
    ).to_be_visible()
    chair = log_in(new_page, "staff2")
    open_task(chair, CommitteeFlow, panel.pk, "record_decision")
    expect(chair.get_by_test_id("ranking")).to_contain_text(nominee.name)
    # the ranking proposes the top nomination within the quota; the chair keeps it
    expect(chair.get_by_role("checkbox", name=re.compile(re.escape(nominee.name)))).to_be_checked()
    chair.get_by_label(label(_("Rationale of the decision"))).fill("評点のとおり選定する")
    complete(chair, _("Record the committee decision"), panel.name)
    approver = log_in(new_page, "approver")
    open_task(approver, CommitteeFlow, panel.pk, "approve_decision")
    approver.get_by_label(label(_("approve"))).check()
    complete(approver, _("Approve the committee decision"), panel.name)

    # Staff commend the selected company: its certificate is issued and it is listed publicly.
    open_task(staff, NominationFlow, nomination.pk, "commend")
    staff.get_by_label(label(_("Date of the commendation"))).fill(timezone.localdate().isoformat())
    complete(staff, _("Commend"), nomination.reference)
    company.goto(nomination.get_absolute_url())
    expect(company.get_by_test_id("status")).to_have_text(str(Nomination.Status.COMMENDED.label))
    company.screenshot(path=artifacts / "walkthrough-nomination-commended.png", full_page=True)
    public = new_page()
    public.goto("/awards/commended/")
    expect(public.get_by_text(nominee.name)).to_be_visible()
