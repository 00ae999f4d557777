"""What leaves the system: the ranked table as Excel and CSV, and the minutes draft as PDF."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from pypdf import PdfReader

from screening import analytics, committee, exports

from .helpers import register, score, subjects

pytestmark = pytest.mark.django_db
RATIONALE = "人材育成の計画性と地域への波及効果を重視して選定した。"
DEPARTURE = "研修の継続性で優る"


@pytest.fixture
def decided(subsidy_round, companies, people, reviewers, make_panel, chair):
    """A 1st, B and C tied 2nd for the last of two places, D 4th; the chair picks B."""
    panel = make_panel(reviewers[:2], per_item=2, quota=2)
    items = register(panel, subjects(subsidy_round, companies, people, 4))
    for item, value in zip(items, (5, 4, 4, 2), strict=True):
        committee.reviewers_assign(item_id=item.pk)
        for assignment in item.assignments.all():
            score(assignment, value, value)
    a, b, _, _ = items
    committee.committee_decide(
        panel_id=panel.pk,
        by=chair,
        selected_item_ids=[a.pk, b.pk],
        rationale=RATIONALE,
        departures={b.pk: DEPARTURE},
    )
    return panel, items


def pdf_text(pdf: bytes, language: str) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r" *\n *", "" if language == "ja" else " ", text)


def test_excel_export_has_japanese_headers_labels_and_the_decision(decided):
    panel, (a, b, c, d) = decided

    sheet = pd.read_excel(
        io.BytesIO(exports.ranked_table_bytes(panel, "xlsx")), sheet_name="順位表"
    )

    assert list(sheet.columns[:3]) == ["順位", "対象", "審査員数"]
    assert list(sheet["対象"]) == [a.label, b.label, c.label, d.label]
    assert list(sheet["順位"]) == [1, 2, 2, 4]
    assert list(sheet["平均点"]) == [5.0, 4.0, 4.0, 2.0]
    assert list(sheet["選定"].fillna("")) == ["○", "○", "", ""]
    assert list(sheet["同点(要審議)"].fillna("")) == ["", "○", "○", ""]
    assert list(sheet["理由"].fillna("")) == ["", DEPARTURE, "", ""]


def test_csv_export_is_utf8_with_bom(decided):
    panel, (a, *_) = decided

    content = exports.ranked_table_bytes(panel, "csv")

    assert content.startswith("\ufeff".encode())
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("順位,対象,審査員数,平均点")
    assert lines[1].startswith(f"1,{a.label},2,5.0")


def test_export_before_a_decision_has_the_ranking_only(
    subsidy_round, companies, people, reviewers, make_panel
):
    panel = make_panel(reviewers[:2], per_item=2, quota=1)
    (item,) = register(panel, subjects(subsidy_round, companies, people, 1))
    committee.reviewers_assign(item_id=item.pk)
    for assignment in item.assignments.all():
        score(assignment, 3, 3)

    sheet = pd.read_excel(io.BytesIO(exports.ranked_table_bytes(panel, "xlsx")))

    assert "選定" not in sheet.columns
    assert list(sheet["順位による選定"]) == ["○"]


def test_ranked_table_export_writes_a_label_column_after_the_id():
    table = pd.DataFrame(
        {"rank": [1], "application_id": [7], "label": ["SUB-2026-000007 株式会社"]}
    )
    buffer = io.BytesIO()

    analytics.ranked_table_export(table, buffer, format="csv")

    assert buffer.getvalue().decode("utf-8-sig").splitlines() == [
        "順位,申請番号,対象",
        "1,7,SUB-2026-000007 株式会社",
    ]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_minutes_pdf_lists_members_ranking_selection_departures_rationale(
    decided, chair, reviewers, language
):
    panel, (a, b, c, d) = decided

    pdf = exports.minutes_pdf(panel, language)

    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, language)
    assert RATIONALE in text
    assert DEPARTURE in text
    assert panel.name in text
    for user in (chair, *reviewers[:2]):
        assert user.get_username() in text
    for item in (a, b, c, d):
        assert item.label.replace(" ", "") in text.replace(" ", "")


def test_minutes_pdf_before_a_decision_says_undecided(
    subsidy_round, companies, people, reviewers, make_panel
):
    panel = make_panel(reviewers[:2], per_item=2, quota=1)

    text = pdf_text(exports.minutes_pdf(panel, "ja"), "ja")

    assert "（未決定）" in text


def test_downloads_for_staff(decided, people, client):
    panel, _ = decided
    client.force_login(people.staff)

    xlsx = client.get(f"/reviews/panels/{panel.pk}/ranking.xlsx")
    csv = client.get(f"/reviews/panels/{panel.pk}/ranking.csv")
    minutes = client.get(f"/reviews/panels/{panel.pk}/minutes.pdf")

    assert xlsx.status_code == csv.status_code == minutes.status_code == 200
    assert xlsx.content.startswith(b"PK")  # a zip: the xlsx container
    assert csv["Content-Type"].startswith("text/csv")
    assert minutes["Content-Type"] == "application/pdf"
    assert RATIONALE in pdf_text(minutes.content, "ja")
