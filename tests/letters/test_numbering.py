"""Document numbers per programme and fiscal year: no gaps, no duplicates, even concurrently."""

import threading

import pytest
from django.db import connection, transaction

from letters.models import Letter
from letters.services import letter_prepare

pytestmark = pytest.mark.django_db


def prepare(company, subject, fiscal_year=2026, programme="subsidy"):
    return letter_prepare(
        kind="payment_notice",
        programme=programme,
        fiscal_year=fiscal_year,
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


def test_numbers_run_per_programme_and_fiscal_year(companies):
    numbers = [
        prepare(companies[0], companies[0]).number,
        prepare(companies[0], companies[0]).number,
        prepare(companies[0], companies[0], fiscal_year=2027).number,
        prepare(companies[0], companies[0], programme="award").number,
        prepare(companies[0], companies[0]).number,
    ]
    assert numbers == [1, 2, 1, 1, 3]


def test_rolled_back_letter_leaves_no_gap(companies):
    prepare(companies[0], companies[0])
    with pytest.raises(RuntimeError), transaction.atomic():
        prepare(companies[0], companies[0])
        raise RuntimeError("the decision failed after numbering its letter")
    assert prepare(companies[0], companies[0]).number == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_letters_get_distinct_consecutive_numbers(companies):
    barrier = threading.Barrier(20)
    errors = []

    def issue():
        try:
            barrier.wait()
            prepare(companies[0], companies[0])
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(Letter.objects.values_list("number", flat=True)) == list(range(1, 21))
