"""The budget guard under concurrency, on PostgreSQL with real threads and connections: a
confirmation giving its 不用額 back while approvers grant loses no update."""

import pytest

from applications import services as app
from applications.models import Application, Decision, SubsidyRound
from fixtures.demo import actual_costs_as_planned, advance, draft_create
from fixtures.documents import pdf_file
from kpis.selectors import round_budget_ledger
from tests.concurrency import outcome_names, run_concurrently
from workflows import services as wf
from workflows import steps

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

GRANTS = 9


def _results_checked_with_one_course_not_completed(round_, people) -> Application:
    application = advance(draft_create(round_, people.applicant), "granted", vars(people))
    app.document_upload(
        application_id=application.pk,
        document_type="completion_certificate",
        by=people.applicant,
        file=pdf_file("certificate.pdf", "certificate"),
    )
    first = application.training_lines.order_by("pk").first()
    costs = actual_costs_as_planned(application, not_completed=lambda line: line.pk == first.pk)
    wf.subsidy_report_results(application_id=application.pk, by=people.applicant, costs=costs)
    wf.step_complete(
        application_id=application.pk,
        step=steps.CHECK_RESULTS,
        by=people.staff2,
        data={"accept": True},
    )
    return Application.objects.get(pk=application.pk)


def test_concurrent_confirmation_and_grants_keep_the_ledger_balanced(subsidy_round, people):
    checked = _results_checked_with_one_course_not_completed(subsidy_round, people)
    pending = [draft_create(subsidy_round, people.applicant) for _ in range(GRANTS)]
    for application in pending:
        advance(application, "decision_pending", vars(people))
    # room for the first grant and five more of ¥187,000, with the 不用額 perhaps one more
    SubsidyRound.objects.filter(pk=subsidy_round.pk).update(budget=6 * 187_000 + 999)
    shown = app.amount_to_confirm(checked)

    def act(i):
        if i == 0:
            return wf.step_complete(
                application_id=checked.pk,
                step=steps.CONFIRM_AMOUNT,
                by=people.approver,
                data={"expected_amount": shown},
            )
        return wf.step_complete(
            application_id=pending[i - 1].pk,
            step=steps.DECIDE,
            by=people.approver if i % 2 else people.approver2,
            data={"approve": True},
        )

    outcomes = run_concurrently(act, count=GRANTS + 1)

    assert isinstance(outcomes[0], Decision), outcomes[0]
    names = outcome_names(outcomes[1:])
    assert set(names) <= {"Decision", "BudgetExceeded"}, names
    assert 5 <= names["Decision"] <= 6, names
    ledger = round_budget_ledger(subsidy_round.pk)
    assert ledger.unspent == checked.decided_amount - shown > 0
    assert ledger.available + ledger.committed == ledger.budget
    assert ledger.committed == shown + names["Decision"] * 187_000 <= ledger.budget
