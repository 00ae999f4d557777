"""Historical records built directly (not through the services), with the dates a test needs."""

from __future__ import annotations

import datetime as dt
from itertools import count

from applications.models import Application, CostType, SubsidyRound, TrainingLine
from awards.models import AwardRound, Nomination
from core.dates import JST, fiscal_year_of
from declarations.models import Declaration
from payments.models import Payment

_numbers = count(1)


def jst(year, month, day, hour=10, minute=0, second=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=JST)


def days(start: dt.datetime, *steps: float) -> list[dt.datetime]:
    """Milestones: ``start``, then each step (days) after the previous one."""
    moments = [start]
    for step in steps:
        moments.append(moments[-1] + dt.timedelta(days=step))
    return moments


def subsidy_round(fiscal_year=2025, budget=10_000_000, deadline=dt.date(2026, 2, 27), name=None):
    return SubsidyRound.objects.create(
        name=name or f"{fiscal_year}年度 人材育成支援補助金",
        fiscal_year=fiscal_year,
        opens_at=jst(fiscal_year, 5, 1),
        closes_at=jst(fiscal_year, 6, 30),
        budget=budget,
        cap_per_trainee=100_000,
        cap_per_company=500_000,
        results_report_deadline=deadline,
    )


def application(round_, company, user, status, *, trainees=(), **fields) -> Application:
    """An application as the KPIs see it; a paid one has its payment in the ledger."""
    created = Application.objects.create(
        round=round_, company=company, created_by=user, status=status, **fields
    )
    if status == "paid":
        Payment.objects.create(
            application=created, amount=created.confirmed_amount, released_by=user
        )
    tuition = CostType.objects.get(code="tuition")
    for name in trainees:
        TrainingLine.objects.create(
            application=created,
            trainee_name=name,
            course_name="生成AI業務活用講座",
            provider="いばらきデジタルアカデミー",
            start_date=dt.date(round_.fiscal_year, 8, 1),
            end_date=dt.date(round_.fiscal_year, 9, 1),
            cost_type=tuition,
            amount=180_000,
        )
    return created


def paid_application(round_, company, user, trainees, paid_at, amount=300_000) -> Application:
    return application(
        round_,
        company,
        user,
        "paid",
        trainees=trainees,
        submitted_at=paid_at - dt.timedelta(days=200),
        decided_amount=amount,
        confirmed_amount=amount,
        paid_at=paid_at,
    )


def declaration(company, user, status, registered_at=None, submitted_at=None) -> Declaration:
    number = next(_numbers)
    registered = registered_at is not None
    return Declaration.objects.create(
        company=company,
        created_by=user,
        status=status,
        goals="目標",
        measures="取組",
        responsible_name="人事 太郎",
        period_start=dt.date(2023, 4, 1),
        period_end=dt.date(2026, 3, 31),
        submitted_at=submitted_at or registered_at,
        registered_at=registered_at,
        registration_number=f"T-{number:04d}" if registered else None,
        fiscal_year=fiscal_year_of(registered_at.astimezone(JST).date()) if registered else None,
    )


def award_round(fiscal_year) -> AwardRound:
    return AwardRound.objects.create(
        name=f"{fiscal_year}年度 表彰",
        fiscal_year=fiscal_year,
        nominations_open=jst(fiscal_year, 7, 1),
        nominations_close=jst(fiscal_year, 9, 30),
    )


def nomination(round_, company, user, status) -> Nomination:
    return Nomination.objects.create(
        round=round_,
        company=company,
        nominating_company=company,
        nominated_by=user,
        nominator_kind=Nomination.NominatorKind.SELF,
        status=status,
    )
