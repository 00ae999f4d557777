"""After the committee's decision is approved, each nomination in review is selected or not,
with its notice and notifications; staff then commend the selected with a certificate."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from audit.models import AuditEvent
from audit.transitions import transition_fire
from awards import services
from awards.exceptions import DecisionNotApplicable, InvalidState, NotAllowed
from awards.models import Nomination
from core.roles import Role
from letters.models import Letter
from notifications.models import Notification

from .helpers import (
    approved_decision,
    award_round_create,
    committee_scores,
    panel_create,
    submitted_self_nomination,
    third_party_nomination,
)

pytestmark = pytest.mark.django_db
S = Nomination.Status


def letters_of(nomination, kind=None):
    found = Letter.objects.filter(subject_type="awards.nomination", subject_id=str(nomination.pk))
    return found.filter(kind=kind) if kind else found


def recipients(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def pdf_text(letter):
    letter.refresh_from_db()
    with letter.file.open("rb") as handle:
        data = handle.read()
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace(
        "\n", ""
    )


@pytest.fixture
def in_review(award_round, people, companies, reviewers):
    """Two nominations before a one-place committee that scored ひたちテック higher."""
    panel = panel_create(award_round, people, reviewers, quota=1)
    hitachi = third_party_nomination(award_round, people.other_applicant, companies[0])
    services.nomination_consent_record(nomination_id=hitachi.pk, by=people.applicant)
    services.nomination_submit(nomination_id=hitachi.pk, by=people.other_applicant)
    tsukuba = submitted_self_nomination(award_round, people.other_applicant)
    for nomination in (hitachi, tsukuba):
        services.nomination_accept_documents(nomination_id=nomination.pk, by=people.staff)
    committee_scores(hitachi, 5)
    committee_scores(tsukuba, 2)
    return panel, hitachi, tsukuba


def test_conclude_selects_and_not_selects_per_the_approved_decision(
    award_round, people, in_review, run_on_commit
):
    panel, hitachi, tsukuba = in_review
    decision = approved_decision(panel, people, [hitachi])

    concluded = run_on_commit(
        services.nominations_conclude, round_id=award_round.pk, decision_id=decision.pk
    )

    assert {nomination.pk for nomination in concluded} == {hitachi.pk, tsukuba.pk}
    hitachi.refresh_from_db()
    tsukuba.refresh_from_db()
    assert hitachi.status == S.SELECTED
    assert tsukuba.status == S.NOT_SELECTED
    assert hitachi.concluded_on is not None
    selected_letter = letters_of(hitachi).get()
    assert selected_letter.kind == Letter.Kind.AWARD_SELECTED
    assert selected_letter.programme == "award"
    assert selected_letter.company == hitachi.company  # to the nominee, not the nominator
    assert letters_of(tsukuba).get().kind == Letter.Kind.AWARD_NOT_SELECTED
    text = pdf_text(selected_letter)
    assert "リスキリング先進企業表彰選定通知書" in text
    assert "水戸商工会議所から推薦のあった" in text
    assert "株式会社ひたちテック" in text
    # the nominee's members and the nominating organisation's members hear of it
    assert recipients("award_selected") == {"applicant", "colleague", "other"}
    assert recipients("award_not_selected") == {"other"}
    assert Notification.objects.filter(kind="award_selected").first().legally_required
    event = AuditEvent.objects.get(action="select", subject_id=str(hitachi.pk))
    assert event.actor is None
    assert event.data["decision_id"] == decision.pk


def test_conclude_twice_concludes_nothing_twice(award_round, people, in_review):
    panel, hitachi, _tsukuba = in_review
    decision = approved_decision(panel, people, [hitachi])
    services.nominations_conclude(round_id=award_round.pk, decision_id=decision.pk)

    again = services.nominations_conclude(round_id=award_round.pk, decision_id=decision.pk)

    assert again == []
    assert Letter.objects.filter(programme="award").count() == 2
    assert AuditEvent.objects.filter(action__in=["select", "not_select"]).count() == 2


def test_conclude_before_approval_is_refused(award_round, people, in_review):
    panel, hitachi, tsukuba = in_review
    recorded = approved_decision(panel, people, [hitachi], approve=False)

    with pytest.raises(DecisionNotApplicable):
        services.nominations_conclude(round_id=award_round.pk, decision_id=recorded.pk)

    for nomination in (hitachi, tsukuba):
        nomination.refresh_from_db()
        assert nomination.status == S.IN_REVIEW
    assert not Letter.objects.filter(programme="award").exists()


def test_conclude_with_another_rounds_decision_is_refused(award_round, people, in_review):
    panel, hitachi, _tsukuba = in_review
    decision = approved_decision(panel, people, [hitachi])
    other_round = award_round_create(name="令和9年度 リスキリング先進企業表彰", fiscal_year=2027)

    with pytest.raises(DecisionNotApplicable):
        services.nominations_conclude(round_id=other_round.pk, decision_id=decision.pk)
    hitachi.refresh_from_db()
    assert hitachi.status == S.IN_REVIEW


def test_selection_is_only_fired_by_the_conclusion(people, in_review):
    _panel, hitachi, _tsukuba = in_review
    hitachi.refresh_from_db()
    with pytest.raises(NotAllowed):
        transition_fire(
            hitachi,
            hitachi.select,
            by=people.staff,
            role=Role.STAFF,
            action="select",
            decided_on=dt.date(2027, 1, 20),
        )
    hitachi.refresh_from_db()
    assert hitachi.status == S.IN_REVIEW


# --- commendation --------------------------------------------------------------------------


@pytest.fixture
def selected(award_round, people, in_review):
    panel, hitachi, tsukuba = in_review
    decision = approved_decision(panel, people, [hitachi])
    services.nominations_conclude(round_id=award_round.pk, decision_id=decision.pk)
    return hitachi, tsukuba


def test_commend_issues_the_certificate(people, selected, run_on_commit):
    hitachi, _tsukuba = selected

    run_on_commit(
        services.nomination_commend,
        nomination_id=hitachi.pk,
        by=people.staff,
        commended_on=dt.date(2027, 2, 15),
    )

    hitachi.refresh_from_db()
    assert hitachi.status == S.COMMENDED
    assert hitachi.commended_on == dt.date(2027, 2, 15)
    certificate = letters_of(hitachi, Letter.Kind.AWARD_CERTIFICATE).get()
    assert certificate.company == hitachi.company
    assert certificate.status == Letter.Status.ISSUED
    text = pdf_text(certificate)
    for phrase in (
        "表　彰　状",
        "株式会社ひたちテック　殿",
        "令和8年度リスキリング先進企業表彰",
        "令和9年2月15日",
        "茨城県知事",
    ):
        assert phrase in text, phrase
    assert recipients("award_commended") == {"applicant", "colleague", "other"}


def test_commend_accepts_the_date_as_iso_text(people, selected):
    hitachi, _tsukuba = selected
    services.nomination_commend(
        nomination_id=hitachi.pk, by=people.staff, commended_on="2027-02-15"
    )
    hitachi.refresh_from_db()
    assert hitachi.commended_on == dt.date(2027, 2, 15)


def test_commend_is_for_staff_and_for_selected_nominations_only(people, selected):
    hitachi, tsukuba = selected
    with pytest.raises(NotAllowed):
        services.nomination_commend(
            nomination_id=hitachi.pk, by=people.applicant, commended_on=dt.date(2027, 2, 15)
        )
    with pytest.raises(InvalidState):
        services.nomination_commend(
            nomination_id=tsukuba.pk, by=people.staff, commended_on=dt.date(2027, 2, 15)
        )
    assert not Letter.objects.filter(kind=Letter.Kind.AWARD_CERTIFICATE).exists()
