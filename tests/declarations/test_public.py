"""The public list, on the web and in the API, shows registered declarations whose companies
consented to publication, and nothing else; no login needed."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from core.dates import end_of_day_jst
from core.roles import Role
from declarations import services
from fixtures.demo import user_create

from .helpers import draft_declaration, registered_declaration

pytestmark = pytest.mark.django_db


@pytest.fixture
def third_member(companies):
    return user_create("applicant3", Role.APPLICANT, companies[2])


@pytest.fixture
def shown_and_hidden(people, third_member):
    """companies[0] published; companies[1] registered without consent; companies[2]
    published then withdrawn; plus a consenting draft and an expired published one."""
    shown = registered_declaration(
        people.applicant, people.staff, publish_consent=True, goals="全社員のDXリテラシー向上"
    )
    unconsented = registered_declaration(people.other_applicant, people.staff, goals="非公開の目標")
    withdrawn = registered_declaration(
        third_member, people.staff, publish_consent=True, goals="撤回された目標"
    )
    services.declaration_withdraw(declaration_id=withdrawn.pk, by=third_member)
    expired = registered_declaration(
        third_member, people.staff, publish_consent=True, goals="期間満了の目標"
    )
    with time_machine.travel(end_of_day_jst(expired.period_end) + dt.timedelta(hours=1)):
        services.declaration_expire(declaration_id=expired.pk)
    draft_declaration(third_member, publish_consent=True, goals="下書きの目標")
    return shown, [unconsented, withdrawn, expired]


def test_public_page_lists_only_consenting_registered_declarations(shown_and_hidden):
    shown, _hidden = shown_and_hidden
    response = Client().get("/declarations/")
    assert response.status_code == 200
    page = response.content.decode()
    assert shown.registration_number in page
    assert "株式会社ひたちテック" in page
    assert "全社員のDXリテラシー向上" in page
    start = shown.period_start
    assert f"{start.year}年{start.month}月{start.day}日" in page  # the Japanese way
    for goals in ("非公開の目標", "撤回された目標", "期間満了の目標", "下書きの目標"):
        assert goals not in page
    assert "つくば精機株式会社" not in page


def test_public_api_lists_only_consenting_registered_declarations(shown_and_hidden):
    shown, hidden = shown_and_hidden
    response = APIClient().get("/api/public/declarations/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["registration_number"] == shown.registration_number
    assert row["company"] == "株式会社ひたちテック"
    assert row["goals"] == "全社員のDXリテラシー向上"
    assert row["period_start"] == shown.period_start.isoformat()
    assert row["period_end"] == shown.period_end.isoformat()
    for declaration in hidden:
        assert APIClient().get(f"/api/public/declarations/{declaration.pk}/").status_code == 404


def test_public_api_orders_by_registration_number(people, third_member):
    later = registered_declaration(people.other_applicant, people.staff, publish_consent=True)
    earlier_consent = registered_declaration(people.applicant, people.staff)
    services.declaration_consent_set(
        declaration_id=earlier_consent.pk, by=people.applicant, publish=True
    )
    numbers = [
        row["registration_number"]
        for row in APIClient().get("/api/public/declarations/").json()["results"]
    ]
    assert numbers == sorted([later.registration_number, earlier_consent.registration_number])


def test_withdrawing_consent_removes_it_from_the_list(people):
    declaration = registered_declaration(people.applicant, people.staff, publish_consent=True)
    assert declaration.registration_number in Client().get("/declarations/").content.decode()
    services.declaration_consent_set(
        declaration_id=declaration.pk, by=people.applicant, publish=False
    )
    assert declaration.registration_number not in Client().get("/declarations/").content.decode()
    assert APIClient().get("/api/public/declarations/").json()["count"] == 0
