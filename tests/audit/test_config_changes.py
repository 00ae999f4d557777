"""Permission and configuration changes land in the audit log, with the values before and
after, whoever makes them."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from applications.models import CostType, SubsidyRound
from audit.context import context_bind
from audit.models import AuditEvent
from core.roles import Role

pytestmark = pytest.mark.django_db


def last(action, subject):
    return (
        AuditEvent.objects.filter(
            action=action, subject_type=subject._meta.label_lower, subject_id=str(subject.pk)
        )
        .order_by("-id")
        .first()
    )


def as_user(user):
    return context_bind("req-test", lambda: user)


def test_round_budget_change_recorded_with_before_after_actor_and_role(subsidy_round, people):
    admin = people.staff
    admin.is_superuser = True

    with as_user(admin):
        subsidy_round.budget += 1_000_000
        subsidy_round.save()

    event = last("config_change", subsidy_round)
    budget = SubsidyRound.objects.get(pk=subsidy_round.pk).budget
    assert event.data["changes"] == {"budget": [budget - 1_000_000, budget]}
    assert event.data["model"] == "applications.SubsidyRound"
    assert (event.actor, event.actor_role, event.request_id) == (admin, Role.ADMIN, "req-test")


def test_save_without_change_records_nothing(subsidy_round):
    before = AuditEvent.objects.count()

    SubsidyRound.objects.get(pk=subsidy_round.pk).save()

    assert AuditEvent.objects.count() == before


def test_config_created_and_deleted_without_a_user_is_the_system(reference):
    cost_type = CostType.objects.create(code="audit-probe", name_ja="旅費", name_en="Travel")
    created = last("config_create", cost_type)
    pk = cost_type.pk

    cost_type.delete()

    deleted = AuditEvent.objects.get(action="config_delete", subject_id=str(pk))
    assert created.data["changes"]["code"] == [None, "audit-probe"]
    assert deleted.data["values"]["name_ja"] == "旅費"
    assert (deleted.actor, deleted.actor_role) == (None, Role.SYSTEM)


def test_role_granted_and_revoked_recorded_on_the_user(people):
    auditors = Group.objects.get(name=Role.AUDITOR)

    with as_user(people.staff):
        people.applicant.groups.add(auditors)
        people.applicant.groups.remove(auditors)

    granted = last("groups_add", people.applicant)
    revoked = last("groups_remove", people.applicant)
    assert granted.data["objects"] == [
        {"model": "auth.Group", "id": auditors.pk, "name": "auditor"}
    ]
    assert revoked.data["objects"][0]["id"] == auditors.pk
    assert (granted.actor, granted.actor_role) == (people.staff, Role.STAFF)


def test_groups_cleared_records_each_group_removed(people):
    groups = list(people.applicant.groups.all())

    people.applicant.groups.clear()

    cleared = last("groups_remove", people.applicant)
    assert {obj["id"] for obj in cleared.data["objects"]} == {group.pk for group in groups}


def test_permission_granted_to_a_group_and_a_user(people):
    permission = Permission.objects.get(codename="view_auditevent")
    staff = Group.objects.get(name=Role.STAFF)

    staff.permissions.add(permission)
    people.applicant.user_permissions.add(permission)

    assert last("permissions_add", staff).data["objects"][0]["id"] == permission.pk
    assert last("permissions_add", people.applicant).data["relation"] == (
        "auth.User_user_permissions"
    )


def test_user_flags_change_recorded_other_saves_not(people):
    user = people.applicant

    user.is_staff = True
    user.save()
    user.first_name = "太郎"
    user.save()
    user.save(update_fields=["last_login"])

    events = AuditEvent.objects.filter(action="user_flags_change", subject_id=str(user.pk))
    assert [event.data["changes"] for event in events] == [{"is_staff": [False, True]}]


def test_privileged_account_created_recorded_ordinary_one_not(db):
    user_model = get_user_model()

    admin = user_model.objects.create_superuser("root", "root@example.jp", "x")
    plain = user_model.objects.create_user("plain")

    assert last("user_create", admin).data["changes"]["is_superuser"] == [None, True]
    assert last("user_create", plain) is None
