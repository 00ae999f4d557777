"""Helpers of the committee tests: roles, subjects, registration, scoring, the deadline."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group
from django.utils import timezone

from applications.models import Application
from core.roles import Role
from screening import committee
from screening.models import ReviewPanel


def grant_role(user, role: Role):
    user.groups.add(Group.objects.get(name=role.value))
    return type(user).objects.get(pk=user.pk)  # a fresh object: roles are cached per object


def subjects(subsidy_round, companies, people, count: int) -> list[Application]:
    """Applications of companies 0, 1, 2, 0, 1, 2, …: the items before the committee."""
    return [
        Application.objects.create(
            round=subsidy_round, company=companies[n % 3], created_by=people.applicant
        )
        for n in range(count)
    ]


def register(panel, applications):
    return [
        committee.item_register(
            panel=panel,
            subject=application,
            company=application.company,
            label=f"{application.reference} {application.company.name}",
        )
        for application in applications
    ]


def score(assignment, impact: int, feasibility: int, comment: str = ""):
    return committee.scores_submit(
        assignment_id=assignment.pk,
        by=assignment.reviewer,
        scores={"impact": impact, "feasibility": feasibility},
        comment=comment,
    )


def deadline_passes(panel):
    ReviewPanel.objects.filter(pk=panel.pk).update(
        review_deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    panel.refresh_from_db()
