"""The promotion declaration's process: check, correction, registration, withdrawal, expiry."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS

from core.dates import JST, end_of_day_jst
from core.errors import NotAllowed
from declarations.models import Declaration
from declarations.selectors import company_has_registered_declaration, published_declarations
from letters.models import Letter
from tests.declarations.helpers import draft_declaration
from workflows import services as wf
from workflows import steps
from workflows.flows import DeclarationFlow
from workflows.selectors import process_for

pytestmark = pytest.mark.django_db

RETURN = {"accept": False, "items": ["推進責任者の役職を記載してください"], "message": ""}


def _check(declaration: Declaration, by, data: dict) -> None:
    wf.step_complete(
        application_id=declaration.pk,
        step=steps.CHECK_DECLARATION,
        by=by,
        data=data,
        flow_class=DeclarationFlow,
    )


def _open_nodes(declaration: Declaration) -> set[str]:
    process = process_for(Declaration, declaration.pk)
    return {
        task.flow_task.name
        for task in Task.objects.filter(process=process, status__in=(*wf.ACTIVE, "SCHEDULED"))
    }


def test_returned_then_registered_and_published(people):
    declaration = draft_declaration(people.applicant, publish_consent=True)
    wf.declaration_process_submit(declaration_id=declaration.pk, by=people.applicant)
    assert _open_nodes(declaration) == {"check_documents"}

    _check(declaration, people.staff, RETURN)
    assert _open_nodes(declaration) == {"await_correction", "await_correction__timeout"}

    wf.declaration_process_resubmit(
        declaration_id=declaration.pk, by=people.applicant, answer="追記"
    )
    _check(declaration, people.staff, {"accept": True})

    declaration.refresh_from_db()
    assert declaration.status == Declaration.Status.REGISTERED
    assert _open_nodes(declaration) == {"registered", "registered__timeout"}
    assert company_has_registered_declaration(declaration.company_id)
    assert list(published_declarations()) == [declaration]
    kinds = set(Letter.objects.filter(subject_id=declaration.pk).values_list("kind", flat=True))
    assert kinds == {Letter.Kind.CORRECTION, Letter.Kind.REGISTRATION_CERTIFICATE}


def test_the_applicant_cannot_take_the_check(people):
    declaration = draft_declaration(people.applicant)
    wf.declaration_process_submit(declaration_id=declaration.pk, by=people.applicant)
    with pytest.raises(NotAllowed):
        _check(declaration, people.applicant, {"accept": True})
    declaration.refresh_from_db()
    assert declaration.status == Declaration.Status.SUBMITTED


def test_withdrawing_a_registered_declaration_ends_its_process(people):
    declaration = draft_declaration(people.applicant, publish_consent=True)
    wf.declaration_process_submit(declaration_id=declaration.pk, by=people.applicant)
    _check(declaration, people.staff, {"accept": True})

    wf.declaration_process_withdraw(declaration_id=declaration.pk, by=people.applicant, reason="")

    assert process_for(Declaration, declaration.pk).status == PROCESS.DONE
    assert not company_has_registered_declaration(declaration.company_id)
    assert list(published_declarations()) == []


def test_withdrawing_before_the_check_cancels_the_process(people):
    declaration = draft_declaration(people.applicant)
    wf.declaration_process_submit(declaration_id=declaration.pk, by=people.applicant)
    wf.declaration_process_withdraw(declaration_id=declaration.pk, by=people.applicant)
    assert process_for(Declaration, declaration.pk).status == PROCESS.CANCELED


@time_machine.travel(dt.datetime(2026, 11, 24, 10, 0, tzinfo=JST), tick=False)
def test_the_declaration_expires_when_its_period_ends(people):
    period_end = dt.date(2026, 12, 31)
    declaration = draft_declaration(
        people.applicant, period_start=dt.date(2026, 4, 1), period_end=period_end
    )
    wf.declaration_process_submit(declaration_id=declaration.pk, by=people.applicant)
    _check(declaration, people.staff, {"accept": True})

    with time_machine.travel(end_of_day_jst(period_end) - dt.timedelta(minutes=1), tick=False):
        assert wf.timers_fire_due(subjects=(Declaration, [declaration.pk])) == 0
    with time_machine.travel(end_of_day_jst(period_end) + dt.timedelta(minutes=1), tick=False):
        assert wf.timers_fire_due(subjects=(Declaration, [declaration.pk])) == 1

    declaration.refresh_from_db()
    assert declaration.status == Declaration.Status.EXPIRED
    assert process_for(Declaration, declaration.pk).status == PROCESS.DONE
