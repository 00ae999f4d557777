"""The application page keeps what the applicant typed: a refused request answers with the page
again (400) and the forms as sent, each error beside its field; the results report starts from
the plan; the bank account form finds banks and branches in the zengin-code data."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import DocumentType
from fixtures.demo import advance
from fixtures.documents import pdf_bytes
from payments.models import PayeeAccount
from portal.applications import results_initial

pytestmark = pytest.mark.django_db

LINE = {
    "trainee_name": "佐藤 花子",
    "course_name": "クラウド基礎講座",
    "provider": "県立産業技術短大",
    "start_date": "2027-01-20",
    "end_date": "2027-01-12",
    "cost_type": "tuition",
    "amount": "123456",
}


def _input(page: str, name: str) -> str:
    """The whole <input> or <select> tag of the field called ``name``."""
    match = re.search(rf'<(?:input|select|textarea)[^>]*name="{re.escape(name)}"[^>]*>', page)
    assert match, f"no field {name}"
    return match.group(0)


def _selected(page: str, name: str) -> str:
    start = page.index(f'name="{name}"')
    end = page.index("</select>", start)
    return re.search(r'<option value="([^"]*)"[^>]*selected', page[start:end]).group(1)


def test_a_refused_line_comes_back_with_every_value_and_the_error_on_the_end_date(
    draft, people, client
):
    client.force_login(people.applicant)
    lines = draft.training_lines.count()

    response = client.post(f"/portal/applications/{draft.pk}/lines/", LINE)

    assert response.status_code == 400
    page = response.content.decode()
    for name in ("trainee_name", "course_name", "provider", "start_date", "end_date", "amount"):
        assert f'value="{LINE[name]}"' in _input(page, name), name
    assert _selected(page, "cost_type") == "tuition"
    # the service's refusal sits beside the end date, tied to it, and in the summary
    end = _input(page, "end_date")
    assert 'aria-invalid="true"' in end and 'aria-describedby="id_end_date_error"' in end
    assert '<ul class="errorlist" id="id_end_date_error"><li>' in page
    assert 'href="#id_end_date"' in page and "data-error-summary" in page
    assert draft.training_lines.count() == lines


def test_a_line_with_a_date_that_is_not_a_date_keeps_the_other_fields(draft, people, client):
    client.force_login(people.applicant)
    response = client.post(
        f"/portal/applications/{draft.pk}/lines/", {**LINE, "start_date": "2027-13-45"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'aria-invalid="true"' in _input(page, "start_date")
    assert 'value="佐藤 花子"' in _input(page, "trainee_name")
    assert 'value="123456"' in _input(page, "amount")


def test_a_good_line_redirects_and_a_line_can_be_removed(draft, people, client):
    client.force_login(people.applicant)
    added = client.post(
        f"/portal/applications/{draft.pk}/lines/", {**LINE, "end_date": "2027-01-30"}
    )
    assert added.status_code == 302
    line = draft.training_lines.get(trainee_name="佐藤 花子")
    page = client.get(f"/portal/applications/{draft.pk}/").content.decode()
    assert f"/lines/{line.pk}/remove/" in page
    removed = client.post(f"/portal/applications/{draft.pk}/lines/{line.pk}/remove/")
    assert removed.status_code == 302
    assert not draft.training_lines.filter(pk=line.pk).exists()


def test_a_line_is_changed_in_place_and_a_refused_change_keeps_its_input(draft, people, client):
    from audit.models import AuditEvent

    client.force_login(people.applicant)
    line = draft.training_lines.select_related("cost_type").first()
    url = f"/portal/applications/{draft.pk}/"

    # the change link puts the line into the line form, filled in
    page = client.get(url, {"edit": line.pk}).content.decode()
    assert f'action="/portal/applications/{draft.pk}/lines/{line.pk}/"' in page
    assert f'value="{line.trainee_name}"' in _input(page, "trainee_name")
    assert _selected(page, "cost_type") == line.cost_type.code

    # a refused change comes back with what was typed, still changing the same line
    response = client.post(f"{url}lines/{line.pk}/", LINE)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'action="/portal/applications/{draft.pk}/lines/{line.pk}/"' in page
    assert 'value="クラウド基礎講座"' in _input(page, "course_name")
    assert 'aria-invalid="true"' in _input(page, "end_date")
    line.refresh_from_db()
    assert line.course_name != "クラウド基礎講座"

    # a good change replaces the line's values; the audit event keeps what it was
    before = line.amount
    changed = client.post(f"{url}lines/{line.pk}/", {**LINE, "end_date": "2027-01-30"})
    assert changed.status_code == 302
    line.refresh_from_db()
    assert (line.course_name, line.amount) == ("クラウド基礎講座", 123456)
    event = AuditEvent.objects.filter(action="training_line_change").latest("pk")
    assert event.data["before"]["amount"] == before and event.data["amount"] == 123456


def test_a_line_of_another_application_cannot_be_changed(draft, people, client):
    client.force_login(people.applicant)
    response = client.post(f"/portal/applications/{draft.pk}/lines/999999/", LINE)
    assert response.status_code == 404


@pytest.fixture
def granted(draft, people):
    application = advance(draft, "granted", vars(people))
    for document_type in application.round.required_document_types.filter(
        stage=DocumentType.Stage.RESULTS
    ):
        from applications.services import document_upload

        document_upload(
            application_id=application.pk,
            document_type=document_type.code,
            file=SimpleUploadedFile(f"{document_type.code}.pdf", pdf_bytes(document_type.code)),
            by=people.applicant,
        )
    return application


def test_the_results_report_starts_from_the_plan(granted, people, client):
    client.force_login(people.applicant)
    lines = list(granted.training_lines.select_related("cost_type"))

    page = client.get(f"/portal/applications/{granted.pk}/")

    formset = page.context["cost_formset"]
    planned = [
        (line.trainee_name, line.course_name, line.cost_type.code, line.amount) for line in lines
    ]
    initial = [
        (row["trainee_name"], row["course_name"], row["cost_type"], row["amount"])
        for row in formset.initial
    ]
    assert initial == planned
    html = page.content.decode()
    assert f'value="{lines[0].trainee_name}"' in _input(html, "costs-0-trainee_name")
    assert f'value="{lines[0].amount}"' in _input(html, "costs-0-amount")
    assert 'data-testid="results-due"' in html


def _results_post(application, rows: list[dict]) -> dict:
    data = {
        "costs-TOTAL_FORMS": str(len(rows)),
        "costs-INITIAL_FORMS": str(len(results_initial(application))),
        "costs-MIN_NUM_FORMS": "1",
        "costs-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"costs-{index}-{key}": value for key, value in row.items()})
    return data


def test_one_incomplete_results_row_keeps_every_other_row(granted, people, client):
    client.force_login(people.applicant)
    rows = [
        {
            "trainee_name": row["trainee_name"],
            "course_name": row["course_name"],
            "cost_type": row["cost_type"],
            "incurred_on": f"2027-02-0{index + 1}",
            "amount": str(row["amount"] - 1000 * index),
            "completed": "on",
        }
        for index, row in enumerate(results_initial(granted))
    ]
    rows[1]["incurred_on"] = ""  # the second row misses its date

    response = client.post(
        f"/portal/applications/{granted.pk}/results/", _results_post(granted, rows)
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert 'aria-invalid="true"' in _input(page, "costs-1-incurred_on")
    assert 'href="#id_costs-1-incurred_on"' in page
    for index, row in enumerate(rows):
        if index == 1:
            continue
        assert f'value="{row["incurred_on"]}"' in _input(page, f"costs-{index}-incurred_on")
        assert f'value="{row["amount"]}"' in _input(page, f"costs-{index}-amount")
        assert "aria-invalid" not in _input(page, f"costs-{index}-incurred_on")
    assert f'value="{rows[1]["trainee_name"]}"' in _input(page, "costs-1-trainee_name")
    granted.refresh_from_db()
    assert granted.status == "granted" and not granted.actual_costs.exists()


def test_a_service_refusal_naming_a_row_goes_on_that_row(granted, people, client, monkeypatch):
    from core.errors import ValidationFailed
    from workflows import services

    def refuse(**kwargs):
        raise ValidationFailed("その経費は交付条件の対象外です。", field="costs.1.cost_type")

    monkeypatch.setattr(services, "subsidy_report_results", refuse)
    client.force_login(people.applicant)
    rows = [
        {**row, "incurred_on": "2027-02-01", "completed": "on"} for row in results_initial(granted)
    ]
    response = client.post(
        f"/portal/applications/{granted.pk}/results/", _results_post(granted, rows)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'aria-invalid="true"' in _input(page, "costs-1-cost_type")
    assert "その経費は交付条件の対象外です。" in page


def test_a_results_row_can_be_left_out_and_the_report_redirects(granted, people, client):
    client.force_login(people.applicant)
    rows = [
        {**row, "incurred_on": "2027-02-01", "completed": "on"} for row in results_initial(granted)
    ]
    rows[0]["DELETE"] = "on"
    response = client.post(
        f"/portal/applications/{granted.pk}/results/", _results_post(granted, rows)
    )
    assert response.status_code == 302
    granted.refresh_from_db()
    assert granted.status == "results_submitted"
    assert granted.actual_costs.count() == len(rows) - 1


ACCOUNT = {
    "bank_code": "9999",
    "branch_code": "004",
    "account_type": "1",
    "account_number": "7654321",
    "holder_name": "カ）ヒタチテック",
}


@pytest.fixture
def confirmed(draft, people):
    return advance(draft, "confirmed", vars(people))


def test_a_wrong_bank_code_keeps_the_other_fields(confirmed, people, client):
    client.force_login(people.applicant)

    response = client.post(f"/portal/applications/{confirmed.pk}/accounts/", ACCOUNT)

    assert response.status_code == 400
    page = response.content.decode()
    assert 'aria-invalid="true"' in _input(page, "bank_code")
    assert 'value="9999"' in _input(page, "bank_code")
    assert 'value="004"' in _input(page, "branch_code")
    assert 'value="7654321"' in _input(page, "account_number")
    assert 'value="カ）ヒタチテック"' in _input(page, "holder_name")
    assert _selected(page, "account_type") == "1"
    assert '<details open data-testid="account-register">' in page
    assert not PayeeAccount.objects.exists()


def test_looking_up_a_bank_names_it_and_lists_its_branches(confirmed, people, client):
    client.force_login(people.applicant)
    response = client.post(
        f"/portal/applications/{confirmed.pk}/accounts/",
        {**ACCOUNT, "bank_code": "130", "lookup": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    chosen = page[page.index('data-testid="bank-chosen"') :].split("</p>")[0]
    assert "常陽" in chosen
    branches = page[page.index('<datalist id="k-branches">') :].split("</datalist>")[0]
    assert '<option value="004">' in branches
    assert 'value="7654321"' in _input(page, "account_number")
    assert not PayeeAccount.objects.exists()
    api = client.get("/portal/banks/branches/", {"bank": "0130"}).json()
    assert api["bank"] == "常陽" and ["004", "本店営業部"] in api["branches"]


def test_claiming_asks_first_and_a_registered_holder_reads_in_full_width_kana(
    confirmed, people, client
):
    client.force_login(people.applicant)
    client.post(
        f"/portal/applications/{confirmed.pk}/accounts/",
        {**ACCOUNT, "bank_code": "0130", "holder_name": "ｶ)ﾋﾀﾁﾃｯｸ"},
    )
    page = client.get(f"/portal/applications/{confirmed.pk}/").content.decode()
    assert 'data-testid="claim-confirm"' in page
    assert "カ)ヒタチテック" in page and "ｶ)ﾋﾀﾁﾃｯｸ" not in page
