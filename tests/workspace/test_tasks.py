"""The staff workspace's task list and task page: who may do what (workflows.policy), claiming
that keeps the step in view, bulk actions, search, exports, and a page cost that does not grow
with the number of tasks."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape
from viewflow.workflow.models import Task

from applications.models import Application
from fixtures.demo import advance, draft_create
from workflows import policy
from workflows import services as wf

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(draft, people):
    advance(draft, "submitted", vars(people))
    return draft


def check_task(application: Application) -> Task:
    return wf.active_task(application.pk, "check_documents")


@translation.override("en")
def test_policy_answers_each_action_with_its_reason(submitted, people):
    task = check_task(submitted)
    staff = policy.task_actions(people.staff, task)
    assert staff[policy.CLAIM] and staff[policy.COMPLETE] and not staff[policy.RELEASE]

    approver = policy.task_actions(people.approver, task)
    assert not approver[policy.COMPLETE]
    assert "role" in str(approver[policy.COMPLETE].reason)

    wf.task_claim(task_id=task.pk, by=people.staff)
    task.refresh_from_db()
    other = policy.task_actions(people.staff2, task)
    assert not other[policy.COMPLETE] and not other[policy.CLAIM]
    assert "someone else" in str(other[policy.COMPLETE].reason)
    assert policy.task_actions(people.staff, task)[policy.RELEASE]


def test_a_colleague_cannot_complete_a_held_step(submitted, people):
    task = check_task(submitted)
    wf.task_claim(task_id=task.pk, by=people.staff)
    with pytest.raises(wf.NotAllowed):
        wf.task_complete(task_id=task.pk, by=people.staff2, data={"accept": True})
    assert Application.objects.get(pk=submitted.pk).status == "submitted"


def test_claiming_from_the_page_keeps_the_step_in_view(submitted, people, client):
    task = check_task(submitted)
    client.force_login(people.staff)
    response = client.post(f"/workspace/tasks/{task.pk}/claim/")
    assert response.status_code == 302 and response["Location"] == f"/workspace/tasks/{task.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="release"' in page and 'data-testid="claim"' not in page
    mine = client.get("/workspace/tasks/?holder=me").content.decode()
    assert submitted.reference in mine


def test_a_reassign_to_someone_whose_role_cannot_take_the_step_is_refused(
    submitted, people, client
):
    task = check_task(submitted)
    client.force_login(people.staff)
    response = client.post(
        f"/workspace/tasks/{task.pk}/reassign/", {"to": people.approver.pk}, follow=True
    )
    with translation.override("ja"):
        refusal = translation.gettext("%(user)s's role cannot take this step.") % {
            "user": people.approver.get_full_name() or people.approver.get_username()
        }
    assert escape(refusal) in response.content.decode()
    task.refresh_from_db()
    assert task.owner_id is None

    client.post(f"/workspace/tasks/{task.pk}/reassign/", {"to": people.staff2.pk})
    task.refresh_from_db()
    assert task.owner_id == people.staff2.pk


def test_bulk_claim_takes_every_ticked_step(subsidy_round, people, client):
    drafts = [draft_create(subsidy_round, people.applicant) for _ in range(3)]
    for application in drafts:
        advance(application, "submitted", vars(people))
    tasks = [check_task(application) for application in drafts]
    wf.task_claim(task_id=tasks[2].pk, by=people.staff2)
    client.force_login(people.staff)
    response = client.post(
        "/workspace/tasks/bulk/",
        {"action": "claim", "task": [str(task.pk) for task in tasks]},
        follow=True,
    )
    owners = dict(Task.objects.filter(pk__in=[t.pk for t in tasks]).values_list("pk", "owner"))
    assert owners == {
        tasks[0].pk: people.staff.pk,
        tasks[1].pk: people.staff.pk,
        tasks[2].pk: people.staff2.pk,
    }
    levels = [message.level_tag for message in response.context["messages"]]
    assert levels == ["success", "error"]  # two taken, the third named with its reason


def test_search_by_reference_corporate_number_and_company(subsidy_round, people, client):
    first = draft_create(subsidy_round, people.applicant)
    second = draft_create(subsidy_round, people.other_applicant)
    wf.subsidy_submit(application_id=first.pk, by=people.applicant)
    wf.subsidy_submit(application_id=second.pk, by=people.other_applicant)
    client.force_login(people.staff)

    def found(query: str) -> set[str]:
        page = client.get("/workspace/tasks/", {"q": query}).content.decode()
        return {a.reference for a in (first, second) if a.reference in page}

    assert found(second.reference) == {second.reference}
    assert found(first.company.corporate_number) == {first.reference}
    assert found(second.company.name) == {second.reference}


def test_export_is_the_filtered_list_in_csv(subsidy_round, people, client):
    first = draft_create(subsidy_round, people.applicant)
    second = draft_create(subsidy_round, people.other_applicant)
    wf.subsidy_submit(application_id=first.pk, by=people.applicant)
    wf.subsidy_submit(application_id=second.pk, by=people.other_applicant)
    client.force_login(people.staff)
    response = client.get("/workspace/tasks/", {"q": first.reference, "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    with translation.override("ja"):
        assert rows[0][0] == translation.gettext("Reference")
    assert [row[0] for row in rows[1:]] == [first.reference]


def test_the_list_costs_the_same_queries_at_any_length(subsidy_round, people, client):
    client.force_login(people.staff)

    def queries_for_list() -> int:
        client.get("/workspace/tasks/")  # warm the session and content-type caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/workspace/tasks/").status_code == 200
        return len(captured)

    advance(draft_create(subsidy_round, people.applicant), "submitted", vars(people))
    one = queries_for_list()
    for _ in range(6):
        advance(draft_create(subsidy_round, people.applicant), "submitted", vars(people))
    assert queries_for_list() == one


def test_saved_lists_belong_to_their_user(submitted, people, client):
    client.force_login(people.staff)
    client.post("/workspace/tasks/lists/", {"name": "未着手の書類確認", "query": "holder=nobody"})
    assert "未着手の書類確認" in client.get("/workspace/tasks/").content.decode()
    client.force_login(people.staff2)
    assert "未着手の書類確認" not in client.get("/workspace/tasks/").content.decode()


def test_applicants_and_reviewers_have_no_workspace(submitted, people, reviewers, client):
    client.force_login(people.applicant)
    assert client.get("/workspace/tasks/").status_code == 403
    assert client.get("/workspace/")["Location"] == "/portal/"
    client.force_login(reviewers[0])
    assert client.get("/workspace/")["Location"] == "/reviews/"
    task = check_task(submitted)
    assert client.get(f"/workspace/tasks/{task.pk}/").status_code == 403


def test_a_document_opens_in_the_browser_or_downloads(submitted, people, client):
    document = submitted.documents.first()
    client.force_login(people.staff)
    opened = client.get(f"/documents/applications/{document.pk}/?inline=1")
    assert opened["Content-Disposition"].startswith("inline")
    assert "sandbox" not in opened["Content-Security-Policy"]
    assert "script-src" not in opened["Content-Security-Policy"]  # default-src 'none' holds
    downloaded = client.get(f"/documents/applications/{document.pk}/")
    assert downloaded["Content-Disposition"].startswith("attachment")


def test_a_refused_step_keeps_what_was_typed_beside_the_error(submitted, people, client):
    task = check_task(submitted)
    client.force_login(people.staff)
    response = client.post(
        f"/workspace/tasks/{task.pk}/", {"accept": "0", "items": "", "message": "至急ご対応を"}
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors  # the reason is shown with the form (error summary and field)
    page = response.content.decode()
    assert 'class="k-error-summary"' in page and "至急ご対応を" in page


def test_the_list_starts_with_the_step_waiting_longest(subsidy_round, people, client):
    first = draft_create(subsidy_round, people.applicant)
    second = draft_create(subsidy_round, people.applicant)
    for application in (second, first):  # the second waits longest
        advance(application, "submitted", vars(people))
    client.force_login(people.staff)
    page = client.get("/workspace/tasks/").content.decode()
    assert page.index(second.reference) < page.index(first.reference)


def _decision_task(draft, people):
    advance(draft, "decision_pending", vars(people))
    return wf.active_task(draft.pk, "decide")


def _pdf_text(data: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    return "".join(page.get_textpage().get_text_range() for page in document)


def test_the_decision_letter_opens_as_a_specimen_before_it_is_issued(draft, people, client):
    from letters.models import Letter

    task = _decision_task(draft, people)
    letters_before = Letter.objects.count()
    client.force_login(people.approver)
    page = client.get(f"/workspace/tasks/{task.pk}/").content.decode()
    assert 'data-testid="letter-preview"' in page

    grant = client.get(f"/workspace/tasks/{task.pk}/letter.pdf", {"approve": "1"})
    assert grant["Content-Type"] == "application/pdf"
    assert grant["Content-Disposition"].startswith("inline")
    text = _pdf_text(grant.content)
    assert "見本" in text and "187,000" in text and "発行時に付番" in text
    refusal = client.get(
        f"/workspace/tasks/{task.pk}/letter.pdf",
        {"approve": "0", "reason": "対象経費の要件を満たさない"},
    )
    assert "対象経費の要件を満たさない" in _pdf_text(refusal.content)
    assert Letter.objects.count() == letters_before  # nothing numbered, nothing stored


def test_a_step_without_a_letter_has_no_specimen(submitted, people, client):
    task = check_task(submitted)
    client.force_login(people.staff)
    assert client.get(f"/workspace/tasks/{task.pk}/letter.pdf").status_code == 404
    client.force_login(people.applicant)
    assert client.get(f"/workspace/tasks/{task.pk}/letter.pdf").status_code == 403


def test_the_staff_home_lists_the_deadlines_at_risk(draft, people, client):
    import datetime as dt

    from applications.models import SubsidyRound
    from core.dates import today_jst

    advance(draft, "granted", vars(people))
    SubsidyRound.objects.filter(pk=draft.round_id).update(
        results_report_deadline=today_jst() + dt.timedelta(days=3)
    )
    client.force_login(people.staff)
    deadlines = client.get("/workspace/").content.decode().split('data-testid="deadlines"')[1]
    assert draft.reference in deadlines
    client.force_login(people.finance)
    assert 'data-testid="deadlines"' not in client.get("/workspace/").content.decode()
