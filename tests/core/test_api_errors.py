"""Every API endpoint answers malformed ids and unknown references with a 4xx JSON error."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from applications.models import Application
from fixtures.demo import demo_load

pytestmark = pytest.mark.django_db

BAD_IDS = ["abc", "0", "-1", "99999999999999999999"]
BAD_VALUES = [0, "x", None, -1, 99999999999999999999, "12", [], {}]
METHODS = ["get", "post", "put", "patch", "delete"]


def _operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema.get("components", {}).get("schemas", {})
    for path, item in schema["paths"].items():
        if not path.startswith("/api/") or path.startswith("/api/schema"):
            continue
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            yield path, method, _properties(operation, components)


def _properties(operation, components) -> list[str]:
    names: set[str] = set()
    for media in operation.get("requestBody", {}).get("content", {}).values():
        body = media.get("schema", {})
        if "$ref" in body:
            body = components[body["$ref"].rsplit("/", 1)[-1]]
        names.update(body.get("properties", {}))
    return sorted(names)


def _real_ids(client, path: str) -> dict[str, str]:
    """The first object the user can see in the list above a detail path, if any."""
    list_path = path.split("{", 1)[0]
    response = client.get(list_path)
    if response.status_code != 200:
        return {}
    data = response.json()
    rows = data.get("results", data) if isinstance(data, dict) else data
    if isinstance(rows, list) and rows and isinstance(rows[0], dict) and "id" in rows[0]:
        return {name: str(rows[0]["id"]) for name in re.findall(r"{(\w+)}", path)}
    return {}


def _check(client, method: str, url: str, body, failures: list) -> None:
    response = getattr(client, method)(url, body, format="json")
    where = f"{method.upper()} {url} {body!r}"
    if response.status_code >= 500:
        failures.append(f"{where} -> {response.status_code}")
        return
    if response.status_code >= 400:
        try:
            payload = response.json()
        except ValueError:
            failures.append(f"{where} -> {response.status_code} not JSON")
            return
        if not {"code", "message"} <= set(payload):
            failures.append(f"{where} -> {response.status_code} {payload!r}")


def _walk(user, other_id: int) -> list[str]:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    client.raise_request_exception = False
    failures: list[str] = []
    for path, method, properties in _operations():
        names = re.findall(r"{(\w+)}", path)
        for bad in [*BAD_IDS, str(other_id)] if names else [None]:
            url = path
            for name in names:
                url = url.replace("{" + name + "}", bad)
            _check(client, method, url, {}, failures)
        if method not in {"post", "put", "patch"} or not properties:
            continue
        real = _real_ids(client, path) if names else {}
        if names and not real:
            continue
        url = path
        for name, value in real.items():
            url = url.replace("{" + name + "}", value)
        for prop in properties:
            for value in [*BAD_VALUES, other_id]:
                _check(client, method, url, {prop: value}, failures)
    return failures


@pytest.fixture
def demo(db):
    demo_load()
    users = get_user_model().objects
    return users


@pytest.mark.parametrize("username", ["staff", "applicant"])
def test_api_malformed_ids_and_unknown_references_never_answer_5xx(demo, username):
    # given the demo data and a record of another company
    user = demo.get(username=username)
    other = Application.objects.exclude(company__members__user=user).order_by("pk").first()
    # when every endpoint is called with malformed ids and bodies with unknown references
    failures = _walk(user, other.pk)
    # then each answer is below 500 and each refusal is JSON {code, message}
    assert not failures, "\n".join(failures)


def test_api_unknown_path_answers_json_404(client):
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_page_unknown_path_answers_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_api_method_not_allowed_answers_json_405(people):
    client = APIClient()
    client.force_authenticate(people.staff)
    response = client.delete("/api/rounds/")
    assert response.status_code == 405
    assert set(response.json()) >= {"code", "message", "field"}


@pytest.mark.urls("tests.core.urls_failing")
def test_api_server_error_answers_json_500(client):
    client.raise_request_exception = False
    response = client.get("/api/fails/")
    assert response.status_code == 500
    assert response.json() == {
        "code": "server_error",
        "message": "問題が発生しました。しばらくしてからもう一度お試しください。",
        "field": None,
    }


@pytest.mark.urls("tests.core.urls_failing")
def test_page_server_error_answers_html_500(client):
    client.raise_request_exception = False
    response = client.get("/fails/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
