"""The registration certificate (登録証) as its recipient reads it: the text of the PDF."""

import datetime as dt
import io

import pytest
import time_machine
from pypdf import PdfReader

from core.dates import JST
from declarations.letters import registration_certificate_context
from letters.models import Letter
from letters.rendering import letter_pdf

from .helpers import registered_declaration

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    """The extracted text with the layout's line breaks undone."""
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace(
        "\n", ""
    )


@pytest.fixture
def certificate(people):
    with time_machine.travel(dt.datetime(2026, 11, 24, 10, 0, tzinfo=JST), tick=False):
        declaration = registered_declaration(
            people.applicant,
            people.staff,
            period_start=dt.date(2026, 12, 1),
            period_end=dt.date(2028, 11, 30),
        )
    return Letter.objects.get(
        subject_type="declarations.declaration",
        subject_id=str(declaration.pk),
        kind=Letter.Kind.REGISTRATION_CERTIFICATE,
    )


def test_certificate_context_is_what_the_service_stored(certificate):
    declaration = certificate.company.declarations.get()
    assert registration_certificate_context(declaration).items() <= certificate.context.items()


def test_certificate_pdf_in_japanese(certificate):
    text = text_of(letter_pdf(certificate.kind, "ja", certificate.context))
    for expected in (
        "リスキリング推進宣言登録証",
        "第2026-0001号",
        "産宣第1号",
        "株式会社ひたちテック",
        "令和8年12月1日から令和10年11月30日まで",
        "代表取締役　日立　一郎",
        "クラウド型業務システム",
        "リスキリング推進宣言制度実施要領",
        "茨城県知事",
    ):
        assert expected in text, expected


def test_certificate_pdf_in_english(certificate):
    text = text_of(letter_pdf(certificate.kind, "en", certificate.context))
    for expected in (
        "Certificate of Registration",
        "No. 2026-0001",
        "1 December 2026 to 30 November 2028",
        "Governor of Ibaraki Prefecture",
    ):
        assert expected in text, expected


def test_certificate_rendered_after_registration(people, run_on_commit):
    declaration = run_on_commit(registered_declaration, people.applicant, people.staff)
    letter = Letter.objects.get(
        subject_id=str(declaration.pk), kind=Letter.Kind.REGISTRATION_CERTIFICATE
    )
    assert letter.status == Letter.Status.ISSUED
    with letter.file.open("rb") as handle:
        assert declaration.registration_number in text_of(handle.read())
