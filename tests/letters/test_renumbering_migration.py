"""The data migration to numbering by fiscal year of issue: existing letters end up satisfying
the uniqueness rule without renumbering any letter already sent."""

import importlib

import pytest
from django.apps import apps

from letters.models import Letter, LetterSequence

pytestmark = pytest.mark.django_db

migration = importlib.import_module("letters.migrations.0003_number_by_issue_fiscal_year")


def legacy(company, *, programme, round_year, number, issued_on, issued=True, previous=None):
    """A letter as the old code stored it: numbered in its round's fiscal year, no series."""
    return Letter.objects.create(
        kind="award_selected",
        programme=programme,
        series="",
        fiscal_year=round_year,
        number=number,
        version=previous.version + 1 if previous else 1,
        previous=previous,
        subject_type="awards.nomination",
        subject_id="1",
        company=company,
        language="ja",
        context={"number_text": f"旧第{number}号", "issued_on": issued_on},
        status="issued" if issued else "pending",
        sha256="ab" * 32 if issued else "",
    )


def test_migration_keeps_issued_numbers_marks_clashes_and_renumbers_only_pending(companies):
    company = companies[0]
    own = legacy(company, programme="award", round_year=2026, number=3, issued_on="2026-12-02")
    clash = legacy(company, programme="award", round_year=2025, number=3, issued_on="2026-12-02")
    reprint = legacy(
        company,
        programme="award",
        round_year=2025,
        number=3,
        issued_on="2026-12-02",
        previous=clash,
    )
    pending = legacy(
        company,
        programme="award",
        round_year=2025,
        number=4,
        issued_on="2026-12-02",
        issued=False,
    )
    fourth = legacy(company, programme="award", round_year=2026, number=4, issued_on="2026-12-02")
    march = legacy(company, programme="subsidy", round_year=2025, number=7, issued_on="2026-03-31")
    for series, year, last in [
        ("award", 2025, 4),
        ("award", 2026, 4),
        ("subsidy", 2025, 7),
        ("declaration-registration", 2026, 2),
    ]:
        LetterSequence.objects.create(series=series, fiscal_year=year, last_number=last)

    migration.letters_renumber_by_issue_year(apps, None)

    rows = {letter.pk: letter for letter in Letter.objects.all()}
    key = lambda letter: (  # noqa: E731
        letter.series,
        letter.fiscal_year,
        letter.number,
        letter.version,
        letter.number_clash_with_id,
    )
    assert key(rows[own.pk]) == ("産表", 2026, 3, 1, None)
    assert key(rows[clash.pk]) == ("産表", 2026, 3, 1, own.pk)
    assert key(rows[reprint.pk]) == ("産表", 2026, 3, 2, own.pk)
    assert key(rows[pending.pk]) == ("産表", 2026, 5, 1, None)
    assert rows[pending.pk].context["number_text"] == "産表第5号"
    assert rows[clash.pk].context["number_text"] == "旧第3号"  # as printed on the sent PDF
    assert key(rows[fourth.pk]) == ("産表", 2026, 4, 1, None)
    assert key(rows[march.pk]) == ("産人", 2025, 7, 1, None)
    assert set(LetterSequence.objects.values_list("series", "fiscal_year", "last_number")) == {
        ("産表", 2026, 5),
        ("産人", 2025, 7),
        ("declaration-registration", 2026, 2),
    }
