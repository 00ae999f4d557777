"""The promotion declaration's portal pages, through Django's test client, with the real flow."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from core.dates import today_jst
from declarations.models import Declaration, DeclarationCorrection
from declarations.selectors import published_declarations
from letters.models import Letter
from tests.declarations.helpers import GOALS, MEASURES, draft_declaration
from web.templatetags.kofu import when
from workflows import services as wf
from workflows import steps
from workflows.flows import DeclarationFlow

pytestmark = pytest.mark.django_db

ITEM = "推進責任者の役職を記載してください"


def _form(**overrides) -> dict[str, str]:
    start = today_jst()
    return {
        "goals": GOALS,
        "measures": MEASURES,
        "responsible_name": "日立　一郎",
        "responsible_title": "",
        "period_start": start.isoformat(),
        "period_end": (start + dt.timedelta(days=730)).isoformat(),
        **overrides,
    }


def _check(declaration: Declaration, by, data: dict) -> None:
    wf.step_complete(
        application_id=declaration.pk,
        step=steps.CHECK_DECLARATION,
        by=by,
        data=data,
        flow_class=DeclarationFlow,
    )


def _status(pk: int) -> str:
    return Declaration.objects.get(pk=pk).status


def _submitted(people) -> Declaration:
    declaration = draft_declaration(people.applicant)
    wf.declaration_process_submit(declaration_id=declaration.pk, by=people.applicant)
    return declaration


def test_declaration_from_the_index_form_to_registration(
    people, client, django_capture_on_commit_callbacks
):
    client.force_login(people.applicant)
    index = client.get("/portal/").content.decode()
    assert 'action="/portal/declarations/new/"' in index

    # given: a declaration created from the index form, then edited on its page
    created = client.post("/portal/declarations/new/", _form())
    declaration = Declaration.objects.get(company=people.applicant.profile.company)
    assert created.url == f"/portal/declarations/{declaration.pk}/"
    client.post(f"{created.url}edit/", _form(measures="毎月の勉強会と資格取得の費用補助"))
    declaration.refresh_from_db()
    assert declaration.measures == "毎月の勉強会と資格取得の費用補助"
    assert declaration.status == Declaration.Status.DRAFT

    client.post(f"{created.url}submit/")
    assert _status(declaration.pk) == Declaration.Status.SUBMITTED

    # when: staff return it for correction
    _check(declaration, people.staff, {"accept": False, "items": [ITEM], "message": "ご確認を"})

    # then: the page shows what to fix and by when, and the forms to fix it
    correction = DeclarationCorrection.objects.get(declaration=declaration)
    page = client.get(created.url).content.decode()
    assert ITEM in page and "ご確認を" in page
    assert f'data-testid="deadline">{when(correction.deadline)}<' in page
    assert f'action="/portal/declarations/{declaration.pk}/resubmit/"' in page
    assert "毎月の勉強会と資格取得の費用補助</textarea>" in page  # the edit form, filled in

    # the corrected text and the answer go in one post
    client.post(
        f"{created.url}resubmit/",
        _form(
            measures="毎月の勉強会と資格取得の費用補助",
            responsible_title="代表取締役",
            answer="役職を追記しました",
        ),
    )
    correction.refresh_from_db()
    assert _status(declaration.pk) == Declaration.Status.SUBMITTED
    assert correction.answer == "役職を追記しました"
    assert Declaration.objects.get(pk=declaration.pk).responsible_title == "代表取締役"

    # when: staff accept it; the certificate is rendered after commit
    with django_capture_on_commit_callbacks(execute=True):
        _check(declaration, people.staff, {"accept": True})

    # then: the registration number and a link to the certificate
    declaration.refresh_from_db()
    certificate = Letter.objects.get(
        subject_id=str(declaration.pk), kind=Letter.Kind.REGISTRATION_CERTIFICATE
    )
    page = client.get(created.url).content.decode()
    assert declaration.registration_number
    assert f'data-testid="registration-number">{declaration.registration_number}<' in page
    assert f'href="/letters/{certificate.pk}/pdf/"' in page
    assert 'name="resubmit"' not in page and 'data-testid="deadline"' not in page
    download = client.get(f"/letters/{certificate.pk}/pdf/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert declaration.registration_number in client.get("/portal/").content.decode()


def test_declaration_consent_toggles_the_public_list(people, client):
    declaration = _submitted(people)
    _check(declaration, people.staff, {"accept": True})
    client.force_login(people.applicant)
    url = f"/portal/declarations/{declaration.pk}/"
    assert 'name="publish" value="1"' in client.get(url).content.decode()

    client.post(f"{url}consent/", {"publish": "1"})
    assert list(published_declarations()) == [declaration]
    assert 'name="publish" value="0"' in client.get(url).content.decode()

    client.post(f"{url}consent/", {"publish": "0"})
    assert list(published_declarations()) == []


def test_declaration_withdrawn_from_its_page_leaves_the_list(people, client):
    declaration = _submitted(people)
    _check(declaration, people.staff, {"accept": True})
    client.force_login(people.applicant)
    url = f"/portal/declarations/{declaration.pk}/"
    client.post(f"{url}consent/", {"publish": "1"})

    client.post(f"{url}withdraw/", {"reason": "事業再編のため"})

    assert _status(declaration.pk) == Declaration.Status.WITHDRAWN
    assert list(published_declarations()) == []
    page = client.get(url).content.decode()
    assert 'name="withdraw"' not in page and "事業再編のため" in page


def test_declaration_refusal_is_shown_and_changes_nothing(people, client):
    first = _submitted(people)
    second = draft_declaration(people.applicant)
    client.force_login(people.colleague)  # English profile

    page = client.post(f"/portal/declarations/{second.pk}/submit/", follow=True)

    assert first.reference in page.content.decode()  # "already has a declaration … (DEC-…)"
    assert _status(second.pk) == Declaration.Status.DRAFT


def test_declaration_form_error_names_the_rule_not_the_constraint(people, client):
    client.force_login(people.colleague)  # English profile
    start = today_jst()
    page = client.post(
        "/portal/declarations/new/",
        _form(period_start=start.isoformat(), period_end=start.isoformat()),
        follow=True,
    ).content.decode()
    assert "must end after it starts" in page
    assert "declaration_period_ordered" not in page
    assert not Declaration.objects.exists()


def test_staff_see_the_declaration_but_no_applicant_forms(people, client):
    declaration = _submitted(people)
    client.force_login(people.staff)
    page = client.get(f"/portal/declarations/{declaration.pk}/").content.decode()
    task = wf.active_task(declaration.pk, "check_documents", DeclarationFlow)
    assert f'href="/workspace/tasks/{task.pk}/"' in page  # the open step, on the workspace
    assert 'name="withdraw"' not in page and 'name="save"' not in page
    refused = client.post(f"/portal/declarations/{declaration.pk}/withdraw/", follow=True)
    assert refused.status_code == 200
    assert _status(declaration.pk) == Declaration.Status.SUBMITTED


ACTIONS = ("edit/", "submit/", "resubmit/", "withdraw/", "consent/")


def test_another_company_gets_404_on_the_page_and_every_action(people, client):
    declaration = draft_declaration(people.applicant)
    url = f"/portal/declarations/{declaration.pk}/"
    client.force_login(people.other_applicant)

    assert client.get(url).status_code == 404
    for action in ACTIONS:
        assert client.post(f"{url}{action}", {**_form(), "publish": "1"}).status_code == 404
    assert declaration.reference not in client.get("/portal/").content.decode()

    declaration.refresh_from_db()
    assert (declaration.status, declaration.publish_consent) == (Declaration.Status.DRAFT, False)
    assert client.get("/portal/declarations/999999/").status_code == 404


def test_anonymous_users_are_sent_to_login(people, client):
    declaration = draft_declaration(people.applicant)
    url = f"/portal/declarations/{declaration.pk}/"
    for response in [
        client.get(url),
        client.post("/portal/declarations/new/", _form()),
        *(client.post(f"{url}{action}") for action in ACTIONS),
    ]:
        assert response.status_code == 302
        assert re.match(r"^/accounts/login/\?next=/portal/declarations/", response.url)
    assert Declaration.objects.get().status == Declaration.Status.DRAFT
