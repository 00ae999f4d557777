"""Document numbers per series and fiscal year of issue: no gaps, no duplicates, even
concurrently, and never one number for two letters of the same register year."""

import datetime as dt
from collections import Counter

import pytest
import time_machine
from django.db import IntegrityError, transaction

from applications.letters import payment_letter_prepare
from core.dates import JST, fiscal_year_of
from fixtures.demo import draft_create, round_create
from letters.models import Letter, LetterSequence
from letters.services import letter_prepare
from tests.concurrency import run_concurrently

pytestmark = pytest.mark.django_db

SAME_DAY = dt.datetime(2026, 12, 2, 10, 0, tzinfo=JST)
LAST_OF_MARCH = dt.datetime(2027, 3, 31, 23, 30, tzinfo=JST)
FIRST_OF_APRIL = dt.datetime(2027, 4, 1, 0, 30, tzinfo=JST)  # still 31 March in UTC


def prepare(company, subject, programme="subsidy"):
    return letter_prepare(
        kind="payment_notice",
        programme=programme,
        subject=subject,
        company=company,
        language="ja",
        context={
            "amount": 1000,
            "paid_on": "2026-11-24",
            "programme": "令和8年度 人材育成支援補助金",
            "reference": "SUB-2026-000001",
            "legal_basis": "交付要綱",
            "recipient": {
                "company": company.name,
                "representative": "",
                "address": "",
                "corporate_number": "",
            },
        },
    )


def rounds_of_years(*years):
    return {
        year: round_create(name=f"{year}年度 人材育成支援補助金", fiscal_year=year)
        for year in years
    }


def payment_notice(application):
    return payment_letter_prepare(application, amount=50_000, paid_on="2026-11-30", by=None)


def printed(letter):
    return (letter.context["number_text"], letter.context["issued_on"])


def test_numbers_run_per_series_and_fiscal_year_of_issue(companies):
    company = companies[0]
    with time_machine.travel(SAME_DAY, tick=False):
        numbers = [
            prepare(company, company).number_text,
            prepare(company, company).number_text,
            prepare(company, company, programme="award").number_text,
        ]
    with time_machine.travel(LAST_OF_MARCH, tick=False):
        numbers.append(prepare(company, company).number_text)
    with time_machine.travel(FIRST_OF_APRIL, tick=False):
        numbers.append(prepare(company, company).number_text)
        numbers.append(prepare(company, company, programme="award").number_text)
    assert numbers == ["産人第1号", "産人第2号", "産表第1号", "産人第3号", "産人第1号", "産表第1号"]
    assert list(Letter.objects.order_by("pk").values_list("series", "fiscal_year")) == [
        ("産人", 2026),
        ("産人", 2026),
        ("産表", 2026),
        ("産人", 2026),
        ("産人", 2027),
        ("産表", 2027),
    ]


def test_letters_about_rounds_of_two_fiscal_years_never_share_number_and_date(reference, people):
    rounds = rounds_of_years(2025, 2026, 2027)
    about = {year: draft_create(round_, people.applicant) for year, round_ in rounds.items()}
    letters = []
    with time_machine.travel(SAME_DAY, tick=False):
        for _ in range(3):  # last year's round is paid while this year's rounds decide
            letters += [payment_notice(about[2025]), payment_notice(about[2026])]
    with time_machine.travel(FIRST_OF_APRIL, tick=False):
        for _ in range(2):
            letters += [payment_notice(about[2026]), payment_notice(about[2027])]

    duplicates = [key for key, n in Counter(map(printed, letters)).items() if n > 1]
    assert duplicates == []
    for letter in letters:
        assert letter.fiscal_year == fiscal_year_of(
            dt.date.fromisoformat(letter.context["issued_on"])
        )
    by_year = Counter(letter.fiscal_year for letter in letters)
    assert by_year == {2026: 6, 2027: 4}
    for year, count in by_year.items():
        numbers = sorted(letter.number for letter in letters if letter.fiscal_year == year)
        assert numbers == list(range(1, count + 1))


def test_regenerated_letter_keeps_its_number_date_and_fiscal_year(reference, people, run_on_commit):
    from letters.services import letter_regenerate

    application = draft_create(rounds_of_years(2026)[2026], people.applicant)
    with time_machine.travel(LAST_OF_MARCH, tick=False):
        original = run_on_commit(payment_notice, application)
    with time_machine.travel(FIRST_OF_APRIL, tick=False):
        again = run_on_commit(letter_regenerate, letter_id=original.pk, by=people.staff)
        fresh = run_on_commit(payment_notice, application)
    again.refresh_from_db()
    assert (again.series, again.fiscal_year, again.number, again.version) == ("産人", 2026, 1, 2)
    assert again.context["issued_on"] == "2027-03-31"
    assert again.number_text == "産人第1号（第2版）"
    assert (fresh.fiscal_year, fresh.number) == (2027, 1)


def test_database_refuses_a_second_letter_with_the_same_number(companies):
    first = prepare(companies[0], companies[0])
    duplicate = Letter(
        kind=first.kind,
        programme="award",  # another programme printing the same series is still a duplicate
        series=first.series,
        fiscal_year=first.fiscal_year,
        number=first.number,
        subject_type=first.subject_type,
        subject_id=first.subject_id,
        company=first.company,
        language="ja",
        context={},
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_rolled_back_letter_leaves_no_gap(companies):
    prepare(companies[0], companies[0])
    with pytest.raises(RuntimeError), transaction.atomic():
        prepare(companies[0], companies[0])
        raise RuntimeError("the decision failed after numbering its letter")
    assert prepare(companies[0], companies[0]).number == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_letters_about_two_fiscal_years_get_distinct_consecutive_numbers(
    reference, people
):
    rounds = rounds_of_years(2025, 2026)
    applications = [draft_create(rounds[2025 + index % 2], people.applicant) for index in range(20)]

    def issue(index):
        return payment_letter_prepare(
            applications[index], amount=50_000, paid_on="2026-11-30", by=None
        ).pk

    with time_machine.travel(SAME_DAY, tick=False):  # the clock is process-wide
        outcomes = run_concurrently(issue)

    assert [o for o in outcomes if isinstance(o, Exception)] == []
    letters = Letter.objects.filter(pk__in=outcomes)
    assert sorted(letters.values_list("number", flat=True)) == list(range(1, 21))
    assert set(letters.values_list("series", "fiscal_year")) == {("産人", 2026)}
    assert LetterSequence.objects.get(series="産人", fiscal_year=2026).last_number == 20
