"""Every FSM transition is allowed only from its source statuses and only for its roles."""

import pytest
from django_fsm import can_proceed, has_transition_perm

from applications.models import Application

S = Application.Status
MEMBER = "member"

# transition -> (source statuses, who may fire it)
TRANSITIONS = {
    "submit": ({S.DRAFT}, {MEMBER}),
    "return_for_correction": ({S.SUBMITTED}, {"staff"}),
    "resubmit": ({S.RETURNED}, {MEMBER}),
    "lapse": ({S.RETURNED}, set()),
    "accept_documents": ({S.SUBMITTED}, {"staff"}),
    "record_screening": ({S.SCREENING}, {"staff"}),
    "grant": ({S.DECISION_PENDING}, {"approver"}),
    "reject": ({S.DECISION_PENDING}, {"approver"}),
    "report_results": ({S.GRANTED}, {MEMBER}),
    "return_results": ({S.RESULTS_SUBMITTED}, {"staff"}),
    "accept_results": ({S.RESULTS_SUBMITTED}, {"staff"}),
    "confirm_amount": ({S.RESULTS_CHECKED}, {"approver"}),
    "mark_paid": ({S.CONFIRMED}, {"finance"}),
    "withdraw": (set(Application.WITHDRAWABLE), {MEMBER}),
    "revoke": (
        {S.GRANTED, S.RESULTS_SUBMITTED, S.RESULTS_CHECKED, S.CONFIRMED, S.PAID},
        {"approver"},
    ),
}

USERS = {
    MEMBER: "applicant",
    "other_company": "other_applicant",
    "staff": "staff",
    "approver": "approver",
    "finance": "finance",
    "auditor": "auditor",
}


def test_transition_table_covers_every_transition():
    declared = {
        t.name for t in Application._meta.get_field("status").get_all_transitions(Application)
    }
    assert declared == set(TRANSITIONS)


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
@pytest.mark.parametrize("status", list(S))
def test_transition_allowed_only_from_its_sources(name, status):
    application = Application(status=status)
    sources, _ = TRANSITIONS[name]
    assert can_proceed(getattr(application, name), check_conditions=False) == (status in sources)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_transition_allowed_only_for_its_roles(name, people, companies):
    sources, allowed = TRANSITIONS[name]
    application = Application(status=sorted(sources)[0], company=companies[0])
    for who, attribute in USERS.items():
        user = getattr(people, attribute)
        permitted = has_transition_perm(getattr(application, name), user)
        assert permitted == (who in allowed), f"{name} for {who}"
