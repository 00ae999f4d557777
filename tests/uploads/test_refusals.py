"""Every bad file of the corpus is refused, with its code, through the API and the web forms of
both programmes that take uploads; no row and no file remain."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import services as application_services
from applications.models import Document
from awards.models import NominationDocument
from core.uploads import UploadRefused
from fixtures.documents import pdf_bytes

from .conftest import api_client, stored_files
from .corpus import BAD, MB, bad_content

pytestmark = pytest.mark.django_db

BAD_IDS = [name for name, _content, _code in BAD]


@pytest.mark.parametrize(("name", "content", "code"), BAD, ids=BAD_IDS)
def test_application_upload_api_bad_file_refused_with_code_nothing_stored(
    draft, people, name, content, code
):
    rows, files = Document.objects.count(), stored_files()
    response = api_client(people.applicant).post(
        f"/api/applications/{draft.pk}/documents/",
        {
            "document_type": "application_form",
            "file": SimpleUploadedFile(name, bad_content(name, content)),
        },
        format="multipart",
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == code
    assert body["field"] == "file"
    assert name in body["message"]
    assert Document.objects.count() == rows
    assert stored_files() == files


@pytest.mark.parametrize(("name", "content", "code"), BAD, ids=BAD_IDS)
def test_nomination_upload_page_bad_file_refused_beside_the_field_nothing_stored(
    client, nomination, people, name, content, code
):
    files = stored_files()
    client.force_login(people.applicant)
    response = client.post(
        f"/portal/nominations/{nomination.pk}/documents/",
        {"description": "資料", "file": SimpleUploadedFile(name, bad_content(name, content))},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    form = response.context["document_form"]
    assert name in form.errors["file"][0]
    assert NominationDocument.objects.count() == 0
    assert stored_files() == files


def test_application_upload_page_refusal_shown_beside_the_field(client, draft, people):
    client.force_login(people.applicant)
    response = client.post(
        f"/portal/applications/{draft.pk}/documents/",
        {"document_type": "application_form", "file": SimpleUploadedFile("x.pdf", b"MZ\x90")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    html = response.content.decode()
    error = response.context["document_form"].errors["file"][0]
    assert "x.pdf" in error
    assert html.index("errorlist") < html.index('name="file"')


def test_upload_over_the_cap_refused_before_its_bytes_are_kept(client, draft, people, settings):
    settings.KOFU_UPLOAD_MAX_FILE_BYTES = 1 * MB
    big = pdf_bytes("big") + b"%" + b" " * (3 * MB)
    response = api_client(people.applicant).post(
        f"/api/applications/{draft.pk}/documents/",
        {"document_type": "application_form", "file": SimpleUploadedFile("big.pdf", big)},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "file_too_large"
    assert "1 MB" in response.json()["message"]


def test_upload_handler_over_the_cap_passes_on_no_bytes(settings):
    from core.uploads import CappedUploadHandler, OversizedUpload

    settings.KOFU_UPLOAD_MAX_FILE_BYTES = 10
    handler = CappedUploadHandler()
    handler.new_file("file", "big.pdf", "application/pdf", 100)
    assert handler.receive_data_chunk(b"x" * 8, 0) == b"x" * 8
    assert handler.receive_data_chunk(b"x" * 8, 8) is None
    assert handler.receive_data_chunk(b"x" * 8, 16) is None
    done = handler.file_complete(24)
    assert isinstance(done, OversizedUpload)
    assert done.size == 24


def test_upload_beyond_the_quota_refused(draft, people, settings):
    used = sum(draft.documents.values_list("size", flat=True))
    settings.KOFU_UPLOAD_QUOTA_BYTES = used + len(pdf_bytes("one more")) - 1
    with pytest.raises(UploadRefused) as refused:
        application_services.document_upload(
            application_id=draft.pk,
            document_type="application_form",
            file=SimpleUploadedFile("more.pdf", pdf_bytes("one more")),
            by=people.applicant,
        )
    assert refused.value.code == "quota_exceeded"


def test_upload_beyond_the_file_count_refused(draft, people, settings):
    settings.KOFU_UPLOAD_MAX_FILES = draft.documents.count()
    with pytest.raises(UploadRefused) as refused:
        application_services.document_upload(
            application_id=draft.pk,
            document_type="application_form",
            file=SimpleUploadedFile("more.pdf", pdf_bytes("one more")),
            by=people.applicant,
        )
    assert refused.value.code == "too_many_files"
