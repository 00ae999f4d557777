"""Who may open a document, how it is given back, and that staff-side openings are traced."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from applications import services as application_services
from audit.models import AuditEvent
from awards import services as award_services
from fixtures.documents import pdf_bytes
from traces.selectors import application_trace

pytestmark = pytest.mark.django_db

NAME = "支出内訳 書.pdf"


@pytest.fixture
def application_document(draft, people):
    return application_services.document_upload(
        application_id=draft.pk,
        document_type="application_form",
        file=SimpleUploadedFile(NAME, pdf_bytes("costs")),
        by=people.applicant,
    )


@pytest.fixture
def nomination_document(nomination, people):
    return award_services.document_upload(
        nomination_id=nomination.pk,
        file=SimpleUploadedFile(NAME, pdf_bytes("nomination")),
        by=people.applicant,
    )


def _user(people, reviewers, who):
    if who.startswith("reviewer"):
        return reviewers[int(who[-1]) - 1]
    return getattr(people, who)


def _assert_document(response, content):
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E6%94%AF%E5%87%BA%E5%86%85%E8%A8%B3%20%E6%9B%B8.pdf" in disposition


APPLICATION_ROLES = [
    ("applicant", 200),
    ("colleague", 200),
    ("other_applicant", 404),
    ("staff", 200),
    ("approver", 200),
    ("auditor", 200),
    ("reviewer1", 404),
]


@pytest.mark.parametrize(("who", "status"), APPLICATION_ROLES)
def test_application_document_download_by_role(
    client, people, reviewers, application_document, who, status
):
    client.force_login(_user(people, reviewers, who))
    response = client.get(f"/documents/applications/{application_document.pk}/")
    assert response.status_code == status
    if status == 200:
        _assert_document(response, pdf_bytes("costs"))


NOMINATION_ROLES = [
    ("applicant", 200),
    ("other_applicant", 404),
    ("staff", 200),
    ("approver", 200),
    ("auditor", 200),
    ("reviewer1", 200),  # assigned
    ("reviewer4", 404),  # assigned, then declared a conflict with the company
    ("reviewer5", 404),  # not assigned (and works for another company)
]


@pytest.mark.parametrize(("who", "status"), NOMINATION_ROLES)
def test_nomination_document_download_by_role(
    client, people, reviewers, nomination_document, who, status
):
    client.force_login(_user(people, reviewers, who))
    response = client.get(f"/documents/nominations/{nomination_document.pk}/")
    assert response.status_code == status
    if status == 200:
        _assert_document(response, pdf_bytes("nomination"))


def test_document_download_anonymous_redirected_to_login(
    client, application_document, nomination_document
):
    for url in (
        f"/documents/applications/{application_document.pk}/",
        f"/documents/nominations/{nomination_document.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_media_files_are_not_served_by_url(client, people, application_document):
    client.force_login(people.applicant)
    assert client.get(f"/media/{application_document.file.name}").status_code == 404


def test_document_opening_by_staff_recorded_and_in_the_trace(client, people, application_document):
    client.force_login(people.staff)
    assert client.get(f"/documents/applications/{application_document.pk}/").status_code == 200
    event = AuditEvent.objects.get(action="document_open")
    assert (event.actor, event.actor_role) == (people.staff, "staff")
    assert event.subject_id == str(application_document.application_id)
    assert event.data["document_id"] == application_document.pk
    assert event.data["sha256"] == application_document.sha256
    with translation.override("en"):
        trace = application_trace(application_document.application_id)
        opened = [entry for entry in trace.entries if entry.action == "open document"]
    assert len(opened) == 1
    assert "(staff)" in opened[0].actor or opened[0].actor == "staff"
    assert [d.sha256 for d in opened[0].digests] == [application_document.sha256]


def test_document_opening_by_reviewer_recorded_by_applicant_not(
    client, people, reviewers, nomination_document
):
    client.force_login(people.applicant)
    client.get(f"/documents/nominations/{nomination_document.pk}/")
    assert not AuditEvent.objects.filter(action="document_open").exists()
    client.force_login(reviewers[0])
    client.get(f"/documents/nominations/{nomination_document.pk}/")
    event = AuditEvent.objects.get(action="document_open")
    assert (event.actor, event.actor_role) == (reviewers[0], "reviewer")
    assert event.subject_type == "awards.nomination"
