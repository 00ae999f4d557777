"""Fixtures of the outcome report tests: a round with outcome measures, its drafts with the
demo baselines, and an application of it driven to paid the way finance pays."""

from __future__ import annotations

import pytest

from applications.models import OutcomeMeasure
from fixtures.demo import advance, draft_create, round_create
from outcomes.models import OutcomeReport

from .helpers import MEASURES


@pytest.fixture
def measured_round(reference):
    round_ = round_create()
    round_.outcome_measures.set(OutcomeMeasure.objects.filter(code__in=MEASURES))
    return round_


@pytest.fixture
def measured_draft(measured_round, people):
    """A complete draft with baselines of the three measures."""
    return draft_create(measured_round, people.applicant)


@pytest.fixture
def paid(measured_draft, people, run_on_commit):
    """The draft paid by bank transfer: its outcome report is due."""
    return run_on_commit(advance, measured_draft, "paid", vars(people))


@pytest.fixture
def report(paid):
    return OutcomeReport.objects.get(application=paid)
