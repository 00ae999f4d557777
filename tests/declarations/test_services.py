"""The promotion declaration's lifecycle through its services: who may act, what each step
records (status, numbers, letters, notices, audit events), and what is refused."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from core.dates import JST, end_of_day_jst, today_jst
from core.errors import InvalidState, NotAllowed, ValidationFailed
from declarations import services
from declarations.exceptions import DeclarationActive
from declarations.models import Declaration
from declarations.selectors import company_has_registered_declaration, open_correction
from letters.models import Letter
from notifications.models import Notification

from .helpers import declaration_fields, draft_declaration, registered_declaration

pytestmark = pytest.mark.django_db
S = Declaration.Status


def actions(declaration):
    return list(
        AuditEvent.objects.filter(
            subject_type="declarations.declaration", subject_id=str(declaration.pk)
        )
        .exclude(action="letter_issued")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def letters_of(declaration):
    return Letter.objects.filter(
        subject_type="declarations.declaration", subject_id=str(declaration.pk)
    ).order_by("pk")


def notified(kind):
    return Notification.objects.filter(kind=kind)


# --- the whole lifecycle -------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 11, 24, 10, 0, tzinfo=JST), tick=False)
def test_lifecycle_create_submit_return_resubmit_register(people):
    declaration = draft_declaration(people.applicant, publish_consent=True)
    assert declaration.status == S.DRAFT
    assert declaration.reference == f"DEC-2026-{declaration.pk:06d}"
    assert declaration.consent_changed_at is not None

    services.declaration_submit(declaration_id=declaration.pk, by=people.applicant)
    declaration.refresh_from_db()
    assert declaration.status == S.SUBMITTED
    assert declaration.submitted_at is not None
    assert set(notified("declaration_submitted").values_list("recipient", flat=True)) == {
        people.applicant.pk,
        people.colleague.pk,
    }

    correction = services.declaration_return_for_correction(
        declaration_id=declaration.pk,
        by=people.staff,
        items=["取組目標に数値目標を記載してください", "  "],
        message="期間も確認してください",
    )
    declaration.refresh_from_db()
    assert declaration.status == S.RETURNED
    assert correction.items == ["取組目標に数値目標を記載してください"]
    assert correction.deadline == dt.date(2026, 12, 8)  # 10 business days, 23 Nov a holiday
    assert open_correction(declaration) == correction
    correction_letter = letters_of(declaration).get()
    assert (correction_letter.kind, correction_letter.programme) == ("correction", "declaration")
    assert correction_letter.context["items"] == correction.items
    assert correction_letter.context["deadline"] == "2026-12-08"
    returned = notified("declaration_returned")
    assert returned.count() == 2
    assert all(n.legally_required for n in returned)
    assert "取組目標に数値目標を記載してください" in returned.get(recipient=people.applicant).body

    services.declaration_update(
        declaration_id=declaration.pk, by=people.colleague, goals="受発注の処理時間を30%削減する。"
    )
    services.declaration_resubmit(
        declaration_id=declaration.pk, by=people.applicant, answer="数値目標を追記しました"
    )
    declaration.refresh_from_db()
    correction.refresh_from_db()
    assert declaration.status == S.SUBMITTED
    assert declaration.goals == "受発注の処理時間を30%削減する。"
    assert correction.answer == "数値目標を追記しました"
    assert correction.answered_at is not None
    assert open_correction(declaration) is None

    services.declaration_register(declaration_id=declaration.pk, by=people.staff)
    declaration.refresh_from_db()
    assert declaration.status == S.REGISTERED
    assert declaration.registration_number == "2026-0001"
    assert declaration.fiscal_year == 2026
    assert declaration.registered_by == people.staff
    assert declaration.registered_at is not None
    certificate = letters_of(declaration).get(kind=Letter.Kind.REGISTRATION_CERTIFICATE)
    assert certificate.programme == "declaration"
    assert certificate.fiscal_year == 2026
    assert certificate.company == declaration.company
    assert certificate.context["registration_number"] == "2026-0001"
    assert certificate.context["goals_summary"] == "受発注の処理時間を30%削減する。"
    registered = notified("declaration_registered")
    assert set(registered.values_list("recipient", flat=True)) == {
        people.applicant.pk,
        people.colleague.pk,
    }
    assert "2026-0001" in registered.get(recipient=people.colleague).subject
    assert actions(declaration) == [
        "create",
        "submit",
        "return_for_correction",
        "update",
        "resubmit",
        "register",
    ]
    register_event = AuditEvent.objects.get(subject_id=str(declaration.pk), action="register")
    assert (register_event.actor, register_event.actor_role) == (people.staff, "staff")
    assert (register_event.from_status, register_event.to_status) == ("submitted", "registered")
    assert register_event.data["registration_number"] == "2026-0001"
    assert company_has_registered_declaration(declaration.company_id)


def test_registration_numbers_restart_with_each_fiscal_year(people):
    first = draft_declaration(people.applicant)
    second = draft_declaration(people.other_applicant)
    services.declaration_submit(declaration_id=first.pk, by=people.applicant)
    services.declaration_submit(declaration_id=second.pk, by=people.other_applicant)

    with time_machine.travel(dt.datetime(2027, 3, 31, 23, 30, tzinfo=JST), tick=False):
        services.declaration_register(declaration_id=first.pk, by=people.staff)
    with time_machine.travel(dt.datetime(2027, 4, 1, 0, 30, tzinfo=JST), tick=False):
        services.declaration_register(declaration_id=second.pk, by=people.staff)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.registration_number, first.fiscal_year) == ("2026-0001", 2026)
    assert (second.registration_number, second.fiscal_year) == ("2027-0001", 2027)


def test_refused_registration_gives_its_number_back(people):
    declaration = draft_declaration(people.applicant)
    with pytest.raises(InvalidState):
        services.declaration_register(declaration_id=declaration.pk, by=people.staff)
    services.declaration_submit(declaration_id=declaration.pk, by=people.applicant)
    services.declaration_register(declaration_id=declaration.pk, by=people.staff)
    declaration.refresh_from_db()
    assert declaration.registration_number.endswith("-0001")


@time_machine.travel(dt.datetime(2026, 11, 24, 10, 0, tzinfo=JST), tick=False)
def test_correction_deadline_follows_the_setting(people, settings):
    settings.KOFU_DECLARATION_CORRECTION_DAYS = 3
    declaration = draft_declaration(people.applicant)
    services.declaration_submit(declaration_id=declaration.pk, by=people.applicant)
    correction = services.declaration_return_for_correction(
        declaration_id=declaration.pk, by=people.staff, items=["責任者の役職"]
    )
    assert correction.deadline == dt.date(2026, 11, 27)


def test_return_without_items_refused_and_nothing_changes(people):
    declaration = draft_declaration(people.applicant)
    services.declaration_submit(declaration_id=declaration.pk, by=people.applicant)
    with pytest.raises(ValidationFailed) as refused:
        services.declaration_return_for_correction(
            declaration_id=declaration.pk, by=people.staff, items=[" "]
        )
    assert refused.value.field == "items"
    declaration.refresh_from_db()
    assert declaration.status == S.SUBMITTED
    assert not declaration.correction_requests.exists()


# --- ends: withdrawal, lapse, expiry -------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "registered"])
def test_withdraw_from_each_open_status(people, status):
    declaration = draft_declaration(people.applicant)
    if status != "draft":
        services.declaration_submit(declaration_id=declaration.pk, by=people.applicant)
    if status == "returned":
        services.declaration_return_for_correction(
            declaration_id=declaration.pk, by=people.staff, items=["目標"]
        )
    if status == "registered":
        services.declaration_register(declaration_id=declaration.pk, by=people.staff)

    services.declaration_withdraw(
        declaration_id=declaration.pk, by=people.colleague, reason="方針変更"
    )

    declaration.refresh_from_db()
    assert declaration.status == S.WITHDRAWN
    event = AuditEvent.objects.get(subject_id=str(declaration.pk), action="withdraw")
    assert (event.from_status, event.reason, event.actor) == (status, "方針変更", people.colleague)
    assert not company_has_registered_declaration(declaration.company_id)
    with pytest.raises(InvalidState):
        services.declaration_withdraw(declaration_id=declaration.pk, by=people.applicant)


def test_expire_only_after_the_period_ended(people):
    declaration = registered_declaration(people.applicant, people.staff)
    end = declaration.period_end

    with (
        time_machine.travel(end_of_day_jst(end) - dt.timedelta(minutes=1), tick=False),
        pytest.raises(InvalidState),
    ):
        services.declaration_expire(declaration_id=declaration.pk)
    declaration.refresh_from_db()
    assert declaration.status == S.REGISTERED

    with time_machine.travel(end_of_day_jst(end) + dt.timedelta(seconds=1), tick=False):
        services.declaration_expire(declaration_id=declaration.pk)

    declaration.refresh_from_db()
    assert declaration.status == S.EXPIRED
    event = AuditEvent.objects.get(subject_id=str(declaration.pk), action="expire")
    assert (event.actor, event.actor_role) == (None, "system")
    assert notified("declaration_expired").filter(recipient=people.applicant).exists()
    assert not company_has_registered_declaration(declaration.company_id, on=end)


def test_lapse_only_after_the_correction_deadline(people):
    declaration = draft_declaration(people.applicant)
    services.declaration_submit(declaration_id=declaration.pk, by=people.applicant)
    correction = services.declaration_return_for_correction(
        declaration_id=declaration.pk, by=people.staff, items=["目標"]
    )
    deadline = correction.deadline

    with (
        time_machine.travel(end_of_day_jst(deadline) - dt.timedelta(minutes=1), tick=False),
        pytest.raises(InvalidState),
    ):
        services.declaration_lapse(declaration_id=declaration.pk)

    with time_machine.travel(end_of_day_jst(deadline) + dt.timedelta(seconds=1), tick=False):
        services.declaration_lapse(declaration_id=declaration.pk)

    declaration.refresh_from_db()
    assert declaration.status == S.LAPSED
    event = AuditEvent.objects.get(subject_id=str(declaration.pk), action="lapse")
    assert (event.actor, event.actor_role, event.from_status) == (None, "system", "returned")
    lapsed = notified("declaration_lapsed").get(recipient=people.applicant)
    assert lapsed.legally_required
    with pytest.raises(InvalidState):
        services.declaration_resubmit(declaration_id=declaration.pk, by=people.applicant)


# --- who may act ---------------------------------------------------------------------------


def test_create_needs_an_applicant_with_a_company(people):
    with pytest.raises(NotAllowed):
        draft_declaration(people.staff)
    assert not Declaration.objects.exists()


@pytest.mark.parametrize(
    "act",
    [
        lambda d, by: services.declaration_update(declaration_id=d.pk, by=by, goals="他社の目標"),
        lambda d, by: services.declaration_submit(declaration_id=d.pk, by=by),
        lambda d, by: services.declaration_withdraw(declaration_id=d.pk, by=by),
        lambda d, by: services.declaration_consent_set(declaration_id=d.pk, by=by, publish=True),
    ],
    ids=["update", "submit", "withdraw", "consent"],
)
def test_another_companys_member_refused(people, act):
    declaration = draft_declaration(people.applicant)
    with pytest.raises(NotAllowed):
        act(declaration, people.other_applicant)
    declaration.refresh_from_db()
    assert declaration.status == S.DRAFT
    assert declaration.goals != "他社の目標"
    assert not declaration.publish_consent
    assert actions(declaration) == ["create"]


def test_applicant_cannot_register_or_return_their_own(people):
    declaration = draft_declaration(people.applicant)
    services.declaration_submit(declaration_id=declaration.pk, by=people.applicant)
    with pytest.raises(NotAllowed):
        services.declaration_register(declaration_id=declaration.pk, by=people.applicant)
    with pytest.raises(NotAllowed):
        services.declaration_return_for_correction(
            declaration_id=declaration.pk, by=people.applicant, items=["x"]
        )
    declaration.refresh_from_db()
    assert declaration.status == S.SUBMITTED
    assert declaration.registration_number is None
    assert not letters_of(declaration).exists()


def test_staff_cannot_submit_for_a_company(people):
    declaration = draft_declaration(people.applicant)
    with pytest.raises(NotAllowed):
        services.declaration_submit(declaration_id=declaration.pk, by=people.staff)
    declaration.refresh_from_db()
    assert declaration.status == S.DRAFT


# --- one active declaration per company ----------------------------------------------------


def test_second_declaration_refused_while_one_is_active(people):
    first = registered_declaration(people.applicant, people.staff)
    second = draft_declaration(people.colleague)

    with pytest.raises(DeclarationActive) as refused:
        services.declaration_submit(declaration_id=second.pk, by=people.colleague)
    assert refused.value.code == "declaration_active"
    assert first.reference in str(refused.value.message)
    second.refresh_from_db()
    assert second.status == S.DRAFT

    services.declaration_withdraw(declaration_id=first.pk, by=people.applicant)
    services.declaration_submit(declaration_id=second.pk, by=people.colleague)
    second.refresh_from_db()
    assert second.status == S.SUBMITTED


def test_database_refuses_two_active_declarations_of_a_company(people):
    first = draft_declaration(people.applicant)
    second = draft_declaration(people.applicant)
    services.declaration_submit(declaration_id=first.pk, by=people.applicant)
    with pytest.raises(IntegrityError), transaction.atomic():
        Declaration.objects.filter(pk=second.pk).update(status=S.SUBMITTED)


def test_other_companies_may_hold_declarations_at_the_same_time(people):
    registered_declaration(people.applicant, people.staff)
    other = registered_declaration(people.other_applicant, people.staff)
    assert other.status == S.REGISTERED


# --- field rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"goals": "  "}, "goals"),
        ({"measures": ""}, "measures"),
        ({"responsible_name": " "}, "responsible_name"),
        ({"period_end": today_jst()}, "period_end"),
        ({"period_end": today_jst() - dt.timedelta(days=1)}, "period_end"),
        ({"period_end": today_jst() + dt.timedelta(days=5 * 366)}, "period_end"),
    ],
    ids=["no goals", "no measures", "no one responsible", "same day", "backwards", "too long"],
)
def test_create_refuses_invalid_fields_naming_them(people, overrides, field):
    with pytest.raises(ValidationFailed) as refused:
        services.declaration_create(by=people.applicant, **declaration_fields(**overrides))
    assert refused.value.field == field
    assert not Declaration.objects.exists()


def test_period_of_exactly_five_years_accepted(people):
    start = dt.date(2027, 4, 1)
    declaration = draft_declaration(
        people.applicant, period_start=start, period_end=dt.date(2032, 4, 1)
    )
    assert declaration.period_end == dt.date(2032, 4, 1)


def test_update_refused_once_submitted(people):
    declaration = draft_declaration(people.applicant)
    services.declaration_submit(declaration_id=declaration.pk, by=people.applicant)
    with pytest.raises(InvalidState):
        services.declaration_update(declaration_id=declaration.pk, by=people.applicant, goals="x")
    declaration.refresh_from_db()
    assert declaration.goals != "x"


def test_update_checks_the_period_against_the_stored_start(people):
    declaration = draft_declaration(people.applicant)
    with pytest.raises(ValidationFailed) as refused:
        services.declaration_update(
            declaration_id=declaration.pk,
            by=people.applicant,
            period_end=declaration.period_start - dt.timedelta(days=1),
        )
    assert refused.value.field == "period_end"


def test_update_refuses_fields_that_are_not_the_companys_to_set(people):
    declaration = draft_declaration(people.applicant)
    with pytest.raises(ValidationFailed) as refused:
        services.declaration_update(
            declaration_id=declaration.pk, by=people.applicant, registration_number="2026-9999"
        )
    assert refused.value.field == "registration_number"
    declaration.refresh_from_db()
    assert declaration.registration_number is None


def test_submit_refused_when_the_period_has_ended(people):
    with time_machine.travel(dt.datetime(2026, 4, 1, 10, 0, tzinfo=JST), tick=False):
        declaration = draft_declaration(people.applicant, period_end=dt.date(2026, 6, 30))
    with pytest.raises(ValidationFailed) as refused:
        services.declaration_submit(declaration_id=declaration.pk, by=people.applicant)
    assert refused.value.field == "period_end"
    declaration.refresh_from_db()
    assert declaration.status == S.DRAFT


# --- consent to publication ----------------------------------------------------------------


def test_consent_change_is_recorded_and_a_repeat_is_not(people):
    declaration = registered_declaration(people.applicant, people.staff)
    assert not declaration.publish_consent

    services.declaration_consent_set(
        declaration_id=declaration.pk, by=people.colleague, publish=True
    )
    services.declaration_consent_set(
        declaration_id=declaration.pk, by=people.colleague, publish=True
    )

    declaration.refresh_from_db()
    assert declaration.publish_consent
    assert declaration.consent_changed_at is not None
    events = AuditEvent.objects.filter(subject_id=str(declaration.pk), action="consent_set")
    assert [event.data for event in events] == [{"publish_consent": True}]


def test_consent_cannot_change_after_the_declaration_ended(people):
    declaration = registered_declaration(people.applicant, people.staff, publish_consent=True)
    services.declaration_withdraw(declaration_id=declaration.pk, by=people.applicant)
    with pytest.raises(InvalidState):
        services.declaration_consent_set(
            declaration_id=declaration.pk, by=people.applicant, publish=False
        )


# --- holding a registered declaration ------------------------------------------------------


def test_registered_declaration_counts_only_within_its_period(people):
    start = today_jst() + dt.timedelta(days=10)
    declaration = registered_declaration(
        people.applicant,
        people.staff,
        period_start=start,
        period_end=start + dt.timedelta(days=365),
    )
    company_id = declaration.company_id
    assert not company_has_registered_declaration(company_id)
    assert not company_has_registered_declaration(company_id, on=start - dt.timedelta(days=1))
    assert company_has_registered_declaration(company_id, on=start)
    assert company_has_registered_declaration(company_id, on=declaration.period_end)
    assert not company_has_registered_declaration(
        company_id, on=declaration.period_end + dt.timedelta(days=1)
    )


def test_submitted_declaration_is_not_yet_held(people):
    declaration = draft_declaration(people.applicant)
    services.declaration_submit(declaration_id=declaration.pk, by=people.applicant)
    assert not company_has_registered_declaration(declaration.company_id)
