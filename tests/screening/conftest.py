"""A committee over a subsidy round: the committee code knows rounds and subjects only by
their generic keys, so subsidy applications stand in for any programme's items."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from core.roles import Role
from fixtures.demo import user_create
from screening import committee
from screening.models import Criterion, ReviewPanel, Rubric


@pytest.fixture
def rubric(db):
    """Impact counts three times as much as feasibility: total = (3·impact + feasibility) / 4."""
    rubric = Rubric.objects.create(name="表彰審査基準", scale_min=1, scale_max=5)
    Criterion.objects.create(
        rubric=rubric,
        code="impact",
        label_ja="波及効果",
        label_en="Impact",
        weight=Decimal(3),
        order=1,
    )
    Criterion.objects.create(
        rubric=rubric,
        code="feasibility",
        label_ja="実現可能性",
        label_en="Feasibility",
        weight=Decimal(1),
        order=2,
    )
    return rubric


@pytest.fixture
def chair(companies):
    """The committee's chair: an outside expert, not programme staff, not in the pool."""
    return user_create("chair", Role.REVIEWER, None)


@pytest.fixture
def make_panel(subsidy_round, rubric, people, chair):
    def make(
        pool, *, per_item: int = 3, quota: int = 2, deadline=None, chair_user=None
    ) -> ReviewPanel:
        return committee.panel_create(
            round=subsidy_round,
            name="令和8年度 人材育成優良企業 審査委員会",
            rubric=rubric,
            reviewers=pool,
            reviewers_per_item=per_item,
            review_deadline=deadline or timezone.now() + dt.timedelta(days=14),
            chair=chair_user or chair,
            quota=quota,
            by=people.staff,
        )

    return make
