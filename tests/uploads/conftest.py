from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from screening import committee
from screening.models import ConflictOfInterest
from screening.selectors import review_item_for
from tests.awards.helpers import award_round_create, panel_create, self_nomination


@pytest.fixture(autouse=True)
def _small_inflation_cap(settings):
    """The corpus's bomb inflates to 64 MB: the cap comes down to 16 MB to keep tests quick."""
    settings.KOFU_UPLOAD_MAX_EXPANDED_BYTES = 16 * 1024 * 1024


def stored_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def api_client(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


@pytest.fixture
def nomination(people, reviewers):
    """A draft self-nomination of companies[0] before a committee of reviewers 1–4, all
    assigned; reviewer4 then declares a conflict with the company, reviewer5 is not assigned."""
    award_round = award_round_create()
    nomination = self_nomination(award_round, people.applicant)
    panel = panel_create(award_round, people, reviewers)
    item = committee.item_register(
        panel=panel, subject=nomination, company=nomination.company, label="ひたちテック"
    )
    committee.reviewers_assign(item_id=item.pk)
    ConflictOfInterest.objects.create(
        reviewer=reviewers[3],
        company=nomination.company,
        reason="役員を兼ねている",
        source=ConflictOfInterest.Source.DECLARED,
    )
    assert review_item_for(nomination).assignments.count() == 4
    return nomination
