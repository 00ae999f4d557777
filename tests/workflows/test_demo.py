"""The demo data a newcomer meets after `make run`: every programme in a walkable state."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import time_machine

from applications.models import Application, SubsidyRound
from awards.models import AwardRound, Nomination
from awards.selectors import commended_companies
from core.dates import JST, fiscal_year_of, today_jst
from declarations.models import Declaration
from declarations.selectors import published_declarations
from fixtures.demo import demo_load
from fixtures.seed_figures import seed_figures_load
from outcomes.models import OutcomeReport
from payments.selectors import payables_awaiting_batch
from revocations.selectors import revocations_outstanding
from screening.models import ReviewAssignment

pytestmark = pytest.mark.django_db


def test_demo_has_every_programme_in_a_walkable_state():
    demo_load()

    applications = set(Application.objects.values_list("status", flat=True))
    assert {"draft", "submitted", "returned", "granted", "paid"} <= applications
    declarations = list(Declaration.objects.values_list("status", flat=True))
    assert declarations.count("registered") == 3 and "submitted" in declarations
    published = {d.company.name for d in published_declarations()}
    assert published == {"株式会社ひたちテック", "株式会社常陸ロジスティクス"}

    current = Nomination.objects.filter(round__fiscal_year=fiscal_year_of(today_jst()))
    assert sorted(current.values_list("status", flat=True)) == ["draft", "in_review", "in_review"]
    third_party = current.get(status="draft")
    assert (
        third_party.consent_at is None and third_party.nominating_company.name == "水戸商工会議所"
    )
    open_reviews = ReviewAssignment.objects.filter(
        item__panel__decisions__isnull=True, status="assigned"
    )
    assert open_reviews.count() == 2
    assert len(commended_companies()) == 2

    awaiting = payables_awaiting_batch()
    assert awaiting.count() == 2
    assert {p.application.status for p in awaiting} == {"confirmed"}
    assert [r.application.status for r in revocations_outstanding()] == ["revoked"]


def test_demo_loads_once():
    demo_load()
    counts = (Declaration.objects.count(), Nomination.objects.count())
    demo_load()
    assert (Declaration.objects.count(), Nomination.objects.count()) == counts


def test_demo_round_names_unique_per_programme_beside_the_published_figures():
    # make run loads both: the demo and the records behind the published figures
    demo_load()
    seed_figures_load()

    for model in (SubsidyRound, AwardRound):
        names = Counter(model.objects.values_list("name", flat=True))
        assert [name for name, count in names.items() if count > 1] == []


@pytest.mark.parametrize(
    "day",
    [dt.date(2026, 3, 31), dt.date(2026, 4, 1), None],
    ids=["31-march", "1-april", "today"],
)
def test_demo_previous_fiscal_year_round_is_in_the_previous_fiscal_year(day):
    when = dt.datetime.combine(day, dt.time(10), tzinfo=JST) if day else None
    with time_machine.travel(when or dt.datetime.now(tz=JST)):
        current = fiscal_year_of(today_jst())
        demo_load()

    previous = SubsidyRound.objects.get(name__endswith="（第2回募集）")
    assert previous.fiscal_year == current - 1
    assert previous.name.startswith(f"令和{current - 1 - 2018}年度 ")
    paid = Application.objects.filter(round=previous, paid_at__isnull=False)
    assert paid.count() == 3
    assert {fiscal_year_of(a.paid_at.astimezone(JST).date()) for a in paid} == {current - 1}
    assert SubsidyRound.objects.exclude(pk=previous.pk).get().fiscal_year == current
    reports = OutcomeReport.objects.filter(application__round=previous)
    assert sorted(reports.values_list("status", flat=True)) == ["accepted", "due", "submitted"]
    overdue = reports.get(status="due")
    assert overdue.due_on < (day or today_jst())  # つくば精機's report is overdue
    awards = dict(AwardRound.objects.values_list("fiscal_year", "name"))
    assert set(awards) == {current - 1, current}
    assert awards[current - 1].endswith("（第2回募集）")
