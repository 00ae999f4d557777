"""An application's audit trail names each act of its payment for what it was and who did it:
claimed by the company, batch prepared by one finance user, released by a second (and a third
above the threshold), the bank's result imported by a fourth. The API and the auditor's trace
read it from one selector; the API schema describes its items."""

from __future__ import annotations

import html
import re
from types import SimpleNamespace

import pytest
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from core.roles import Role
from fixtures.demo import user_create
from payments import services
from payments.selectors import application_trail
from tests.traces.helpers import browser
from traces.selectors import application_trace

from .conftest import results_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def api(user) -> APIClient:
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(user)
    return client


@pytest.fixture
def four_eyes(finance_team):
    """A, B and C sign the batch; D imports the bank's result."""
    return SimpleNamespace(
        a=finance_team.preparer,
        b=finance_team.releaser,
        c=finance_team.second,
        d=user_create("finance4", Role.FINANCE, None),
    )


@pytest.fixture
def paid_batch(payable, four_eyes, transfer_day, settings, run_on_commit):
    settings.KOFU_SECOND_RELEASER_ABOVE = 0  # any amount needs a second releaser
    batch = services.batch_prepare(
        by=four_eyes.a, transfer_date=transfer_day, payable_ids=[payable.pk]
    )
    services.batch_release(batch_id=batch.pk, by=four_eyes.b)
    return run_on_commit(services.batch_release, batch_id=batch.pk, by=four_eyes.c)


@pytest.fixture
def paid(paid_batch, payable, four_eyes, bank_day):
    item = paid_batch.items.get()
    services.reconciliation_import(
        batch_id=paid_batch.pk, by=four_eyes.d, data=results_csv([(item, True, "")])
    )
    return payable.application


def acts(rows) -> list[tuple[str, str | None]]:
    return [(row["action"], row["actor"]) for row in rows]


def test_trail_api_of_a_paid_application_names_each_payment_act_and_its_actor(
    paid, four_eyes, people
):
    # when
    response = api(people.applicant).get(f"/api/applications/{paid.pk}/events/")

    # then
    assert response.status_code == 200
    rows = response.json()
    trail = acts(rows)
    expected = [
        ("payment_claim", "applicant"),
        ("batch_prepare", "finance"),
        ("batch_release_first", "finance2"),
        ("batch_release", "finance3"),
        ("transfer_paid", "finance4"),
        ("reconciliation_import", "finance4"),
    ]
    assert [act for act in trail if act in expected] == expected
    by_action = {row["action"]: row for row in rows}
    assert by_action["payment_claim"]["record"] == "payments.payable"
    assert by_action["payment_claim"]["role"] == Role.APPLICANT
    assert by_action["batch_prepare"]["record"] == "payments.paymentbatch"
    assert by_action["transfer_paid"]["label"] == "bank reported the transfer paid"
    assert (by_action["transfer_paid"]["from"], by_action["transfer_paid"]["to"]) == (
        "confirmed",
        "paid",
    )
    # four eyes as the trail reads: nobody released what they prepared, and the import is
    # not called a release
    releasers = {actor for action, actor in trail if "release" in action}
    assert releasers == {"finance2", "finance3"}
    assert all("release" not in row["label"] for row in rows if row["actor"] == "finance4")


def test_trail_api_hides_a_batchs_data_from_the_company(paid, people):
    rows = api(people.applicant).get(f"/api/applications/{paid.pk}/events/").json()
    staff_rows = api(people.auditor).get(f"/api/applications/{paid.pk}/events/").json()

    batch_rows = [row for row in rows if row["record"] == "payments.paymentbatch"]
    assert batch_rows and all(row["data"] == {} for row in batch_rows)
    prepared = next(row for row in staff_rows if row["action"] == "batch_prepare")
    assert prepared["data"]["item_count"] == 1


def trace_page_acts(response) -> list[tuple[str, str]]:
    """(act, actor) of each audit event row of the trace page."""
    rows = re.findall(
        r'<tr data-testid="entry" data-source="event">\s*<td class="when">[^<]*</td>\s*'
        r"<td>([^<]*)</td>\s*<td>[^<]*</td>\s*<td><strong>([^<]*)</strong>",
        response.content.decode(),
    )
    return [(html.unescape(label), html.unescape(actor)) for actor, label in rows]


def test_trace_page_shows_the_same_acts_as_the_api(paid, people):
    rows = api(people.auditor).get(f"/api/applications/{paid.pk}/events/").json()

    page = browser(people.auditor).get(f"/audit/applications/{paid.pk}/")

    assert page.status_code == 200
    shown = trace_page_acts(page)
    assert [label for label, _actor in shown] == [row["label"] for row in rows]
    assert [actor.split("(")[-1].rstrip(")") for _label, actor in shown] == [
        row["actor"] or "system" for row in rows
    ]


def test_trace_selector_events_are_the_trail_selectors(paid):
    trace = application_trace(paid.pk)

    assert [event.pk for event in trace.events] == [
        event.pk for event in application_trail(paid.pk)
    ]


def test_schema_describes_the_trail_event_items():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    response = schema["paths"]["/api/applications/{id}/events/"]["get"]["responses"]["200"]
    listing = response["content"]["application/json"]["schema"]
    assert listing["type"] == "array"
    name = listing["items"]["$ref"].rsplit("/", 1)[-1]
    fields = schema["components"]["schemas"][name]["properties"]
    assert fields["at"] == {**fields["at"], "type": "string", "format": "date-time"}
    for name_ in ("action", "label", "record", "record_id", "role", "from", "to", "reason"):
        assert fields[name_]["type"] == "string", name_
    assert fields["actor"].get("nullable") is True
    assert fields["data"]["type"] == "object"
