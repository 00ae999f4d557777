"""The OpenAPI schema matches what the API answers: schemathesis generates requests from the
schema for every operation and sends each as a staff user and as an applicant (each with an API
token) to the WSGI application; a server error, a status code the schema does not list, or a
body that does not match the schema fails the test. Bounded: a few examples per operation, no
shrinking."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django closes the database connection when a request ends; the test client stops that,
    and so must a raw WSGI call, or the test's transaction (and its data) would be gone."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def callers(companies):
    """Authorization headers of a staff user and of a company's applicant."""
    from accounts.services import api_token_create
    from core.roles import Role
    from fixtures.demo import user_create

    headers = {}
    for user in (
        user_create("staff", Role.STAFF, None),
        user_create("applicant", Role.APPLICANT, companies[0]),
    ):
        _token, plain = api_token_create(user=user, name="schemathesis", lifetime_days=1)
        headers[user.username] = {"Authorization": f"Bearer {plain}"}
    return headers


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=3,
    deadline=5000,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_operation_matches_schema_as_staff_and_applicant(case, callers):
    for headers in callers.values():
        case.call_and_validate(headers=headers, checks=CHECKS)
