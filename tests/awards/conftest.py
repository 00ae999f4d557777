import pytest

from core.roles import Role
from fixtures.demo import user_create

from .helpers import award_round_create, completed_application


@pytest.fixture
def award_round(db):
    return award_round_create()


@pytest.fixture
def completed(reference, people):
    """A subsidy of companies[0] whose amount is confirmed (額の確定)."""
    return completed_application(people.applicant, people)


@pytest.fixture
def outsider(companies):
    """A member of companies[2], party to nothing in these tests."""
    return user_create("outsider", Role.APPLICANT, companies[2])
