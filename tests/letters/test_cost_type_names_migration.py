"""Letters stored before cost types were named get the names, so a reprint shows no code."""

import importlib

import pytest
from django.apps import apps

from letters.models import Letter
from letters.rendering import LetterContextError, letter_pdf
from tests.letters.contexts import COMPUTATION, RULES, base
from tests.letters.test_no_codes_printed import pdf_text

pytestmark = pytest.mark.django_db

migration = importlib.import_module("applications.migrations.0007_letter_cost_type_names")


def test_migration_names_the_excluded_cost_types_of_stored_letters(reference, companies):
    excluded = [
        {key: value for key, value in line.items() if key != "cost_type_name"}
        for line in COMPUTATION["excluded"]
    ]
    context = {
        **base(),
        **RULES,
        "amount": 390_000,
        "decided_amount": 400_000,
        "computation": {**COMPUTATION, "excluded": excluded},
    }
    letter = Letter.objects.create(
        kind="amount_confirmation",
        programme="subsidy",
        series="産人",
        fiscal_year=2026,
        number=1,
        subject_type="applications.application",
        subject_id="1",
        company=companies[0],
        language="ja",
        context=context,
    )

    with pytest.raises(LetterContextError, match="cost_type_name"):  # never prints "travel"
        letter_pdf(letter.kind, "ja", letter.context)

    migration.names_add(apps, None)

    letter.refresh_from_db()
    line = letter.context["computation"]["excluded"][0]
    assert line["cost_type"] == "travel"
    assert line["cost_type_name"] == {"ja": "旅費", "en": "Travel"}
    text = pdf_text(letter_pdf(letter.kind, "ja", letter.context))
    assert "旅費" in text and "travel" not in text
