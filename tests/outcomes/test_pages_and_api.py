"""The outcome report as people use it: the company's portal list and form (baselines beside the
values), the staff check step page, and /api/outcome-reports/."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from outcomes.models import OutcomeReport
from workflows import services as wf

from .helpers import values

pytestmark = pytest.mark.django_db
Status = OutcomeReport.Status


def form_data(**overrides):
    return {f"values-{code}": value for code, value in values(**overrides).items()}


def test_portal_list_shows_the_company_reports_and_overdue(report, people, client):
    client.force_login(people.applicant)
    page = client.get("/portal/outcomes/").content.decode()
    assert report.application.reference in page
    due = report.due_on
    assert f"{due.year}年{due.month}月{due.day}日" in page
    assert 'class="overdue"' not in page

    OutcomeReport.objects.filter(pk=report.pk).update(due_on=dt.date(2026, 1, 5))
    assert 'class="overdue"' in client.get("/portal/outcomes/").content.decode()


def test_portal_other_company_sees_neither_list_entry_nor_page(report, people, client):
    client.force_login(people.other_applicant)
    assert report.application.reference not in client.get("/portal/outcomes/").content.decode()
    assert client.get(f"/portal/outcomes/{report.pk}/").status_code == 404
    response = client.post(f"/portal/outcomes/{report.pk}/submit/", form_data())
    assert response.status_code == 404
    assert OutcomeReport.objects.get(pk=report.pk).status == Status.DUE


def test_portal_form_shows_baselines_beside_inputs_and_submits(report, people, client):
    client.force_login(people.applicant)
    page = client.get(f"/portal/outcomes/{report.pk}/").content.decode()
    row = page[page.index('data-measure="overtime_hours"') :]
    row = row[: row.index("</tr>")]
    assert "24.5" in row and 'name="values-overtime_hours"' in row
    assert "480,000,000" in page  # the sales baseline, in yen

    refused = client.post(
        f"/portal/outcomes/{report.pk}/submit/", form_data(qualifications=""), follow=True
    )
    assert OutcomeReport.objects.get(pk=report.pk).status == Status.DUE
    assert "従業員の資格保有数" in refused.content.decode()  # the field named in the error

    done = client.post(
        f"/portal/outcomes/{report.pk}/submit/",
        {**form_data(), "values-comment": "残業削減の効果"},
        follow=True,
    )
    submitted = OutcomeReport.objects.get(pk=report.pk)
    assert (submitted.status, submitted.comment) == (Status.SUBMITTED, "残業削減の効果")
    page = done.content.decode()
    assert 'name="values-overtime_hours"' not in page  # no form once submitted
    assert 'data-testid="improvements"' in page


def test_application_page_links_its_outcome_report(report, people, client):
    client.force_login(people.applicant)
    page = client.get(f"/portal/applications/{report.application_id}/").content.decode()
    assert f'href="/portal/outcomes/{report.pk}/"' in page


def test_staff_check_step_page_shows_improvement_and_accepts(report, people, client):
    wf.subsidy_outcome_report_submit(
        report_id=report.pk,
        by=people.applicant,
        values=values(overtime_hours="18.0", annual_sales="500000000", qualifications="9"),
    )
    task = wf.active_task(report.application_id, "check_outcome_report")
    base = f"/workspace/tasks/{task.pk}/"
    client.force_login(people.staff)
    html = client.get(base).content.decode()
    overtime = html[html.index('data-measure="overtime_hours"') :]
    overtime = overtime[: overtime.index("</tr>")]
    assert "24.5" in overtime and "18.0" in overtime and "26.5%" in overtime and "✓" in overtime
    sales = html[html.index('data-measure="annual_sales"') :]
    sales = sales[: sales.index("</tr>")]
    assert "4.2%" in sales and "✓" not in sales
    assert 'data-testid="rule"' in html

    client.post(base, {"accept": "1", "reason": ""})
    assert OutcomeReport.objects.get(pk=report.pk).status == Status.ACCEPTED


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def test_api_list_submit_return_resubmit_accept(report, people):
    applicant, staff = api(people.applicant), api(people.staff)
    listed = applicant.get("/api/outcome-reports/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["id"] for row in rows] == [report.pk]
    assert [m["code"] for m in rows[0]["measures"]] == [
        "overtime_hours",
        "annual_sales",
        "qualifications",
    ]
    base = f"/api/outcome-reports/{report.pk}"

    incomplete = applicant.post(
        f"{base}/submit/", {"values": {"overtime_hours": "20"}}, format="json"
    )
    assert (incomplete.status_code, incomplete.json()["code"]) == (400, "values_missing")

    submitted = applicant.post(
        f"{base}/submit/", {"values": values(), "comment": "x"}, format="json"
    )
    assert submitted.status_code == 200, submitted.json()
    body = submitted.json()
    assert body["status"] == "submitted"
    results = {row["measure"]["code"]: row for row in body["results"]}
    assert results["overtime_hours"]["baseline"] == "24.50"
    assert results["overtime_hours"]["improved"] is True  # 24.5 → 20: 18.4% less

    assert applicant.post(f"{base}/accept/").status_code == 403
    assert staff.post(f"{base}/return/", {}, format="json").status_code == 400
    returned = staff.post(f"{base}/return/", {"reason": "根拠資料を添付"}, format="json")
    assert (returned.status_code, returned.json()["status"]) == (200, "returned")
    assert returned.json()["return_reason"] == "根拠資料を添付"

    again = applicant.post(f"{base}/submit/", {"values": values()}, format="json")
    assert again.json()["status"] == "submitted"
    accepted = staff.post(f"{base}/accept/")
    assert (accepted.status_code, accepted.json()["status"]) == (200, "accepted")
    assert accepted.json()["accepted_at"]


def test_api_other_company_cannot_see_or_submit(report, people):
    other = api(people.other_applicant)
    listed = other.get("/api/outcome-reports/").json()
    assert (listed["results"] if isinstance(listed, dict) else listed) == []
    response = other.post(
        f"/api/outcome-reports/{report.pk}/submit/", {"values": values()}, format="json"
    )
    assert response.status_code == 404
    assert api(people.staff).get("/api/outcome-reports/").status_code == 200
