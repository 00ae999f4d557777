"""The dashboard page, its charts, exports and API: who may see them and what they contain."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fixtures.demo import user_create
from fixtures.seed_figures import seed_figures_load

pytestmark = pytest.mark.django_db

READERS = ["staff", "approver", "finance", "auditor"]


def _glyph(char: str) -> str:
    from matplotlib.ft2font import FT2Font

    from kpis.charts import FONT_FILE

    return format(FT2Font(str(FONT_FILE)).get_char_index(ord(char)), "x")


@pytest.fixture
def seeded(people):
    seed_figures_load()
    return people


def _client(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", READERS)
def test_dashboard_staff_side_role_sees_page(client, seeded, role):
    response = _client(client, getattr(seeded, role)).get(reverse("kpis:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="kpi-declarations-total">221<' in html
    assert 'data-testid="kpi-subsidy_users-value">164<' in html


def test_dashboard_admin_sees_page(client, seeded):
    from core.roles import Role

    admin = user_create("kpi-admin", Role.ADMIN, None)
    assert _client(client, admin).get(reverse("kpis:dashboard")).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        reverse("kpis:dashboard"),
        reverse("kpis:chart", args=["funnel"]),
        reverse("kpis:export_xlsx"),
        reverse("kpis:export_csv"),
        "/api/kpis/",
    ],
)
def test_kpis_applicant_is_refused(client, people, url):
    assert _client(client, people.applicant).get(url).status_code == 403


def test_kpis_reviewer_is_refused(client, reviewers):
    assert _client(client, reviewers[0]).get(reverse("kpis:dashboard")).status_code == 403


def test_dashboard_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("kpis:dashboard"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_dashboard_shows_targets_and_rule(client, seeded):
    html = _client(client, seeded.staff).get(reverse("kpis:dashboard")).content.decode()
    # the seed's declarations are all before the target period (FY2026–2027)
    assert 'data-testid="kpi-declarations-value">0<' in html
    assert "/ 200" in html and "/ 20 " in html and "/ 100" in html
    assert 'data-testid="productivity-rule"' in html
    assert "令和7年度 中小企業人材育成支援補助金" in html


def test_export_xlsx_has_the_three_sheets_with_the_figures(client, seeded):
    response = _client(client, seeded.finance).get(reverse("kpis:export_xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["KPIs", "rounds", "stages"]
    kpis = list(workbook["KPIs"].iter_rows(min_row=2, values_only=True))
    declarations = {row[2]: (row[3], row[4]) for row in kpis if row[5] == 200}
    assert declarations[2023] == (25, 25)
    assert declarations[2024] == (56, 81)
    assert declarations[2025] == (140, 221)
    rounds = list(workbook["rounds"].iter_rows(min_row=2, values_only=True))
    assert rounds[0][0] == "令和2年度 中小企業人材育成支援補助金"
    assert len(rounds) == 6
    stages = list(workbook["stages"].iter_rows(min_row=2, values_only=True))
    assert len(stages) == 7 * 8  # six rounds and all rounds, eight stages each


def test_export_csv_tables_parse(client, seeded):
    client = _client(client, seeded.auditor)
    kpis = client.get(reverse("kpis:export_csv"))
    assert kpis["Content-Type"].startswith("text/csv")
    assert kpis.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(kpis.content.decode("utf-8-sig"))))
    users = [row for row in rows[1:] if row[5] == ""]  # subsidy users have no target
    assert {row[2]: row[4] for row in users}["2025"] == "164"
    rounds = client.get(reverse("kpis:export_csv") + "?table=rounds")
    round_rows = list(csv.reader(io.StringIO(rounds.content.decode("utf-8-sig"))))
    assert len(round_rows) == 7
    assert client.get(reverse("kpis:export_csv") + "?table=nope").status_code == 404


def test_chart_kpi_is_svg_with_japanese_glyph_paths(client, seeded):
    response = _client(client, seeded.staff).get(reverse("kpis:chart", args=["funnel"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    # text is drawn as glyph paths named after the font and the glyph: the round names' 補助金
    assert all(f'id="IPAexMincho-{_glyph(char)}"' in svg for char in "補助金")
    assert "<text" not in svg


@pytest.mark.parametrize(
    "name",
    ["declarations", "commendations", "productivity-gains", "subsidy-users", "budget", "stages"],
)
def test_chart_each_is_valid_svg(client, seeded, name):
    from xml.etree import ElementTree

    response = _client(client, seeded.staff).get(reverse("kpis:chart", args=[name]))
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own SVG)
    assert root.tag.endswith("svg")
    assert re.search(rb'id="IPAexMincho-[0-9a-f]+"', response.content)


def test_chart_unknown_is_404(client, seeded):
    assert _client(client, seeded.staff).get("/kpis/charts/nope.svg").status_code == 404


def test_api_kpis_returns_the_figures(client, seeded):
    response = _client(client, seeded.approver).get("/api/kpis/")
    assert response.status_code == 200
    body = response.json()
    kpis = {kpi["key"]: kpi for kpi in body["kpis"]}
    assert kpis["declarations"]["total"] == 221
    assert kpis["commendations"]["total"] == 25
    assert kpis["subsidy_users"]["total"] == 164
    assert kpis["declarations"]["target"] == 200
    assert len(body["rounds"]) == 6
    assert body["productivity_rule"]


def test_api_schema_documents_kpis(client, seeded):
    response = _client(client, seeded.staff).get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/kpis/" in response.content


def test_dashboard_is_live_a_new_registration_shows_at_once(client, seeded, companies):
    from .helpers import declaration, jst

    client = _client(client, seeded.staff)
    assert 'kpi-declarations-total">221<' in client.get(reverse("kpis:dashboard")).content.decode()
    declaration(companies[0], seeded.staff, "registered", registered_at=jst(2026, 5, 1))
    html = client.get(reverse("kpis:dashboard")).content.decode()
    assert 'kpi-declarations-total">222<' in html
    assert 'data-testid="kpi-declarations-value">1<' in html
    assert 'data-testid="kpi-declarations-percent">0.5%<' in html


def test_dashboard_report_live_shares_one_result_for_a_few_seconds(settings, db):
    import datetime as dt

    import time_machine
    from django.core.cache import cache

    from kpis.report import dashboard_report_live

    settings.KOFU_KPI_CACHE_SECONDS = 5
    cache.clear()
    start = dt.datetime(2026, 11, 24, 3, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        first = dashboard_report_live()
        assert dashboard_report_live().computed_at == first.computed_at
    with time_machine.travel(start + dt.timedelta(seconds=6), tick=False):
        assert dashboard_report_live().computed_at > first.computed_at
    cache.clear()
