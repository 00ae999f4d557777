"""Staff check a submitted nomination: accept it for the committee, or return it for correction
(answered, or lapsing at the deadline); the nominator or nominee may withdraw it."""

import datetime as dt

import pytest
import time_machine

from audit.models import AuditEvent
from awards import services
from awards.exceptions import InvalidState, NotAllowed, PanelMissing, ValidationFailed
from awards.models import Nomination
from awards.selectors import open_correction
from core.dates import add_business_days, end_of_day_jst, today_jst
from letters.models import Letter
from notifications.models import Notification
from screening.models import ReviewItem
from tests.written import day_written

from .helpers import panel_create, submitted_self_nomination, third_party_nomination

pytestmark = pytest.mark.django_db
S = Nomination.Status
ITEMS = ["取組の成果を示す資料（研修受講実績の一覧）を添付してください。"]


def status_of(nomination):
    nomination.refresh_from_db()
    return nomination.status


@pytest.fixture
def submitted(award_round, people):
    return submitted_self_nomination(award_round, people.applicant)


@pytest.fixture
def submitted_by_third_party(award_round, people, companies):
    nomination = third_party_nomination(award_round, people.other_applicant, companies[0])
    services.nomination_consent_record(nomination_id=nomination.pk, by=people.applicant)
    return services.nomination_submit(nomination_id=nomination.pk, by=people.other_applicant)


# --- acceptance ----------------------------------------------------------------------------


def test_accept_puts_the_nomination_before_the_rounds_committee(
    award_round, people, reviewers, submitted
):
    panel = panel_create(award_round, people, reviewers)

    services.nomination_accept_documents(nomination_id=submitted.pk, by=people.staff)

    assert status_of(submitted) == S.IN_REVIEW
    item = ReviewItem.objects.get()
    assert item.panel == panel
    assert item.subject == submitted
    assert item.company == submitted.company
    assert submitted.reference in item.label


def test_accept_without_a_committee_is_refused_and_changes_nothing(award_round, people, submitted):
    with pytest.raises(PanelMissing) as refused:
        services.nomination_accept_documents(nomination_id=submitted.pk, by=people.staff)

    assert refused.value.code == "panel_missing"
    assert award_round.name in str(refused.value.message)
    assert status_of(submitted) == S.SUBMITTED
    assert not AuditEvent.objects.filter(action="accept_documents").exists()


def test_accept_is_for_staff_only(award_round, people, reviewers, submitted):
    panel_create(award_round, people, reviewers)
    with pytest.raises(NotAllowed):
        services.nomination_accept_documents(nomination_id=submitted.pk, by=people.applicant)
    assert status_of(submitted) == S.SUBMITTED
    assert not ReviewItem.objects.exists()


# --- return for correction -----------------------------------------------------------------


def test_return_sets_a_business_day_deadline_and_tells_both_parties(
    award_round, people, submitted_by_third_party
):
    nomination = submitted_by_third_party

    correction = services.nomination_return_for_correction(
        nomination_id=nomination.pk, by=people.staff, items=ITEMS, message="ご確認ください。"
    )

    assert status_of(nomination) == S.RETURNED
    assert correction.deadline == add_business_days(today_jst(), 10)
    assert open_correction(nomination) == correction
    letter = Letter.objects.get(subject_type="awards.nomination", subject_id=str(nomination.pk))
    assert letter.kind == Letter.Kind.CORRECTION
    assert letter.programme == "award"
    assert letter.number_text == "産表第1号"
    assert letter.company == nomination.nominating_company  # the nominator corrects
    assert letter.context["items"] == ITEMS
    assert letter.context["deadline"] == correction.deadline.isoformat()
    notified = Notification.objects.filter(kind="nomination_returned")
    assert set(notified.values_list("recipient__username", flat=True)) == {
        "applicant",
        "colleague",
        "other",
    }
    assert all(notification.legally_required for notification in notified)
    notice = notified.get(recipient=people.other_applicant)
    assert day_written(correction.deadline, notice.language) in notice.body


def test_resubmit_answers_the_correction(award_round, people, submitted):
    services.nomination_return_for_correction(
        nomination_id=submitted.pk, by=people.staff, items=ITEMS
    )
    services.nomination_update(
        nomination_id=submitted.pk, by=people.applicant, achievements="受講実績一覧を追記"
    )

    services.nomination_resubmit(
        nomination_id=submitted.pk, by=people.applicant, answer="一覧を追記しました。"
    )

    assert status_of(submitted) == S.SUBMITTED
    correction = submitted.correction_requests.get()
    assert correction.answer == "一覧を追記しました。"
    assert correction.answered_at is not None
    assert open_correction(submitted) is None


def test_return_needs_an_item(people, submitted):
    with pytest.raises(ValidationFailed) as refused:
        services.nomination_return_for_correction(
            nomination_id=submitted.pk, by=people.staff, items=["  "]
        )
    assert refused.value.field == "items"
    assert status_of(submitted) == S.SUBMITTED


def test_lapse_only_after_the_deadline_and_only_once(people, submitted):
    correction = services.nomination_return_for_correction(
        nomination_id=submitted.pk, by=people.staff, items=ITEMS
    )

    with pytest.raises(InvalidState):
        services.nomination_lapse(nomination_id=submitted.pk)
    assert status_of(submitted) == S.RETURNED

    after = end_of_day_jst(correction.deadline) + dt.timedelta(seconds=1)
    with time_machine.travel(after, tick=False):
        services.nomination_lapse(nomination_id=submitted.pk)
        services.nomination_lapse(nomination_id=submitted.pk)  # a redelivered timer

    assert status_of(submitted) == S.LAPSED
    assert AuditEvent.objects.filter(action="lapse", subject_id=str(submitted.pk)).count() == 1
    assert Notification.objects.filter(kind="nomination_lapsed", recipient=people.applicant)


# --- withdrawal ----------------------------------------------------------------------------


def test_nominee_member_may_withdraw_a_third_party_nomination_in_review(
    award_round, people, reviewers, submitted_by_third_party
):
    nomination = submitted_by_third_party
    panel_create(award_round, people, reviewers)
    services.nomination_accept_documents(nomination_id=nomination.pk, by=people.staff)

    services.nomination_withdraw(nomination_id=nomination.pk, by=people.colleague, reason="辞退")

    assert status_of(nomination) == S.WITHDRAWN
    assert Notification.objects.filter(
        kind="nomination_withdrawn", recipient=people.other_applicant
    ).exists()


def test_staff_cannot_withdraw_a_nomination(people, submitted):
    with pytest.raises(NotAllowed):
        services.nomination_withdraw(nomination_id=submitted.pk, by=people.staff)
    assert status_of(submitted) == S.SUBMITTED
