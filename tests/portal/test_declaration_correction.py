"""Correcting a returned declaration is one act on its page: the text on the form is what is
saved, resubmitted and later published, and a refusal keeps nothing half-done."""

from __future__ import annotations

import datetime as dt

import pytest

from core.dates import today_jst
from core.errors import InvalidState
from declarations import services as declaration_services
from declarations.models import Declaration, DeclarationCorrection
from declarations.selectors import published_declarations
from tests.declarations.helpers import GOALS, MEASURES, draft_declaration
from workflows import services as wf
from workflows import steps
from workflows.flows import DeclarationFlow

pytestmark = pytest.mark.django_db

CORRECTED = "全社員が生成AI研修を修了し、受発注処理の時間を4割削減する。"


def _form(**overrides) -> dict[str, str]:
    start = today_jst()
    return {
        "goals": GOALS,
        "measures": MEASURES,
        "responsible_name": "日立　一郎",
        "responsible_title": "代表取締役",
        "period_start": start.isoformat(),
        "period_end": (start + dt.timedelta(days=730)).isoformat(),
        "publish_consent": "on",
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


@pytest.fixture
def returned(people) -> Declaration:
    declaration = draft_declaration(people.applicant)
    wf.declaration_process_submit(declaration_id=declaration.pk, by=people.applicant)
    _check(declaration, people.staff, {"accept": False, "items": ["目標を具体的に"]})
    declaration.refresh_from_db()
    assert declaration.status == Declaration.Status.RETURNED
    return declaration


def test_the_page_has_one_form_with_one_send_button(people, client, returned):
    client.force_login(people.applicant)
    page = client.get(f"/portal/declarations/{returned.pk}/").content.decode()
    assert page.count('data-testid="correction-form"') == 1
    assert 'name="answer"' in page and 'name="goals"' in page
    assert 'name="save"' not in page  # no second button that would send the old text
    assert f'action="/portal/declarations/{returned.pk}/edit/"' not in page


def test_the_edited_text_is_what_is_resubmitted_and_published(people, client, returned):
    client.force_login(people.applicant)

    response = client.post(
        f"/portal/declarations/{returned.pk}/resubmit/",
        _form(goals=CORRECTED, answer="目標を数値にしました"),
    )

    assert response.status_code == 302
    returned.refresh_from_db()
    assert returned.status == Declaration.Status.SUBMITTED
    assert returned.goals == CORRECTED
    correction = DeclarationCorrection.objects.get(declaration=returned)
    assert correction.answer == "目標を数値にしました"
    _check(returned, people.staff, {"accept": True})
    assert [d.goals for d in published_declarations()] == [CORRECTED]


def test_a_refused_resubmission_keeps_the_edits_unsaved(people, client, returned, monkeypatch):
    def refuse(**kwargs):
        raise InvalidState("窓口が閉じています")

    monkeypatch.setattr(wf, "declaration_resubmit", refuse)
    client.force_login(people.applicant)

    response = client.post(
        f"/portal/declarations/{returned.pk}/resubmit/",
        _form(goals=CORRECTED, answer="直しました"),
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "窓口が閉じています" in page and "k-error-summary" in page
    assert f"{CORRECTED}</textarea>" in page and "直しました</textarea>" in page
    returned.refresh_from_db()
    assert returned.status == Declaration.Status.RETURNED
    assert returned.goals == GOALS  # the edit went back with the refused resubmission
    assert not returned.correction_requests.filter(answered_at__isnull=False).exists()


def test_the_service_rolls_back_the_edit_when_resubmitting_fails(people, returned, monkeypatch):
    monkeypatch.setattr(
        wf, "declaration_resubmit", lambda **kwargs: (_ for _ in ()).throw(InvalidState("no"))
    )
    with pytest.raises(InvalidState):
        wf.declaration_process_resubmit(
            declaration_id=returned.pk,
            by=people.applicant,
            answer="x",
            fields={"goals": CORRECTED},
        )
    assert Declaration.objects.get(pk=returned.pk).goals == GOALS


def test_an_emptied_required_field_shows_the_form_again_with_the_rest(people, client, returned):
    client.force_login(people.applicant)

    response = client.post(
        f"/portal/declarations/{returned.pk}/resubmit/",
        _form(goals="", measures="新しい取組", answer="直しました"),
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "k-error-summary" in page and 'aria-invalid="true"' in page
    assert "新しい取組</textarea>" in page and "直しました</textarea>" in page
    returned.refresh_from_db()
    assert (returned.status, returned.measures) == (Declaration.Status.RETURNED, MEASURES)


def test_a_draft_is_saved_and_submitted_by_its_one_button(people, client):
    declaration = draft_declaration(people.applicant)
    client.force_login(people.applicant)

    client.post(f"/portal/declarations/{declaration.pk}/submit/", _form(goals=CORRECTED))

    declaration.refresh_from_db()
    assert (declaration.status, declaration.goals) == (Declaration.Status.SUBMITTED, CORRECTED)


def test_the_update_service_is_still_refused_once_submitted(people, returned):
    wf.declaration_process_resubmit(declaration_id=returned.pk, by=people.applicant)
    with pytest.raises(InvalidState):
        declaration_services.declaration_update(
            declaration_id=returned.pk, by=people.applicant, goals=CORRECTED
        )
