"""The demo data a newcomer meets after `make run`: every programme in a walkable state."""

from __future__ import annotations

import pytest

from applications.models import Application
from awards.models import Nomination
from awards.selectors import commended_companies
from declarations.models import Declaration
from declarations.selectors import published_declarations
from fixtures.demo import demo_load
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

    current = Nomination.objects.filter(round__fiscal_year=2026)
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
