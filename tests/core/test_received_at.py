"""Every programme keeps the first receipt date (受付日) when a record is resubmitted after a
correction, and shows it with the latest submission in the API and on the record's page."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from core.dates import JST

from .programmes import PROGRAMMES

pytestmark = pytest.mark.django_db


@pytest.fixture(params=PROGRAMMES, ids=lambda programme: programme.name)
def programme(request):
    return request.param


def test_received_at_resubmission_keeps_the_first_receipt_date(request, programme, people, client):
    # given a record submitted, returned the next day and resubmitted the day after
    first = timezone.now().replace(microsecond=0) + dt.timedelta(hours=1)
    again = first + dt.timedelta(days=2, hours=3)
    with time_machine.travel(first, tick=False):
        record = programme.submitted(request, people)
    with time_machine.travel(first + dt.timedelta(days=1), tick=False):
        programme.returned(record.pk, people.staff)
    with time_machine.travel(again, tick=False):
        programme.resubmit(record.pk, people.applicant)

    # then both are kept
    record.refresh_from_db()
    assert (record.status, record.received_at, record.submitted_at) == ("submitted", first, again)
    api = APIClient()
    api.force_authenticate(people.applicant)
    body = api.get(f"{programme.api}{record.pk}/").json()
    assert dt.datetime.fromisoformat(body["received_at"]) == first
    assert dt.datetime.fromisoformat(body["submitted_at"]) == again
    client.force_login(people.applicant)
    page = client.get(record.get_absolute_url()).content.decode()
    assert f'data-testid="received-at">{_japanese(first)}<' in page
    assert f'data-testid="submitted-at">{_japanese(again)}<' in page


def _japanese(moment: dt.datetime) -> str:
    """A moment as Kofu's Japanese pages write it, in Japan time: 2026年12月2日 18:05."""
    at = moment.astimezone(JST)
    return f"{at.year}年{at.month}月{at.day}日 {at.hour}:{at.minute:02d}"


@pytest.mark.parametrize("name", ["declaration", "nomination"])
def test_received_at_is_the_application_date_a_later_letter_cites(request, people, name):
    """A letter that says 「…付けで申請のあった」 cites the first receipt, not the resubmission."""
    from letters.models import Letter

    programme = next(p for p in PROGRAMMES if p.name == name)
    # given a record received, returned, resubmitted two days later and returned again
    first = timezone.now().replace(microsecond=0) + dt.timedelta(hours=1)
    with time_machine.travel(first, tick=False):
        record = programme.submitted(request, people)
    with time_machine.travel(first + dt.timedelta(days=1), tick=False):
        programme.returned(record.pk, people.staff)
    with time_machine.travel(first + dt.timedelta(days=3), tick=False):
        programme.resubmit(record.pk, people.applicant)
        programme.returned(record.pk, people.staff)

    # then the second correction letter gives the first receipt's date as the application date
    second = Letter.objects.filter(subject_id=str(record.pk), kind=Letter.Kind.CORRECTION).latest(
        "id"
    )
    assert second.context["applied_on"] == first.astimezone(JST).date().isoformat()
