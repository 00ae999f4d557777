"""The applicant's web pages, through Django's test client."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import Application
from fixtures.demo import advance
from fixtures.documents import pdf_bytes
from fixtures.reference import REQUIRED_DOCUMENT_TYPES
from workflows.services import active_task

pytestmark = pytest.mark.django_db


def test_portal_draft_to_submission(subsidy_round, people, client):
    client.force_login(people.applicant)
    created = client.post("/portal/applications/new/", {"round": subsidy_round.pk})
    application = Application.objects.get(company=people.applicant.profile.company)
    assert created.url == f"/portal/applications/{application.pk}/"
    base = created.url

    refused = client.post(f"{base}submit/", follow=True)
    assert "研修計画" in refused.content.decode()  # "add at least one trainee…" in Japanese
    assert Application.objects.get(pk=application.pk).status == "draft"

    client.post(
        f"{base}lines/",
        {
            "trainee_name": "佐藤",
            "course_name": "クラウド基礎",
            "provider": "県立産業技術短大",
            "start_date": "2027-01-12",
            "end_date": "2027-01-20",
            "cost_type": "tuition",
            "amount": "90000",
        },
    )
    for code in REQUIRED_DOCUMENT_TYPES[:3]:
        client.post(
            f"{base}documents/",
            {"document_type": code, "file": SimpleUploadedFile(f"{code}.pdf", pdf_bytes(code))},
        )
    page = client.post(f"{base}submit/", follow=True).content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.requested_amount == 45_000
    assert application.documents.count() == 3
    assert "45,000" in page


def test_portal_bad_line_shows_the_field_error_and_adds_nothing(draft, people, client):
    client.force_login(people.colleague)  # English profile
    page = client.post(
        f"/portal/applications/{draft.pk}/lines/",
        {
            "trainee_name": "佐藤",
            "course_name": "講座",
            "provider": "x",
            "start_date": "2027-01-20",
            "end_date": "2027-01-12",
            "cost_type": "tuition",
            "amount": "1000",
        },
        follow=True,
        headers={"Accept-Language": "ja"},  # the profile's English wins over the browser
    ).content.decode()
    assert "must end on or after its start date" in page
    assert draft.training_lines.count() == 4


def test_portal_staff_sees_open_step_link_and_no_applicant_forms(draft, people, client):
    advance(draft, "submitted", vars(people))
    client.force_login(people.auditor)
    page = client.get(f"/portal/applications/{draft.pk}/").content.decode()
    task = active_task(draft.pk, "check_documents")
    assert f'href="/workspace/tasks/{task.pk}/"' in page
    assert 'name="withdraw"' not in page
    client.force_login(people.applicant)
    assert 'name="withdraw"' in client.get(f"/portal/applications/{draft.pk}/").content.decode()


def test_staff_task_page_completes_the_step(draft, people, client):
    advance(draft, "submitted", vars(people))

    task = active_task(draft.pk, "check_documents")
    client.force_login(people.staff)
    base = f"/workspace/tasks/{task.pk}/"
    form = client.get(base)
    assert form.status_code == 200
    assert draft.reference in form.content.decode()
    done = client.post(base, {"accept": "0", "items": "", "message": "直してください"})
    assert done.status_code == 422  # refused: a return needs the items to correct
    assert "直してください" in done.content.decode()  # what was typed stays
    assert Application.objects.get(pk=draft.pk).status == "submitted"
    client.post(base, {"accept": "1"})
    assert Application.objects.get(pk=draft.pk).status == "screening"


def test_portal_speaks_the_profile_language_unless_the_user_chose(draft, people, client):
    client.force_login(people.colleague)  # profile language: English
    assert (
        "Add a trainee and course"
        in client.get(f"/portal/applications/{draft.pk}/").content.decode()
    )
    client.cookies["django_language"] = "ja"
    assert (
        "Add a trainee and course"
        not in client.get(f"/portal/applications/{draft.pk}/").content.decode()
    )
