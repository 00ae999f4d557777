"""What the schemathesis run found, pinned: the answers the schema now promises."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_application_create_unknown_round_is_refused_naming_the_field(people):
    response = _client(people.applicant).post(
        "/api/applications/", {"round": 987654}, format="json"
    )

    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("invalid", "round")


@pytest.mark.parametrize(
    "path", ["/api/applications/null,null/", "/api/notifications/selected/read/"]
)
def test_api_non_numeric_id_is_no_route(people, path):
    response = _client(people.staff).post(path) if path.endswith("read/") else None
    response = response or _client(people.staff).get(path)

    assert response.status_code == 404


def test_schema_kpis_is_one_dashboard_and_errors_are_documented():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)

    kpis = schema["paths"]["/api/kpis/"]["get"]["responses"]
    assert kpis["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Dashboard"
    }
    assert kpis["403"] == {"$ref": "#/components/responses/Error403"}
    submit = schema["paths"]["/api/applications/{id}/submit/"]["post"]["responses"]
    assert {"400", "403", "404", "409", "422", "429", "503"} <= set(submit)
    assert schema["components"]["schemas"]["Error"]["required"] == ["code", "message", "field"]
