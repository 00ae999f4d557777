"""Award records built through the services, as the users would."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from applications import services as app
from applications.models import Application
from awards import services
from awards.models import AwardRound, Nomination
from fixtures.demo import actual_costs_as_planned, draft_create, round_create
from fixtures.documents import pdf_file

SUMMARY = (
    "全従業員を対象に生成AI業務活用講座を受講させ、受発注業務を内製のアプリに移行した。"
    "現場主導で改善提案を続け、残業時間を月15時間から10時間未満に削減した。"
)
ACHIEVEMENTS = "不良率6%低減、売上8%増。"


def award_round_create(**overrides: Any) -> AwardRound:
    now = timezone.now()
    values = {
        "name": "令和8年度 リスキリング先進企業表彰",
        "fiscal_year": 2026,
        "nominations_open": now - dt.timedelta(days=10),
        "nominations_close": now + dt.timedelta(days=30),
        "ceremony_date": dt.date(2027, 2, 15),
        **overrides,
    }
    return AwardRound.objects.create(**values)


def completed_application(applicant: Any, people: Any, **round_overrides: Any) -> Application:
    """A subsidy of the applicant's company walked to 額の確定 through the services."""
    round_ = round_create(**round_overrides)
    application = draft_create(round_, applicant)
    pk = application.pk
    app.application_submit(application_id=pk, by=applicant)
    app.application_accept_documents(application_id=pk, by=people.staff)
    with transaction.atomic():
        locked = app.lock_application(pk)
        app.application_record_screening(
            locked, by=people.staff, data={"eligible": True, "reason": "要件を満たす"}
        )
    app.grant_decide(application_id=pk, by=people.approver, approve=True)
    app.document_upload(
        application_id=pk,
        document_type="completion_certificate",
        by=applicant,
        file=pdf_file("certificate.pdf", "certificate"),
    )
    app.results_report(application_id=pk, by=applicant, costs=actual_costs_as_planned(application))
    app.results_check(application_id=pk, by=people.staff2, accept=True)
    app.amount_confirm(
        application_id=pk,
        by=people.approver,
        expected_amount=app.amount_to_confirm(Application.objects.get(pk=pk)),
    )
    return Application.objects.get(pk=pk)


def self_nomination(round_: AwardRound, member: Any, **fields: Any) -> Nomination:
    values = {"summary": SUMMARY, "achievements": ACHIEVEMENTS, **fields}
    return services.nomination_create(
        round_id=round_.pk, by=member, nominator_kind=Nomination.NominatorKind.SELF, **values
    )


def submitted_self_nomination(round_: AwardRound, member: Any, **fields: Any) -> Nomination:
    nomination = self_nomination(round_, member, **fields)
    return services.nomination_submit(nomination_id=nomination.pk, by=member)


def third_party_nomination(
    round_: AwardRound, nominator: Any, nominee_company: Any, **fields: Any
) -> Nomination:
    values = {
        "nominator_kind": Nomination.NominatorKind.CHAMBER,
        "nominator_organisation": "水戸商工会議所",
        "summary": SUMMARY,
        **fields,
    }
    return services.nomination_create(
        round_id=round_.pk, by=nominator, company_id=nominee_company.pk, **values
    )


# --- the committee, through the screening services -----------------------------------------


def panel_create(round_: AwardRound, people: Any, reviewers: list[Any], *, quota: int = 1) -> Any:
    """The round's committee: four reviewers who all score every nomination; staff2 chairs."""
    from screening import committee
    from screening.models import Criterion, Rubric

    rubric = Rubric.objects.create(name="リスキリング先進企業表彰 審査基準")
    Criterion.objects.create(
        rubric=rubric, code="initiative", label_ja="取組の先進性", label_en="Initiative", weight=1
    )
    Criterion.objects.create(
        rubric=rubric, code="results", label_ja="成果", label_en="Results", weight=1
    )
    return committee.panel_create(
        round=round_,
        name="令和8年度 リスキリング先進企業表彰 審査委員会",
        rubric=rubric,
        reviewers=reviewers[:4],
        reviewers_per_item=4,
        review_deadline=timezone.now() + dt.timedelta(days=14),
        chair=people.staff2,
        quota=quota,
        by=people.staff,
    )


def committee_scores(nomination: Nomination, score: int) -> None:
    """Every assigned reviewer gives the nomination the same score on each criterion."""
    from screening import committee
    from screening.selectors import review_item_for

    item = review_item_for(nomination)
    for assignment in committee.reviewers_assign(item_id=item.pk):
        committee.scores_submit(
            assignment_id=assignment.pk,
            by=assignment.reviewer,
            scores={"initiative": score, "results": score},
        )


def approved_decision(panel: Any, people: Any, selected: list[Nomination], *, approve=True):
    """The chair selects ``selected``; an approver who reviewed nothing approves it."""
    from screening import committee
    from screening.selectors import review_item_for

    decision = committee.committee_decide(
        panel_id=panel.pk,
        by=people.staff2,
        selected_item_ids=[review_item_for(nomination).pk for nomination in selected],
        rationale="審査基準に基づく評点の順位のとおり選定する。",
        departures={},
    )
    if approve:
        committee.committee_approve(decision_id=decision.pk, by=people.approver, approve=True)
    decision.refresh_from_db()
    return decision
