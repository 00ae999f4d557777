"""Good files of each allowed type are accepted, typed by content and stored once."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import services as application_services
from applications.models import Document
from awards import services as award_services
from fixtures.documents import pdf_bytes

from .conftest import api_client, stored_files
from .corpus import GOOD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("name", "make", "content_type"), GOOD, ids=[g[0] for g in GOOD])
def test_application_upload_api_good_file_accepted_with_its_type(
    draft, people, name, make, content_type
):
    response = api_client(people.applicant).post(
        f"/api/applications/{draft.pk}/documents/",
        {"document_type": "application_form", "file": SimpleUploadedFile(name, make())},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    document = Document.objects.get(pk=response.json()["id"])
    assert document.original_name == name
    assert document.content_type == content_type
    assert (
        document.file.name
        == f"blobs/{document.sha256[:2]}/{document.sha256[2:4]}/{document.sha256}"
    )
    assert document.file.read() == make()


def test_identical_uploads_store_one_blob_under_two_rows_and_names(draft, nomination, people):
    before = stored_files()
    content = pdf_bytes("the same plan")
    first = application_services.document_upload(
        application_id=draft.pk,
        document_type="application_form",
        file=SimpleUploadedFile("計画書.pdf", content),
        by=people.applicant,
    )
    second = award_services.document_upload(
        nomination_id=nomination.pk,
        file=SimpleUploadedFile("plan-copy.pdf", content),
        by=people.applicant,
    )
    assert first.pk != second.pk
    assert (first.original_name, second.original_name) == ("計画書.pdf", "plan-copy.pdf")
    assert first.file.name == second.file.name
    assert len(stored_files()) == len(before) + 1


def test_upload_name_with_folders_keeps_the_base_name_only(draft, people):
    document = application_services.document_upload(
        application_id=draft.pk,
        document_type="application_form",
        file=SimpleUploadedFile("..\\..\\etc/申請書.pdf", pdf_bytes("x")),
        by=people.applicant,
    )
    assert document.original_name == "申請書.pdf"
