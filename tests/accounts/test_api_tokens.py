"""API tokens: named, expiring, hashed at rest, revocable by their owner only."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.exceptions import ApiTokenLifetimeInvalid, ApiTokenNotFound
from accounts.models import ApiToken
from accounts.services import api_token_create, api_token_revoke
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _bearer(api, plain):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")
    return api


def test_token_page_create_shows_plain_once_and_lists_it(client, people):
    # given
    client.force_login(people.applicant)
    # when
    created = client.post(
        reverse("tokens:index"), {"name": "accounting export", "lifetime_days": "30"}
    )
    listed = client.get(reverse("tokens:index"))
    # then: the token is on the page that created it and on no later page
    plain = re.search(r'data-testid="plain-token">(kofu_[\w-]+)<', created.content.decode())[1]
    assert plain not in listed.content.decode()
    assert "accounting export" in listed.content.decode()
    token = ApiToken.objects.get(user=people.applicant)
    assert token.name == "accounting export"
    assert token.expires_at - token.created_at == dt.timedelta(days=30)
    # and it works
    assert _bearer(APIClient(), plain).get("/api/notifications/").status_code == 200


def test_token_stored_hashed_plain_not_in_database(people):
    # when
    _token, plain = api_token_create(user=people.applicant, name="cli", lifetime_days=10)
    # then: no column of any row of the table holds the token
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        rows = cursor.fetchall()
    assert rows
    assert not any(plain in str(value) for row in rows for value in row)


def test_token_lifetime_beyond_maximum_refused(people, settings):
    settings.KOFU_API_TOKEN_MAX_DAYS = 365
    with pytest.raises(ApiTokenLifetimeInvalid) as refused:
        api_token_create(user=people.applicant, name="forever", lifetime_days=366)
    assert refused.value.field == "lifetime_days"
    assert not ApiToken.objects.exists()


def test_token_expired_refused(people):
    with time_machine.travel(dt.datetime(2026, 12, 1, tzinfo=dt.UTC), tick=False):
        _token, plain = api_token_create(user=people.applicant, name="cli", lifetime_days=1)
        assert _bearer(APIClient(), plain).get("/api/notifications/").status_code == 200
    with time_machine.travel(dt.datetime(2026, 12, 2, 0, 0, 1, tzinfo=dt.UTC), tick=False):
        answer = _bearer(APIClient(), plain).get("/api/notifications/")
    assert answer.status_code == 403
    assert answer.json()["code"] == "authentication_failed"
    assert answer.json()["code"] == "authentication_failed"


def test_token_revoked_refused(people):
    token, plain = api_token_create(user=people.applicant, name="cli", lifetime_days=10)
    api_token_revoke(token_id=token.pk, by=people.applicant)
    answer = _bearer(APIClient(), plain).get("/api/notifications/")
    assert answer.status_code == 403
    assert answer.json()["code"] == "authentication_failed"


def test_token_revoke_by_other_user_refused(people):
    token, plain = api_token_create(user=people.applicant, name="cli", lifetime_days=10)
    with pytest.raises(ApiTokenNotFound):
        api_token_revoke(token_id=token.pk, by=people.other_applicant)
    # API and page alike
    other = APIClient()
    other.force_authenticate(people.other_applicant)
    answer = other.delete(f"/api/tokens/{token.pk}/")
    assert answer.status_code == 404
    assert answer.json()["code"] == "api_token_not_found"
    token.refresh_from_db()
    assert token.revoked_at is None
    assert _bearer(APIClient(), plain).get("/api/notifications/").status_code == 200


def test_token_page_revoke_by_other_user_leaves_it(client, people):
    token, _plain = api_token_create(user=people.applicant, name="cli", lifetime_days=10)
    client.force_login(people.other_applicant)
    client.post(reverse("tokens:revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_page_revoke_own_refuses_it(client, people):
    token, plain = api_token_create(user=people.applicant, name="cli", lifetime_days=10)
    client.force_login(people.applicant)
    client.post(reverse("tokens:revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _bearer(APIClient(), plain).get("/api/notifications/").status_code == 403


def test_token_api_create_list_revoke(people):
    # given
    api = APIClient()
    api.force_login(people.staff)
    # when
    created = api.post("/api/tokens/", {"name": "nightly", "lifetime_days": 7}, format="json")
    plain = created.json()["token"]
    listed = api.get("/api/tokens/").json()
    revoked = api.delete(f"/api/tokens/{created.json()['id']}/")
    # then
    assert created.status_code == 201
    assert plain.startswith("kofu_")
    assert [t["name"] for t in listed["results"]] == ["nightly"]
    assert "token" not in listed["results"][0]
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert _bearer(APIClient(), plain).get("/api/tokens/").status_code == 403
    actions = list(
        AuditEvent.objects.filter(subject_type="accounts.apitoken").values_list("action", flat=True)
    )
    assert actions == ["api_token_create", "api_token_revoke"]


def test_token_api_create_with_token_refused(people):
    _token, plain = api_token_create(user=people.staff, name="cli", lifetime_days=10)
    answer = _bearer(APIClient(), plain).post("/api/tokens/", {"name": "more"}, format="json")
    assert answer.status_code == 403
    assert answer.json()["code"] == "not_allowed"
    assert ApiToken.objects.count() == 1


def test_token_api_lists_only_own(people):
    api_token_create(user=people.applicant, name="mine", lifetime_days=10)
    api_token_create(user=people.other_applicant, name="theirs", lifetime_days=10)
    api = APIClient()
    api.force_authenticate(people.applicant)
    assert [t["name"] for t in api.get("/api/tokens/").json()["results"]] == ["mine"]
