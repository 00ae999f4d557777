"""An auditor, in a real browser, finds a paid application by its reference, reads its decision
trace (the grant decision, who made it, the letter's hash) and downloads the trace as PDF.

Labels are looked up through the message catalogues the server uses, in Japanese."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import expect
from pypdf import PdfReader

from applications import labels as application_labels
from fixtures.demo import advance, draft_create
from letters.models import Letter
from tests.browser.helpers import _, field, log_in
from tests.traces.helpers import ORIGINATOR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def paid(subsidy_round, people, settings):
    """An application paid through the services; each commit renders its letters and seals
    its audit events, as in production."""
    settings.KOFU_ORIGINATOR = ORIGINATOR
    people.approver.last_name, people.approver.first_name = "承認", "花子"
    people.approver.save(update_fields=["first_name", "last_name"])
    return advance(draft_create(subsidy_round, people.applicant), "paid", vars(people))


def test_auditor_finds_an_application_reads_its_trace_and_downloads_the_pdf(
    new_page, artifacts, paid
):
    grant_letter = Letter.objects.get(
        subject_id=str(paid.pk), kind=Letter.Kind.GRANT_DECISION, version=1
    )
    auditor = log_in(new_page, "auditor")

    # 1. The auditor searches the application by its reference.
    auditor.goto("/audit/")
    expect(auditor.get_by_test_id("chain-head")).to_be_visible()
    search = auditor.get_by_test_id("search-form")
    search.get_by_label(field(_("Reference, company, 法人番号 or letter number"))).fill(
        paid.reference
    )
    search.get_by_role("button", name=_("Search"), exact=True).click()
    results = auditor.get_by_test_id("result-row")
    expect(results).to_have_count(1)

    # 2. They open its trace.
    results.get_by_role("link", name=paid.reference, exact=True).click()
    expect(auditor.get_by_role("heading", level=1)).to_have_text(paid.reference)
    expect(auditor.get_by_test_id("chain-ok")).to_be_visible()

    # 3. The grant decision names the approver and their role, the amount and the letter's hash.
    with translation.override("ja"):
        grant_label = application_labels.action_label("grant")
        approver_role = application_labels.role_label("approver")
    grant = auditor.get_by_test_id("entry").filter(has=auditor.get_by_text(grant_label, exact=True))
    expect(grant).to_have_count(1)
    expect(grant).to_contain_text("花子 承認 (approver)")
    expect(grant).to_contain_text(approver_role)
    expect(grant).to_contain_text("187,000円")  # the Japanese page's way, not ¥187,000
    expect(grant.get_by_test_id("digest")).to_contain_text(grant_letter.sha256)
    expect(auditor.get_by_test_id("letters")).to_contain_text(grant_letter.sha256)
    auditor.screenshot(path=artifacts / "auditor-trace.png", full_page=True)

    # 4. They download the trace as PDF.
    with auditor.expect_download() as download:
        auditor.get_by_test_id("pdf-link").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert download.value.suggested_filename == f"trace-{paid.reference}.pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert paid.reference in text
    assert "花子 承認 (approver)" in text
    assert grant_letter.sha256 in re.sub(r"\s+", "", text)
