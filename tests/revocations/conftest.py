"""Fixtures of the revocation tests: applications granted, or paid by bank transfer."""

from __future__ import annotations

import datetime as dt

import pytest

from core.dates import JST, add_business_days, today_jst
from core.roles import Role
from fixtures.demo import advance, user_create
from revocations import services

REASON = "補助対象経費に虚偽の領収書が含まれていたため"
GRANTED_AMOUNT = 187_000  # the demo draft: 2 trainees, subsidy 1/2 rounded down to ¥1,000


@pytest.fixture
def granted(draft, people, run_on_commit):
    return run_on_commit(advance, draft, "granted", vars(people))


@pytest.fixture
def paid(draft, people, run_on_commit):
    return run_on_commit(advance, draft, "paid", vars(people))


@pytest.fixture
def transfer_day():
    """The day the demo's bank transfer reaches the company (fixtures.payments)."""
    return add_business_days(today_jst(), 2)


@pytest.fixture
def deadline():
    return today_jst() + dt.timedelta(days=30)


@pytest.fixture
def chief(people):
    """A section chief holding both the staff and the approver role."""
    user_create("chief", Role.STAFF, None)
    return user_create("chief", Role.APPROVER, None)


@pytest.fixture
def ordered(paid, people, deadline, run_on_commit):
    """The paid application's grant revoked in full, repayment ordered."""
    revocation = services.revocation_prepare(
        application_id=paid.pk,
        by=people.staff,
        reason=REASON,
        revoked_amount=GRANTED_AMOUNT,
        repayment_deadline=deadline,
    )
    return run_on_commit(
        services.revocation_decide, revocation_id=revocation.pk, by=people.approver
    )


def at(day: dt.date) -> dt.datetime:
    """Mid-morning in Japan on ``day``, for time_machine."""
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=JST)
