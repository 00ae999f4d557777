"""The three programmes that return records for correction, driven through their services the
same way, for tests of the rules they share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from applications import services as applications
from awards import services as awards
from declarations import services as declarations
from fixtures.demo import draft_create
from tests.awards.helpers import award_round_create, submitted_self_nomination
from tests.declarations.helpers import draft_declaration

ITEMS = ["事業計画書に研修の目的を記載してください"]


@dataclass(frozen=True)
class Programme:
    name: str
    submitted: Callable[[Any, Any], Any]
    returned: Callable[..., Any]
    lapse: Callable[[int], Any]
    resubmit: Callable[..., Any]
    lapsed_notice: str
    api: str


def _application(request: Any, people: Any) -> Any:
    application = draft_create(request.getfixturevalue("subsidy_round"), people.applicant)
    return applications.application_submit(application_id=application.pk, by=people.applicant)


def _declaration(request: Any, people: Any) -> Any:
    declaration = draft_declaration(people.applicant)
    return declarations.declaration_submit(declaration_id=declaration.pk, by=people.applicant)


def _nomination(request: Any, people: Any) -> Any:
    return submitted_self_nomination(award_round_create(), people.applicant)


PROGRAMMES = [
    Programme(
        "subsidy",
        _application,
        lambda pk, by: applications.application_return_for_correction(
            application_id=pk, by=by, items=ITEMS
        ),
        lambda pk: applications.application_lapse(application_id=pk),
        lambda pk, by: applications.application_resubmit(application_id=pk, by=by, answer="追記"),
        "application_lapsed",
        "/api/applications/",
    ),
    Programme(
        "declaration",
        _declaration,
        lambda pk, by: declarations.declaration_return_for_correction(
            declaration_id=pk, by=by, items=ITEMS
        ),
        lambda pk: declarations.declaration_lapse(declaration_id=pk),
        lambda pk, by: declarations.declaration_resubmit(declaration_id=pk, by=by, answer="追記"),
        "declaration_lapsed",
        "/api/declarations/",
    ),
    Programme(
        "nomination",
        _nomination,
        lambda pk, by: awards.nomination_return_for_correction(
            nomination_id=pk, by=by, items=ITEMS
        ),
        lambda pk: awards.nomination_lapse(nomination_id=pk),
        lambda pk, by: awards.nomination_resubmit(nomination_id=pk, by=by, answer="追記"),
        "nomination_lapsed",
        "/api/nominations/",
    ),
]
