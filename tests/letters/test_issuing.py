"""Letters are numbered without gaps, rendered after commit once, versioned, access-controlled."""

import datetime as dt
import hashlib

import pytest
import time_machine
import yaml
from pypdf import PdfReader
from rest_framework.test import APIClient

from applications.models import Application
from audit.models import AuditEvent
from core.dates import JST
from fixtures.demo import advance
from letters.models import Letter
from letters.services import letter_regenerate, letter_render_file
from letters.tasks import letter_render
from workflows import services as wf
from workflows import steps

pytestmark = pytest.mark.django_db


def pdf_text(letter):
    with letter.file.open("rb") as handle:
        return "".join(page.extract_text() for page in PdfReader(handle).pages)


def letters_of(application):
    return Letter.objects.filter(
        subject_type="applications.application", subject_id=str(application.pk)
    ).order_by("number", "version")


def test_lifecycle_issues_each_letter_with_consecutive_numbers(draft, people, run_on_commit):
    application = run_on_commit(advance, draft, "paid", vars(people))

    letters = list(letters_of(application))
    assert [letter.kind for letter in letters] == [
        "grant_decision",
        "amount_confirmation",
        "payment_notice",
    ]
    assert [letter.number for letter in letters] == [1, 2, 3]
    assert all(letter.status == Letter.Status.ISSUED for letter in letters)
    grant = letters[0]
    text = pdf_text(grant)
    assert "産人第1号" in text
    assert "187,000円" in text
    assert "株式会社ひたちテック" in text
    assert "令和8年" in text
    with grant.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == grant.sha256
    issued = AuditEvent.objects.filter(action="letter_issued", subject_id=str(application.pk))
    assert sorted(event.data["sha256"] for event in issued) == sorted(
        letter.sha256 for letter in letters
    )


def test_correction_and_non_grant_letters(draft, people, run_on_commit):
    run_on_commit(wf.subsidy_submit, application_id=draft.pk, by=people.applicant)
    run_on_commit(
        wf.step_complete,
        application_id=draft.pk,
        step=steps.CHECK_DOCUMENTS,
        by=people.staff,
        data={"accept": False, "items": ["支出内訳書の合計欄"]},
    )
    correction = letters_of(draft).get(kind="correction")
    text = pdf_text(correction)
    assert "支出内訳書の合計欄" in text
    assert draft.correction_requests.get().deadline.strftime("%m") in text or "令和" in text

    run_on_commit(wf.subsidy_resubmit, application_id=draft.pk, by=people.applicant)
    run_on_commit(
        wf.step_complete,
        application_id=draft.pk,
        step=steps.CHECK_DOCUMENTS,
        by=people.staff,
        data={"accept": True},
    )
    run_on_commit(
        wf.step_complete,
        application_id=draft.pk,
        step=steps.SCREEN,
        by=people.staff,
        data={"eligible": False, "recommend_grant": False, "reason": "対象外"},
    )
    run_on_commit(
        wf.step_complete,
        application_id=draft.pk,
        step=steps.DECIDE,
        by=people.approver,
        data={"approve": False, "reason": "補助対象外の研修である"},
    )
    non_grant = letters_of(draft).get(kind="non_grant")
    text = pdf_text(non_grant)
    assert "補助対象外の研修である" in text
    assert "審査請求" in text  # the appeal-rights text on an adverse decision
    assert non_grant.number == correction.number + 1


def test_render_task_run_twice_keeps_one_file(draft, people, run_on_commit):
    run_on_commit(advance, draft, "granted", vars(people))
    letter = letters_of(draft).get()
    first = (letter.file.name, letter.sha256)

    letter_render.apply(args=[letter.pk])
    letter_render_file(letter_id=letter.pk)

    letter.refresh_from_db()
    assert (letter.file.name, letter.sha256) == first
    assert AuditEvent.objects.filter(action="letter_issued").count() == 1


def test_regenerate_makes_a_new_version_and_keeps_the_old(draft, people, run_on_commit):
    run_on_commit(advance, draft, "granted", vars(people))
    original = letters_of(draft).get()

    again = run_on_commit(letter_regenerate, letter_id=original.pk, by=people.staff)

    again.refresh_from_db()
    original.refresh_from_db()
    assert (again.number, again.version, again.previous) == (original.number, 2, original)
    assert again.status == Letter.Status.ISSUED and original.status == Letter.Status.ISSUED
    assert original.file.name != again.file.name
    assert "第2版" in pdf_text(again)
    assert original.file.storage.exists(original.file.name)


def test_letter_download_access(draft, people, run_on_commit, client):
    run_on_commit(advance, draft, "granted", vars(people))
    letter = letters_of(draft).get()
    url = f"/letters/{letter.pk}/pdf/"

    for user, expected in [
        (people.applicant, 200),
        (people.colleague, 200),
        (people.auditor, 200),
        (people.staff, 200),
        (people.other_applicant, 404),
    ]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == expected, user
        if expected == 200:
            assert response["X-Content-SHA256"] == letter.sha256
            assert b"".join(response.streaming_content).startswith(b"%PDF")
    api = APIClient()
    api.force_authenticate(people.other_applicant)
    assert api.get(f"/api/letters/{letter.pk}/pdf/").status_code == 404
    assert api.get("/api/letters/").json()["results"] == []
    api.force_authenticate(people.applicant)
    assert [row["number_text"] for row in api.get("/api/letters/").json()["results"]] == [
        "産人第1号"
    ]
    assert api.get(f"/api/letters/{letter.pk}/pdf/").status_code == 200


def test_english_applicant_gets_an_english_letter(draft, people, run_on_commit):
    from accounts.models import Profile

    Profile.objects.filter(user=people.applicant).update(language="en")
    run_on_commit(advance, draft, "granted", vars(people))
    letter = letters_of(draft).get()
    assert letter.language == "en"
    assert "187,000" in pdf_text(letter)
    assert Application.objects.get(pk=draft.pk).status == "granted"


def test_letter_api_gives_series_fiscal_year_of_issue_and_number(draft, people, run_on_commit):
    run_on_commit(advance, draft, "decision_pending", vars(people))
    with time_machine.travel(dt.datetime(2027, 4, 1, 9, tzinfo=JST), tick=False):
        run_on_commit(
            wf.step_complete,
            application_id=draft.pk,
            step=steps.DECIDE,
            by=people.approver,
            data={"approve": True},
        )
    letter = letters_of(draft).get()
    api = APIClient()
    api.force_authenticate(people.applicant)

    row = api.get(f"/api/letters/{letter.pk}/").json()

    assert draft.round.fiscal_year == 2026
    assert {key: row[key] for key in ("series", "fiscal_year", "number", "issued_on")} == {
        "series": "産人",
        "fiscal_year": 2027,
        "number": 1,
        "issued_on": "2027-04-01",
    }


def test_openapi_schema_describes_the_letter_number(people):
    api = APIClient()
    api.force_authenticate(people.staff)
    schema = yaml.safe_load(api.get("/api/schema/").content)
    letter = schema["components"]["schemas"]["Letter"]["properties"]
    assert letter["series"]["type"] == "string"
    assert letter["fiscal_year"]["type"] == "integer"
    assert letter["number"]["type"] == "integer"
    assert letter["issued_on"]["format"] == "date"
