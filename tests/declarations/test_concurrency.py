"""Concurrent submissions and registrations, on PostgreSQL with real threads and connections."""

from collections import Counter

import pytest

from accounts.models import Company
from core.roles import Role
from declarations import services
from declarations.models import Declaration
from fixtures.demo import user_create
from tests.concurrency import THREADS, run_concurrently

from .helpers import draft_declaration

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_submissions_of_one_company_leave_one_active(people):
    drafts = [draft_declaration(people.applicant) for _ in range(THREADS)]

    outcomes = run_concurrently(
        lambda i: services.declaration_submit(declaration_id=drafts[i].pk, by=people.applicant)
    )

    names = Counter(type(outcome).__name__ for outcome in outcomes)
    assert names == {"Declaration": 1, "DeclarationActive": THREADS - 1}, names
    assert Declaration.objects.filter(status__in=Declaration.ACTIVE).count() == 1


def test_concurrent_registrations_get_distinct_consecutive_numbers(people):
    members = [
        user_create(f"member{i}", Role.APPLICANT, Company.objects.create(name=f"会社{i}"))
        for i in range(THREADS)
    ]
    declarations = [draft_declaration(member) for member in members]
    for declaration, member in zip(declarations, members, strict=True):
        services.declaration_submit(declaration_id=declaration.pk, by=member)

    outcomes = run_concurrently(
        lambda i: services.declaration_register(declaration_id=declarations[i].pk, by=people.staff)
    )

    assert all(isinstance(outcome, Declaration) for outcome in outcomes), outcomes
    numbers = sorted(outcome.registration_number for outcome in outcomes)
    year = numbers[0].split("-")[0]
    assert numbers == [f"{year}-{n:04d}" for n in range(1, THREADS + 1)]
