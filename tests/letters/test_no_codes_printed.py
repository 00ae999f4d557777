"""No letter prints a code (exam_fee, cost_type_not_eligible, …) where its label belongs: every
kind of letter of every programme, as the services build them, rendered in Japanese and English."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace

import pytest
from pypdf import PdfReader

from accounts.models import Company
from applications import services as app
from applications.models import Application
from awards import services as awards
from awards.models import AwardRound, Nomination
from core.roles import Role
from declarations import services as declarations
from declarations.models import Declaration
from fixtures.demo import actual_costs_as_planned, demo_load, user_create
from fixtures.documents import pdf_file
from letters.models import Letter
from letters.rendering import letter_pdf

pytestmark = pytest.mark.django_db

SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
CODE = re.compile(r"[a-z]+(?:_[a-z0-9]+)*")
LANGUAGES = ("ja", "en")
EXPECTED_NAMES = {
    "ja": ["受験料", "旅費", "補助対象外の経費区分", "交付決定日前に発生した経費", "講座未修了"],
    "en": ["Examination fee", "Travel", "cost type not eligible", "course not completed"],
}


def codes_in(value: object) -> set[str]:
    """The code-like strings (exam_fee, travel, …) anywhere in a letter's stored context."""
    if isinstance(value, dict):
        return set().union(*(codes_in(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(codes_in(item) for item in value))
    return {value} if isinstance(value, str) and CODE.fullmatch(value) else set()


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _non_grant(staff_approver) -> None:
    pending = Application.objects.filter(status="decision_pending").first()
    app.grant_decide(
        application_id=pending.pk,
        by=staff_approver,
        approve=False,
        reason="研修内容が補助対象の要件を満たさないため",
    )


def _amount_confirmation_with_exclusions(users) -> None:
    """額の確定 where costs are excluded for each reason: a failed exam, a cost type the round
    does not fund, a cost dated before the grant decision."""
    granted = Application.objects.filter(status="granted").first()
    applicant = granted.created_by
    app.document_upload(
        application_id=granted.pk,
        document_type="completion_certificate",
        by=applicant,
        file=pdf_file("certificate.pdf", "certificate"),
    )
    costs = actual_costs_as_planned(granted, not_completed=lambda line: True)
    first = costs[0]
    costs += [
        replace(first, cost_type="travel", amount=12_000, completed=True),
        replace(
            first,
            cost_type="tuition",
            amount=30_000,
            completed=True,
            incurred_on=granted.decided_on - dt.timedelta(days=3),
        ),
    ]
    app.results_report(application_id=granted.pk, by=applicant, costs=costs)
    app.results_check(application_id=granted.pk, by=users.get(username="staff2"), accept=True)
    granted.refresh_from_db()
    app.amount_confirm(
        application_id=granted.pk,
        by=users.get(username="approver"),
        expected_amount=app.amount_to_confirm(granted),
    )


def _declaration_correction(staff) -> None:
    submitted = Declaration.objects.filter(status="submitted").first()
    declarations.declaration_return_for_correction(
        declaration_id=submitted.pk, by=staff, items=["取組目標を具体的に記載してください"]
    )


def _award_correction(staff) -> None:
    round_ = AwardRound.objects.get(fiscal_year=2026)
    nominee = Company.objects.create(name="株式会社水戸テスト", representative="代表 太郎")
    member = user_create("nominee", Role.APPLICANT, nominee)
    nomination = awards.nomination_create(
        round_id=round_.pk,
        by=member,
        nominator_kind=Nomination.NominatorKind.SELF,
        summary="全従業員を対象に生成AI業務活用講座を受講させた。",
        achievements="不良率6%低減。",
    )
    awards.nomination_submit(nomination_id=nomination.pk, by=member)
    awards.nomination_return_for_correction(
        nomination_id=nomination.pk, by=staff, items=["推薦理由を記載してください"]
    )


@pytest.fixture
def every_letter(db):
    """The demo's letters, plus the kinds the demo has no example of."""
    from django.contrib.auth import get_user_model

    demo_load()
    users = get_user_model().objects
    _non_grant(users.get(username="approver"))
    _amount_confirmation_with_exclusions(users)
    _declaration_correction(users.get(username="staff"))
    _award_correction(users.get(username="staff"))
    return list(Letter.objects.order_by("pk"))


def test_every_kind_of_letter_is_covered(every_letter):
    kinds = {letter.kind for letter in every_letter}
    assert kinds == set(Letter.Kind.values)
    corrections = {letter.programme for letter in every_letter if letter.kind == "correction"}
    assert corrections == {"subsidy", "award", "declaration"}
    revocations = [letter for letter in every_letter if letter.kind == "revocation"]
    assert any("repayment_amount" in letter.context for letter in revocations)
    reasons = {
        line["reason"]
        for letter in every_letter
        if letter.kind == "amount_confirmation"
        for line in letter.context["computation"]["excluded"]
    }
    assert len(reasons) == 3


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_letter_prints_a_code(every_letter, language):
    printed = {}
    texts = {}
    for letter in every_letter:
        text = texts[letter.pk] = pdf_text(letter_pdf(letter.kind, language, letter.context))
        codes = set(SNAKE_CASE.findall(text))
        if language == "ja":  # a Japanese letter shows no code at all, snake_case or not
            words = set(re.findall(r"[A-Za-z0-9_]+", text))
            codes |= codes_in(letter.context) & words
        codes = sorted(codes)
        if codes:
            printed[f"{letter.programme} {letter.kind} #{letter.pk}"] = codes
    assert printed == {}
    with_exclusions = next(
        letter
        for letter in every_letter
        if letter.kind == "amount_confirmation" and letter.context["computation"]["excluded"]
    )
    names = EXPECTED_NAMES[language]
    assert all(name in texts[with_exclusions.pk] for name in names), names
    declaration_correction = next(
        letter
        for letter in every_letter
        if letter.programme == "declaration" and letter.kind == "correction"
    )
    text = texts[declaration_correction.pk].replace("\n", " ")
    assert ("リスキリング推進宣言制度" in text) == (language == "ja")  # the name in its language
