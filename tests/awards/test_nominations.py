"""Nominating a company: by itself or by a third party with its consent, citing its completed
subsidies, within the window, once per round."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from applications.models import Application
from audit.models import AuditEvent
from awards import services
from awards.exceptions import (
    AlreadyNominated,
    ConsentRequired,
    DeclarationRequired,
    InvalidState,
    NominationIncomplete,
    NotAllowed,
    ValidationFailed,
    WindowClosed,
)
from awards.models import AwardRound, Nomination
from awards.selectors import citable_applications, nominations_of
from core.dates import today_jst
from declarations import services as declarations
from fixtures.demo import draft_create, round_create
from fixtures.documents import pdf_file
from notifications.models import Notification

from .helpers import (
    SUMMARY,
    award_round_create,
    self_nomination,
    submitted_self_nomination,
    third_party_nomination,
)

pytestmark = pytest.mark.django_db
S = Nomination.Status


def events(nomination, action=None):
    found = AuditEvent.objects.filter(
        subject_type="awards.nomination", subject_id=str(nomination.pk)
    )
    return found.filter(action=action) if action else found


def received(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind)


# --- self-nomination -----------------------------------------------------------------------


def test_self_nomination_submit_records_the_members_act_as_consent(award_round, people):
    nomination = self_nomination(award_round, people.applicant)

    submitted = services.nomination_submit(nomination_id=nomination.pk, by=people.applicant)

    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED
    assert submitted.company == people.applicant.profile.company
    assert submitted.nominating_company_id == submitted.company_id
    assert submitted.consent_given_by == people.applicant
    assert submitted.consent_at is not None
    assert submitted.reference == f"AWD-2026-{submitted.pk:06d}"
    assert events(submitted, "submit").get().to_status == S.SUBMITTED
    assert received(people.colleague, "nomination_submitted").count() == 1


def test_self_nomination_cannot_name_another_company(award_round, people, companies):
    with pytest.raises(ValidationFailed) as refused:
        services.nomination_create(
            round_id=award_round.pk,
            by=people.applicant,
            company_id=companies[1].pk,
            nominator_kind=Nomination.NominatorKind.SELF,
        )
    assert refused.value.field == "company_id"
    assert not Nomination.objects.exists()


def test_staff_cannot_nominate(award_round, people):
    with pytest.raises(NotAllowed):
        self_nomination(award_round, people.staff)


# --- third-party nomination and consent ----------------------------------------------------


def test_third_party_nomination_needs_the_nominees_consent_before_submit(
    award_round, people, companies
):
    # given: つくば精機 (a chamber member here) nominates ひたちテック
    nomination = third_party_nomination(award_round, people.other_applicant, companies[0])
    assert nomination.nominating_company == companies[1]
    assert received(people.applicant, "nomination_consent_requested").count() == 1

    # when / then: no consent yet, so it stays a draft
    with pytest.raises(ConsentRequired) as refused:
        services.nomination_submit(nomination_id=nomination.pk, by=people.other_applicant)
    assert refused.value.code == "consent_required"
    nomination.refresh_from_db()
    assert nomination.status == S.DRAFT
    assert not events(nomination, "submit").exists()

    # when the nominee's member consents, the nominator can submit
    services.nomination_consent_record(nomination_id=nomination.pk, by=people.colleague)
    assert received(people.other_applicant, "nomination_consent_given").count() == 1
    services.nomination_submit(nomination_id=nomination.pk, by=people.other_applicant)

    nomination.refresh_from_db()
    assert nomination.status == S.SUBMITTED
    assert nomination.consent_given_by == people.colleague


def test_a_third_party_cites_the_nominees_subsidies_only_after_consent(
    award_round, people, companies, completed
):
    nomination = third_party_nomination(award_round, people.other_applicant, companies[0])

    with pytest.raises(ConsentRequired):
        services.nomination_cite_applications(
            nomination_id=nomination.pk, by=people.other_applicant, application_ids=[completed.pk]
        )
    assert not nomination.cited_applications.exists()

    services.nomination_consent_record(nomination_id=nomination.pk, by=people.colleague)
    services.nomination_cite_applications(
        nomination_id=nomination.pk, by=people.other_applicant, application_ids=[completed.pk]
    )
    assert list(nomination.cited_applications.all()) == [completed]


@pytest.mark.parametrize("who", ["other_applicant", "staff", "outsider"])
def test_consent_only_by_a_member_of_the_nominee(award_round, people, companies, outsider, who):
    nomination = third_party_nomination(award_round, people.other_applicant, companies[0])
    user = outsider if who == "outsider" else getattr(people, who)

    with pytest.raises(NotAllowed):
        services.nomination_consent_record(nomination_id=nomination.pk, by=user)

    nomination.refresh_from_db()
    assert nomination.consent_at is None
    assert not events(nomination, "consent").exists()


def test_third_party_nomination_names_its_organisation(award_round, people, companies):
    with pytest.raises(ValidationFailed) as refused:
        third_party_nomination(
            award_round, people.other_applicant, companies[0], nominator_organisation="  "
        )
    assert refused.value.field == "nominator_organisation"


def test_third_party_cannot_nominate_its_own_company(award_round, people, companies):
    with pytest.raises(ValidationFailed):
        third_party_nomination(award_round, people.other_applicant, companies[1])


def test_nominations_of_shows_nominator_and_nominee_only(award_round, people, companies, outsider):
    nomination = third_party_nomination(award_round, people.other_applicant, companies[0])

    assert list(nominations_of(people.other_applicant)) == [nomination]
    assert list(nominations_of(people.colleague)) == [nomination]
    assert list(nominations_of(outsider)) == []
    assert list(nominations_of(people.staff)) == []


def test_outsider_cannot_edit_or_submit(award_round, people, outsider):
    nomination = self_nomination(award_round, people.applicant)

    with pytest.raises(NotAllowed):
        services.nomination_update(nomination_id=nomination.pk, by=outsider, summary="x")
    with pytest.raises(NotAllowed):
        services.nomination_submit(nomination_id=nomination.pk, by=outsider)
    nomination.refresh_from_db()
    assert nomination.summary == SUMMARY
    assert nomination.status == S.DRAFT


# --- citing completed subsidies ------------------------------------------------------------


def test_submit_snapshots_the_cited_subsidies_from_our_records(award_round, people, completed):
    nomination = self_nomination(award_round, people.applicant)
    services.nomination_cite_applications(
        nomination_id=nomination.pk, by=people.applicant, application_ids=[completed.pk]
    )

    services.nomination_submit(nomination_id=nomination.pk, by=people.applicant)

    nomination.refresh_from_db()
    [evidence] = nomination.evidence_snapshot
    assert evidence["reference"] == completed.reference
    assert evidence["round"] == completed.round.name
    assert evidence["fiscal_year"] == 2026
    assert evidence["status"] == Application.Status.CONFIRMED
    assert evidence["trainees"] == 2  # 研修生1, 研修生2 completed
    assert evidence["courses"] == 2  # 生成AI業務活用講座, ITパスポート試験
    assert evidence["decided_amount"] == completed.decided_amount == 187_000
    assert evidence["confirmed_amount"] == completed.confirmed_amount == 187_000
    assert evidence["grant_decided_on"] == completed.decided_on.isoformat()
    assert evidence["amount_confirmed_on"] is not None


def test_snapshot_keeps_what_was_cited_when_the_record_changes_later(
    award_round, people, completed
):
    nomination = self_nomination(award_round, people.applicant)
    services.nomination_cite_applications(
        nomination_id=nomination.pk, by=people.applicant, application_ids=[completed.pk]
    )
    services.nomination_submit(nomination_id=nomination.pk, by=people.applicant)

    Application.objects.filter(pk=completed.pk).update(confirmed_amount=1)

    nomination.refresh_from_db()
    assert nomination.evidence_snapshot[0]["confirmed_amount"] == 187_000


def test_citing_another_companys_subsidy_is_refused_naming_it(
    award_round, people, reference, companies
):
    other_draft = draft_create(round_create(), people.other_applicant)
    nomination = self_nomination(award_round, people.applicant)

    with pytest.raises(ValidationFailed) as refused:
        services.nomination_cite_applications(
            nomination_id=nomination.pk, by=people.applicant, application_ids=[other_draft.pk]
        )

    assert other_draft.reference in refused.value.message
    assert "株式会社ひたちテック" in str(refused.value.message)
    assert not nomination.cited_applications.exists()


def test_citing_an_uncompleted_subsidy_is_refused_naming_it(award_round, people, reference):
    own_draft = draft_create(round_create(), people.applicant)
    nomination = self_nomination(award_round, people.applicant)

    with pytest.raises(ValidationFailed) as refused, translation.override("en"):
        services.nomination_cite_applications(
            nomination_id=nomination.pk, by=people.applicant, application_ids=[own_draft.pk]
        )

    assert own_draft.reference in refused.value.message
    assert "not completed" in str(refused.value.message)
    assert list(citable_applications(people.applicant.profile.company_id)) == []


def test_citing_a_missing_application_is_refused(award_round, people):
    nomination = self_nomination(award_round, people.applicant)
    with pytest.raises(ValidationFailed) as refused:
        services.nomination_cite_applications(
            nomination_id=nomination.pk, by=people.applicant, application_ids=[987654]
        )
    assert "987654" in refused.value.message


def test_citable_applications_are_the_completed_ones_of_the_company(people, completed, companies):
    assert list(citable_applications(companies[0].pk)) == [completed]
    assert list(citable_applications(companies[1].pk)) == []


# --- rules at submission -------------------------------------------------------------------


def test_round_requiring_a_declaration_refuses_a_company_without_one(people):
    round_ = award_round_create(requires_declaration=True)
    nomination = self_nomination(round_, people.applicant)

    with pytest.raises(DeclarationRequired) as refused:
        services.nomination_submit(nomination_id=nomination.pk, by=people.applicant)

    assert refused.value.code == "declaration_required"
    nomination.refresh_from_db()
    assert nomination.status == S.DRAFT


def test_round_requiring_a_declaration_accepts_a_registered_declarant(people):
    today = today_jst()
    declaration = declarations.declaration_create(
        by=people.applicant,
        goals="全従業員がクラウド型業務システムを使いこなす。",
        measures="社内勉強会を月1回開催する。",
        responsible_name="日立　一郎",
        responsible_title="代表取締役",
        period_start=today,
        period_end=today + dt.timedelta(days=700),
    )
    declarations.declaration_submit(declaration_id=declaration.pk, by=people.applicant)
    declarations.declaration_register(declaration_id=declaration.pk, by=people.staff)
    round_ = award_round_create(requires_declaration=True)

    nomination = submitted_self_nomination(round_, people.applicant)

    assert nomination.status == S.SUBMITTED


@pytest.mark.parametrize(
    "window",
    [
        {"nominations_open": dt.timedelta(days=1), "nominations_close": dt.timedelta(days=9)},
        {"nominations_open": dt.timedelta(days=-9), "nominations_close": dt.timedelta(seconds=-1)},
    ],
)
def test_submit_outside_the_window_is_refused(award_round, people, window):
    nomination = self_nomination(award_round, people.applicant)
    now = timezone.now()
    AwardRound.objects.filter(pk=award_round.pk).update(
        **{field: now + delta for field, delta in window.items()}
    )

    with pytest.raises(WindowClosed) as refused:
        services.nomination_submit(nomination_id=nomination.pk, by=people.applicant)

    assert refused.value.code == "window_closed"
    nomination.refresh_from_db()
    assert nomination.status == S.DRAFT


def test_create_after_the_window_is_refused(people):
    now = timezone.now()
    closed = award_round_create(
        nominations_open=now - dt.timedelta(days=20), nominations_close=now - dt.timedelta(days=1)
    )
    with pytest.raises(WindowClosed):
        self_nomination(closed, people.applicant)


def test_submit_needs_a_summary_or_a_document(award_round, people):
    nomination = self_nomination(award_round, people.applicant, summary="", achievements="")

    with pytest.raises(NominationIncomplete) as refused:
        services.nomination_submit(nomination_id=nomination.pk, by=people.applicant)
    assert refused.value.field == "summary"

    services.document_upload(
        nomination_id=nomination.pk,
        by=people.applicant,
        file=pdf_file("suisensho.pdf", "nomination form"),
        description="推薦書",
    )
    services.nomination_submit(nomination_id=nomination.pk, by=people.applicant)
    nomination.refresh_from_db()
    assert nomination.status == S.SUBMITTED


def test_submit_twice_is_refused(award_round, people):
    nomination = submitted_self_nomination(award_round, people.applicant)
    with pytest.raises(InvalidState):
        services.nomination_submit(nomination_id=nomination.pk, by=people.applicant)
    assert events(nomination, "submit").count() == 1


# --- one nomination per company and round --------------------------------------------------


def test_a_company_is_nominated_once_per_round(award_round, people, companies):
    first = self_nomination(award_round, people.applicant)

    with pytest.raises(AlreadyNominated) as refused:
        third_party_nomination(award_round, people.other_applicant, companies[0])
    assert "株式会社ひたちテック" in str(refused.value.message)

    services.nomination_withdraw(nomination_id=first.pk, by=people.colleague)
    again = third_party_nomination(award_round, people.other_applicant, companies[0])
    assert again.status == S.DRAFT


def test_database_refuses_a_second_active_nomination(award_round, people, companies):
    first = self_nomination(award_round, people.applicant)
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(
            round=award_round,
            company=companies[0],
            nominating_company=companies[1],
            nominated_by=people.other_applicant,
            nominator_kind=Nomination.NominatorKind.MUNICIPALITY,
            nominator_organisation="日立市",
        )
    assert Nomination.objects.get() == first


# --- editing -------------------------------------------------------------------------------


def test_update_changes_only_the_fields_given(award_round, people):
    nomination = self_nomination(award_round, people.applicant)

    services.nomination_update(
        nomination_id=nomination.pk, by=people.colleague, achievements="残業時間を3割削減"
    )

    nomination.refresh_from_db()
    assert nomination.achievements == "残業時間を3割削減"
    assert nomination.summary == SUMMARY
    assert events(nomination, "update").get().data == {"fields": ["achievements"]}


def test_submitted_nomination_cannot_be_edited(award_round, people):
    nomination = submitted_self_nomination(award_round, people.applicant)
    with pytest.raises(InvalidState):
        services.nomination_update(nomination_id=nomination.pk, by=people.applicant, summary="x")
    with pytest.raises(InvalidState):
        services.document_upload(
            nomination_id=nomination.pk,
            by=people.applicant,
            file=pdf_file("late.pdf", "late"),
        )
