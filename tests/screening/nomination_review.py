"""An award nomination before its committee, for the review page's tests (here and in
tests/browser/): ひたちテック's self-nomination with a document, citing its paid subsidy whose
outcome report it has sent, on a rubric whose scores 1, 3 and 5 have descriptors; reviewers 1
and 2 are assigned to it. Built through the services, as the people involved would."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from applications.models import Application, OutcomeMeasure
from awards import services as award_services
from awards.models import Nomination
from fixtures.demo import advance, draft_create, round_create
from fixtures.documents import pdf_file
from outcomes import services as outcome_services
from outcomes.models import OutcomeReport
from screening import committee
from screening.models import Criterion, Descriptor, ReviewAssignment, Rubric
from screening.selectors import review_item_for
from tests.awards.helpers import award_round_create, self_nomination

MEASURES = ["overtime_hours", "annual_sales", "qualifications"]
REPORTED = {"overtime_hours": "18.5", "annual_sales": "520000000", "qualifications": "7"}
CRITERIA = {"strategy": "経営戦略", "results": "成果"}
DESCRIPTORS = {
    "strategy": ["経営戦略との関係が見られない", "", "一部が経営課題に沿う", "", "戦略と一体"],
    "results": ["成果が示されていない", "", "定性的な成果", "", "数値で明確な生産性向上"],
}
DOCUMENT = "取組紹介.pdf"
DOCUMENT_DESCRIPTION = "社内研修の実施記録"


def award_rubric_create() -> Rubric:
    """Two criteria on 1–5; scores 1, 3 and 5 described, 2 and 4 left between them."""
    rubric = Rubric.objects.create(name="リスキリング先進企業表彰 審査基準")
    for order, (code, label_ja) in enumerate(CRITERIA.items()):
        criterion = Criterion.objects.create(
            rubric=rubric, code=code, label_ja=label_ja, label_en=code, weight=1, order=order
        )
        for score, text in enumerate(DESCRIPTORS[code], start=1):
            if text:
                Descriptor.objects.create(
                    criterion=criterion, score=score, text_ja=text, text_en=f"{code} {score}"
                )
    return rubric


def paid_subsidy_create(people: Any, run_on_commit: Any) -> Application:
    """ひたちテック's subsidy, paid, whose outcome report the company has submitted."""
    round_ = round_create()
    round_.outcome_measures.set(OutcomeMeasure.objects.filter(code__in=MEASURES))
    application = run_on_commit(
        advance, draft_create(round_, people.applicant), "paid", vars(people)
    )
    report = OutcomeReport.objects.get(application=application)
    outcome_services.outcome_report_submit(
        report_id=report.pk, values=REPORTED, by=people.applicant
    )
    return application


def nomination_before_committee(people: Any, reviewers: list[Any], cite: Application) -> Nomination:
    """The nomination citing ``cite``, with its document, accepted for the round's committee
    (reviewers 1–4, two per item): reviewers 1 and 2 are assigned to it."""
    round_ = award_round_create()
    committee.panel_create(
        round=round_,
        name="令和8年度 表彰審査委員会",
        rubric=award_rubric_create(),
        reviewers=reviewers[:4],
        reviewers_per_item=2,
        review_deadline=timezone.now() + dt.timedelta(days=14),
        chair=people.staff2,
        quota=1,
        by=people.staff,
    )
    nomination = self_nomination(round_, people.applicant)
    award_services.nomination_cite_applications(
        nomination_id=nomination.pk, by=people.applicant, application_ids=[cite.pk]
    )
    award_services.document_upload(
        nomination_id=nomination.pk,
        by=people.applicant,
        file=pdf_file(DOCUMENT, "activities"),
        description=DOCUMENT_DESCRIPTION,
    )
    award_services.nomination_submit(nomination_id=nomination.pk, by=people.applicant)
    award_services.nomination_accept_documents(nomination_id=nomination.pk, by=people.staff)
    committee.reviewers_assign(item_id=review_item_for(nomination).pk)
    return Nomination.objects.get(pk=nomination.pk)


def assignment_of(nomination: Nomination, reviewer: Any) -> ReviewAssignment:
    return review_item_for(nomination).assignments.get(reviewer=reviewer)
