"""The company's home page (マイページ) and correcting a returned declaration, in a browser.

The home page opens with what needs the company now, each with its next action and deadline;
a returned declaration is corrected and resubmitted with one button, and an emptied required
field brings the form back with the rest of the input still there.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from declarations.models import Declaration
from fixtures.demo import advance, draft_create, round_create
from tests.browser.helpers import _, field, log_in
from tests.declarations.helpers import draft_declaration
from web.templatetags.kofu import when
from workflows import services as wf
from workflows import steps
from workflows.flows import DeclarationFlow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CORRECTED = "全社員が生成AI研修を修了し、受発注処理の時間を4割削減する。"


def _ja(value) -> str:
    from django.utils import translation

    with translation.override("ja"):
        return when(value)


def _returned_declaration(people) -> Declaration:
    declaration = draft_declaration(people.applicant)
    wf.declaration_process_submit(declaration_id=declaration.pk, by=people.applicant)
    wf.step_complete(
        application_id=declaration.pk,
        step=steps.CHECK_DECLARATION,
        by=people.staff,
        data={"accept": False, "items": ["目標を数値で記載してください"]},
        flow_class=DeclarationFlow,
    )
    return Declaration.objects.get(pk=declaration.pk)


@pytest.fixture
def records(reference, people):
    """A draft, a granted application and a returned declaration of companies[0]."""
    round_ = round_create()
    draft = draft_create(round_, people.applicant)
    granted = advance(draft_create(round_, people.applicant), "granted", vars(people))
    declaration = _returned_declaration(people)
    return round_, draft, granted, declaration


def test_home_page_lists_what_needs_the_company_now(new_page, people, records, look):
    round_, draft, granted, declaration = records
    correction = declaration.correction_requests.get()

    page = log_in(new_page, "applicant")
    page.goto("/portal/")

    expect(page.get_by_role("heading", level=1)).to_contain_text(_("My page"))
    expect(page.get_by_test_id("company-name")).to_have_text(people.applicant.profile.company.name)
    todo = page.get_by_test_id("needs-you").get_by_test_id("todo")
    expect(todo).to_have_count(3)

    def item(reference: str):
        return todo.filter(has_text=reference)

    expect(item(draft.reference).get_by_test_id("todo-action")).to_have_text(
        _("Submit the application")
    )
    expect(item(draft.reference).get_by_test_id("todo-deadline")).to_contain_text(
        _ja(round_.closes_at)
    )
    expect(item(granted.reference).get_by_test_id("todo-action")).to_have_text(
        _("Report the results")
    )
    expect(item(granted.reference).get_by_test_id("todo-deadline")).to_contain_text(
        _ja(round_.results_report_deadline)
    )
    expect(item(declaration.reference).get_by_test_id("todo-action")).to_have_text(
        _("Correct and resubmit the declaration")
    )
    expect(item(declaration.reference).get_by_test_id("todo-deadline")).to_contain_text(
        _ja(correction.deadline)
    )
    # the soonest deadline first
    expect(todo.first).to_contain_text(declaration.reference)
    # the lists below, status as chips
    applications = page.get_by_test_id("applications")
    expect(applications.get_by_role("link", name=granted.reference)).to_be_visible()
    expect(applications.locator(".k-chip").filter(has_text=_("granted"))).to_have_count(1)
    expect(page.get_by_test_id("open-round")).to_contain_text(round_.name)
    look(page, "portal-home")

    item(declaration.reference).get_by_test_id("todo-action").click()
    expect(page).to_have_url(re.compile(rf"/portal/declarations/{declaration.pk}/$"))


def test_returned_declaration_corrected_in_one_action(new_page, people, look):
    declaration = _returned_declaration(people)

    page = log_in(new_page, "applicant")
    page.goto(f"/portal/declarations/{declaration.pk}/")
    expect(page.get_by_test_id("status")).to_have_text(str(Declaration.Status.RETURNED.label))
    form = page.get_by_test_id("correction-form")
    expect(form.get_by_role("button")).to_have_count(1)  # one act: nothing to forget to save
    look(page, "declaration-returned")

    # An emptied required field: the page comes back with the errors and the rest as typed.
    form.get_by_label(field(_("reskilling goals"))).fill("")
    form.get_by_label(field(_("concrete measures"))).fill("毎月の勉強会")
    form.get_by_label(field(_("Your answer"))).fill("目標を数値にしました")
    form.get_by_role("button", name=_("Save and resubmit")).click()
    summary = page.locator(".k-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    form = page.get_by_test_id("correction-form")
    expect(form.get_by_label(field(_("concrete measures")))).to_have_value("毎月の勉強会")
    expect(form.get_by_label(field(_("Your answer")))).to_have_value("目標を数値にしました")
    expect(form.get_by_label(field(_("reskilling goals")))).to_have_attribute(
        "aria-invalid", "true"
    )
    look(page, "declaration-correction-error")
    assert Declaration.objects.get(pk=declaration.pk).status == Declaration.Status.RETURNED

    # Filled in again, the one button saves and resubmits.
    summary.get_by_role("link").first.click()
    expect(form.get_by_label(field(_("reskilling goals")))).to_be_focused()
    form.get_by_label(field(_("reskilling goals"))).fill(CORRECTED)
    form.get_by_role("button", name=_("Save and resubmit")).click()
    expect(page.get_by_test_id("status")).to_have_text(str(Declaration.Status.SUBMITTED.label))
    declaration.refresh_from_db()
    assert (declaration.goals, declaration.measures) == (CORRECTED, "毎月の勉強会")
    assert declaration.correction_requests.get().answer == "目標を数値にしました"
    # the history names the company and the office, never a user
    history = page.get_by_test_id("history")
    expect(history).to_contain_text(_("programme staff"))
    expect(history).not_to_contain_text(people.staff.username)
