"""While the database refuses connections, requests answer 503 with Retry-After."""

import socket
from contextlib import contextmanager

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the probe is closed


@contextmanager
def database_refusing_connections():
    """Point the connection at a port nobody listens on: every query fails to connect."""
    saved = connection.settings_dict["PORT"], connection.settings_dict["HOST"]
    connection.close()
    connection.settings_dict["HOST"], connection.settings_dict["PORT"] = "127.0.0.1", _closed_port()
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"], connection.settings_dict["HOST"] = saved


@pytest.fixture
def signed_in(client, people):
    client.force_login(people.applicant)
    client.raise_request_exception = False
    return client


def test_api_database_unreachable_answers_503_json_with_retry_after(signed_in, settings):
    with database_refusing_connections():
        response = signed_in.get("/api/rounds/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.KOFU_RETRY_AFTER_SECONDS)
    assert response.json()["code"] == "service_unavailable"
    assert response.json()["message"]


def test_page_database_unreachable_answers_503_page_with_retry_after(signed_in, settings):
    with database_refusing_connections():
        response = signed_in.get("/portal/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.KOFU_RETRY_AFTER_SECONDS)
    assert response["Content-Type"].startswith("text/html")
    assert "サービスを一時的に利用できません" in response.content.decode()


def test_database_back_answers_normally_again(signed_in):
    with database_refusing_connections():
        assert signed_in.get("/api/rounds/").status_code == 503
    assert signed_in.get("/api/rounds/").status_code == 200
