"""Records walked through their whole lifecycle by the services, as the users would, with every
after-commit effect run (letters rendered, audit events sealed into the chain)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from audit.chain import events_seal
from awards import services as award_services
from core.dates import today_jst
from declarations import services as declaration_services
from fixtures.demo import advance, draft_create
from fixtures.documents import pdf_file
from screening import committee
from screening.models import Criterion, ReviewAssignment, Rubric
from screening.selectors import review_item_for
from tests.awards.helpers import award_round_create, self_nomination
from workflows import services as wf
from workflows import steps
from workflows.flows import CommitteeFlow, DeclarationFlow, NominationFlow

from .helpers import ORIGINATOR, RECUSAL_REASON


@pytest.fixture(autouse=True)
def _originator(settings):
    settings.KOFU_ORIGINATOR = ORIGINATOR


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a function the way a committed request would, after-commit callbacks included."""

    def run(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = func(*args, **kwargs)
        # The sealer registered by events written before (the fixtures' users) is not among
        # the callbacks captured here; seal now as it would have after those commits.
        events_seal()
        return result

    return run


@pytest.fixture
def paid(subsidy_round, people, committed):
    """An application of companies[0] walked from draft to paid by bank transfer."""

    def walk():
        application = draft_create(subsidy_round, people.applicant)
        return advance(application, "paid", vars(people))

    return committed(walk)


def _committee_round(people, reviewers):
    round_ = award_round_create()
    rubric = Rubric.objects.create(name="審査基準", scale_min=1, scale_max=5)
    for order, (code, label) in enumerate([("initiative", "取組の先進性"), ("results", "成果")]):
        Criterion.objects.create(
            rubric=rubric, code=code, label_ja=label, label_en=code, weight=1, order=order
        )
    panel = committee.panel_create(
        round=round_,
        name="審査委員会",
        rubric=rubric,
        reviewers=reviewers,
        reviewers_per_item=3,
        review_deadline=timezone.now() + dt.timedelta(days=14),
        chair=people.staff2,
        quota=1,
        by=people.staff,
    )
    return round_, panel


@pytest.fixture
def commended(people, reviewers, committed):
    """A self-nomination of companies[0] with one document, reviewed by a committee where the
    first reviewer recused (and was replaced), selected, approved and commended."""

    def walk():
        round_, panel = _committee_round(people, reviewers)
        nomination = self_nomination(round_, people.applicant)
        award_services.document_upload(
            nomination_id=nomination.pk,
            by=people.applicant,
            file=pdf_file("summary.pdf", "summary"),
            description="取組の概要",
        )
        wf.nomination_process_submit(nomination_id=nomination.pk, by=people.applicant)
        wf.step_complete(
            application_id=nomination.pk,
            step=steps.CHECK_NOMINATION,
            by=people.staff,
            data={"accept": True},
            flow_class=NominationFlow,
        )
        item = review_item_for(nomination)
        recused = item.assignments.order_by("pk").first()
        committee.assignment_recuse(
            assignment_id=recused.pk, by=recused.reviewer, reason=RECUSAL_REASON
        )
        for value, assignment in enumerate(
            item.assignments.filter(status=ReviewAssignment.Status.ASSIGNED).order_by("pk"), 3
        ):
            committee.scores_submit(
                assignment_id=assignment.pk,
                by=assignment.reviewer,
                scores={"initiative": value, "results": 5},
                comment=f"評価{value}",
            )
        wf.committee_process_start(panel_id=panel.pk, by=people.staff)
        decision = {"selected_item_ids": [item.pk], "rationale": "評点順", "departures": {}}
        wf.step_complete(
            application_id=panel.pk,
            step=steps.RECORD_DECISION,
            by=people.staff2,
            data=decision,
            flow_class=CommitteeFlow,
        )
        wf.step_complete(
            application_id=panel.pk,
            step=steps.APPROVE_DECISION,
            by=people.approver,
            data={"approve": True, "note": "選定理由を確認した"},
            flow_class=CommitteeFlow,
        )
        wf.step_complete(
            application_id=nomination.pk,
            step=steps.COMMEND,
            by=people.staff,
            data={"commended_on": today_jst()},
            flow_class=NominationFlow,
        )
        nomination.refresh_from_db()
        return SimpleNamespace(nomination=nomination, item=item, recused=recused, panel=panel)

    return committed(walk)


@pytest.fixture
def registered(people, committed):
    """A declaration of companies[0], submitted and registered by programme staff."""

    def walk():
        today = today_jst()
        declaration = declaration_services.declaration_create(
            by=people.applicant,
            goals="全社員のデジタル基礎研修修了率100%",
            measures="資格取得支援制度を整備する",
            responsible_name="人事 太郎",
            period_start=today - dt.timedelta(days=30),
            period_end=today + dt.timedelta(days=730),
            publish_consent=True,
        )
        wf.declaration_process_submit(declaration_id=declaration.pk, by=people.applicant)
        wf.step_complete(
            application_id=declaration.pk,
            step=steps.CHECK_DECLARATION,
            by=people.staff,
            data={"accept": True},
            flow_class=DeclarationFlow,
        )
        declaration.refresh_from_db()
        return declaration

    return committed(walk)
