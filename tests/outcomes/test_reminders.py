"""Reminders of outcome reports: once when the due date comes near, weekly once it has passed,
never twice for the same day, and none for a report already submitted."""

import datetime as dt

import pytest
from django.core.management import call_command

from core.dates import add_business_days
from notifications.models import Notification
from outcomes.services import outcome_report_submit
from tests.written import day_written
from workflows.notices import reminders_send

from .helpers import values

pytestmark = pytest.mark.django_db


def sent(today):
    result = reminders_send(today=today)
    return result["outcome_report_due"], result["outcome_report_overdue"]


def reminded(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind).count()


def monday_after(day):
    return day + dt.timedelta(days=7 - day.weekday())


def test_reminder_due_once_inside_the_window(report, people, settings):
    settings.KOFU_OUTCOME_REMINDER_BUSINESS_DAYS = 10
    due_on = report.due_on
    too_early = due_on - dt.timedelta(days=30)
    assert add_business_days(too_early, 10) < due_on
    inside = due_on - dt.timedelta(days=3)

    assert sent(too_early) == (0, 0)
    assert sent(inside) == (1, 0)
    assert sent(inside) == (0, 0)  # the same day again: nothing
    assert sent(inside + dt.timedelta(days=1)) == (0, 0)  # reminded already for this due date
    assert reminded(people.applicant, "outcome_report_due") == 1
    assert reminded(people.colleague, "outcome_report_due") == 1
    notice = Notification.objects.get(recipient=people.applicant, kind="outcome_report_due")
    assert day_written(due_on, notice.language) in notice.subject
    assert notice.link == f"/portal/outcomes/{report.pk}/"


def test_reminder_overdue_weekly_until_submitted(report, people):
    monday = monday_after(report.due_on)
    assert sent(monday) == (0, 1)
    assert sent(monday) == (0, 0)  # the daily job ran twice
    assert sent(monday + dt.timedelta(days=1)) == (0, 0)  # the same week
    assert sent(monday + dt.timedelta(days=7)) == (0, 1)  # a week later, again
    assert reminded(people.applicant, "outcome_report_overdue") == 2

    outcome_report_submit(report_id=report.pk, values=values(), by=people.applicant)
    assert sent(monday + dt.timedelta(days=14)) == (0, 0)


def test_reminder_none_for_a_submitted_report(report, people):
    outcome_report_submit(report_id=report.pk, values=values(), by=people.applicant)
    assert sent(report.due_on - dt.timedelta(days=3)) == (0, 0)
    assert sent(report.due_on + dt.timedelta(days=1)) == (0, 0)


def test_send_reminders_command_includes_outcome_reports(report, capsys):
    call_command("send_reminders")
    output = capsys.readouterr().out
    assert '"outcome_report_due": 0' in output and '"outcome_report_overdue": 0' in output
