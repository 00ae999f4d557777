"""Refusals leave nothing half-written; each transition writes exactly one audit event."""

import datetime as dt

import pytest
from django.utils import timezone

from applications import services
from applications.exceptions import (
    BudgetExceeded,
    DeclarationRequired,
    InvalidState,
    MissingDocuments,
    NotAllowed,
    ValidationFailed,
    WindowClosed,
)
from applications.models import Application, SubsidyRound
from audit.models import AuditEvent
from fixtures.demo import advance
from fixtures.documents import pdf_file
from workflows import services as wf
from workflows import steps
from workflows.selectors import subsidy_process_for

pytestmark = pytest.mark.django_db
S = Application.Status


def events(application):
    return AuditEvent.objects.filter(
        subject_id=str(application.pk), subject_type="applications.application"
    )


def assert_untouched(application, event_count):
    application.refresh_from_db()
    assert application.status == S.DRAFT
    assert application.submitted_at is None
    assert events(application).count() == event_count
    assert subsidy_process_for(application.pk) is None


@pytest.mark.parametrize(
    "window",
    [
        {"opens_at": dt.timedelta(days=1), "closes_at": dt.timedelta(days=10)},  # not yet open
        {"opens_at": dt.timedelta(days=-10), "closes_at": dt.timedelta(seconds=-1)},  # closed
    ],
)
def test_submit_outside_window_refused_and_nothing_changes(draft, people, window):
    now = timezone.now()
    SubsidyRound.objects.filter(pk=draft.round_id).update(
        **{key: now + delta for key, delta in window.items()}
    )
    before = events(draft).count()
    with pytest.raises(WindowClosed) as refused:
        wf.subsidy_submit(application_id=draft.pk, by=people.applicant)
    assert refused.value.code == "window_closed"
    assert_untouched(draft, before)


def test_submit_missing_documents_refused_naming_them(subsidy_round, people):
    application = services.application_create(round_id=subsidy_round.pk, by=people.applicant)
    services.training_line_add(
        application_id=application.pk,
        by=people.applicant,
        line=services.TrainingLineInput(
            "a", "講座", "提供者", dt.date(2027, 1, 5), dt.date(2027, 1, 6), "tuition", 100_000
        ),
    )
    services.document_upload(
        application_id=application.pk,
        document_type="application_form",
        by=people.applicant,
        file=pdf_file("form.pdf", "x"),
    )
    before = events(application).count()
    with pytest.raises(MissingDocuments) as refused:
        wf.subsidy_submit(application_id=application.pk, by=people.applicant)
    assert "事業計画書" in refused.value.message and "支出内訳書" in refused.value.message
    assert "交付申請書" not in refused.value.message
    assert_untouched(application, before)


def test_submit_without_training_lines_refused(subsidy_round, people):
    application = services.application_create(round_id=subsidy_round.pk, by=people.applicant)
    with pytest.raises(services.SubmissionRefused):
        wf.subsidy_submit(application_id=application.pk, by=people.applicant)
    assert_untouched(application, 1)


def test_submit_round_requiring_declaration_refused(draft, people):
    SubsidyRound.objects.filter(pk=draft.round_id).update(requires_declaration=True)
    with pytest.raises(DeclarationRequired):
        wf.subsidy_submit(application_id=draft.pk, by=people.applicant)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_submit_by_another_company_refused(draft, people):
    with pytest.raises(NotAllowed):
        wf.subsidy_submit(application_id=draft.pk, by=people.other_applicant)
    assert_untouched(draft, events(draft).count())


def test_training_plan_frozen_after_submission(draft, people):
    wf.subsidy_submit(application_id=draft.pk, by=people.applicant)
    line = services.TrainingLineInput(
        "c", "講座", "提供者", dt.date(2027, 1, 5), dt.date(2027, 1, 6), "tuition", 100_000
    )
    with pytest.raises(InvalidState):
        services.training_line_add(application_id=draft.pk, by=people.applicant, line=line)
    assert draft.training_lines.count() == 4


@pytest.mark.parametrize(
    ("field", "line"),
    [
        (
            "end_date",
            ("a", "講座", "提供者", dt.date(2027, 1, 6), dt.date(2027, 1, 5), "tuition", 1),
        ),
        ("amount", ("a", "講座", "提供者", dt.date(2027, 1, 5), dt.date(2027, 1, 6), "tuition", 0)),
        (
            "cost_type",
            ("a", "講座", "提供者", dt.date(2027, 1, 5), dt.date(2027, 1, 6), "champagne", 1),
        ),
    ],
)
def test_training_line_bad_input_names_the_field(draft, people, field, line):
    with pytest.raises(ValidationFailed) as refused:
        services.training_line_add(
            application_id=draft.pk, by=people.applicant, line=services.TrainingLineInput(*line)
        )
    assert refused.value.field == field
    assert draft.training_lines.count() == 4


def test_each_transition_writes_exactly_one_event_with_actor_role_reason(draft, people):
    advance(draft, "screening", vars(people))
    before = events(draft).count()
    wf.step_complete(
        application_id=draft.pk,
        step=steps.SCREEN,
        by=people.staff,
        data={"eligible": True, "recommend_grant": True, "reason": "適格"},
    )
    new = list(events(draft).order_by("id")[before:])
    assert len(new) == 1
    assert (new[0].actor, new[0].actor_role, new[0].reason) == (people.staff, "staff", "適格")
    assert (new[0].from_status, new[0].to_status) == ("screening", "decision_pending")


def test_grant_beyond_remaining_budget_refused_and_nothing_changes(draft, people):
    advance(draft, "decision_pending", vars(people))
    SubsidyRound.objects.filter(pk=draft.round_id).update(budget=186_999)
    with pytest.raises(BudgetExceeded):
        wf.step_complete(
            application_id=draft.pk, step=steps.DECIDE, by=people.approver, data={"approve": True}
        )
    draft.refresh_from_db()
    assert draft.status == S.DECISION_PENDING
    assert draft.decided_amount is None
    assert SubsidyRound.objects.get(pk=draft.round_id).committed_total == 0
    assert not draft.decisions.exists()


def test_grant_exactly_the_remaining_budget_allowed(draft, people):
    advance(draft, "decision_pending", vars(people))
    SubsidyRound.objects.filter(pk=draft.round_id).update(budget=187_000)
    advance_decide = wf.step_complete(
        application_id=draft.pk, step=steps.DECIDE, by=people.approver, data={"approve": True}
    )
    assert advance_decide.amount == 187_000
    assert SubsidyRound.objects.get(pk=draft.round_id).remaining_budget == 0


def test_amount_confirmation_excludes_costs_before_the_decision(draft, people):
    application = advance(draft, "granted", vars(people))
    services.document_upload(
        application_id=draft.pk,
        document_type="completion_certificate",
        by=people.applicant,
        file=pdf_file("c.pdf", "c"),
    )
    decided = application.decided_on
    costs = [
        services.ActualCostInput(
            "研修生1", "生成AI業務活用講座", "tuition", decided - dt.timedelta(days=1), 180_000
        ),  # before: ineligible
        services.ActualCostInput("研修生2", "生成AI業務活用講座", "tuition", decided, 180_000),
        services.ActualCostInput(
            "研修生2", "ITパスポート試験", "exam_fee", decided + dt.timedelta(days=3), 7_500
        ),
    ]
    wf.subsidy_report_results(application_id=draft.pk, by=people.applicant, costs=costs)
    wf.step_complete(
        application_id=draft.pk, step=steps.CHECK_RESULTS, by=people.staff2, data={"accept": True}
    )
    decision = wf.step_complete(
        application_id=draft.pk,
        step=steps.CONFIRM_AMOUNT,
        by=people.approver,
        data={"expected_amount": 93_000},
    )
    # 1/2 of 187,500 = 93,750 -> ¥93,000; the pre-decision tuition is excluded
    assert decision.amount == 93_000
    assert Application.objects.get(pk=draft.pk).confirmed_amount == 93_000
    assert len(decision.computation["excluded"]) == 1


def test_amount_confirmation_never_above_the_decided_amount(draft, people):
    application = advance(draft, "granted", vars(people))
    services.document_upload(
        application_id=draft.pk,
        document_type="completion_certificate",
        by=people.applicant,
        file=pdf_file("c.pdf", "c"),
    )
    later = application.decided_on + dt.timedelta(days=5)
    costs = [
        services.ActualCostInput(f"研修生{i}", "講座", "tuition", later, 200_000) for i in range(4)
    ]
    wf.subsidy_report_results(application_id=draft.pk, by=people.applicant, costs=costs)
    wf.step_complete(
        application_id=draft.pk, step=steps.CHECK_RESULTS, by=people.staff2, data={"accept": True}
    )
    decision = wf.step_complete(
        application_id=draft.pk,
        step=steps.CONFIRM_AMOUNT,
        by=people.approver,
        data={"expected_amount": 187_000},
    )
    assert decision.amount == 187_000


def test_results_report_without_completion_evidence_refused(draft, people):
    advance(draft, "granted", vars(people))
    costs = [services.ActualCostInput("研修生1", "講座", "tuition", dt.date(2030, 1, 1), 1)]
    with pytest.raises(MissingDocuments):
        wf.subsidy_report_results(application_id=draft.pk, by=people.applicant, costs=costs)
    assert Application.objects.get(pk=draft.pk).status == S.GRANTED
    assert not draft.actual_costs.exists()
