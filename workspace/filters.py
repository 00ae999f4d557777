"""The task list's filters: programme, round, step, who holds it, how long it has waited, and a
search by reference, company or 法人番号."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task

from applications.models import SubsidyRound
from awards.models import AwardRound

from . import queries


def _step_choices() -> list[tuple[str, str]]:
    return [
        (f"{programme.key}.{node.name}", f"{programme.flow.process_title}: {node.task_title}")
        for programme, node in queries.staff_steps()
    ]


def _round_choices() -> list[tuple[str, str]]:
    return [
        *((f"subsidy.{pk}", name) for pk, name in SubsidyRound.objects.values_list("pk", "name")),
        *((f"award.{pk}", name) for pk, name in AwardRound.objects.values_list("pk", "name")),
    ]


class TaskFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Reference, company or corporate number"), method="filter_search"
    )
    programme = django_filters.ChoiceFilter(
        label=_("Programme"),
        choices=[(p.key, p.flow.process_title) for p in queries.PROGRAMMES],
        method="filter_programme",
        empty_label=_("All programmes"),
    )
    round = django_filters.ChoiceFilter(
        label=_("Round"), choices=_round_choices, method="filter_round", empty_label=_("All rounds")
    )
    step = django_filters.ChoiceFilter(
        label=_("Step"), choices=_step_choices, method="filter_step", empty_label=_("All steps")
    )
    holder = django_filters.ChoiceFilter(
        label=_("Held by"),
        choices=[("me", _("me")), ("nobody", _("nobody yet")), ("others", _("someone else"))],
        method="filter_holder",
        empty_label=_("Anyone"),
    )
    waiting = django_filters.ChoiceFilter(
        label=_("Waiting"),
        choices=[
            ("0-2", _("less than 3 days")),
            ("3-6", _("3 to 6 days")),
            ("7-13", _("7 to 13 days")),
            ("14-", _("14 days or more")),
        ],
        method="filter_waiting",
        empty_label=_("Any time"),
    )

    class Meta:
        model = Task
        fields: list[str] = []
        form = forms.Form

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def filter_search(self, tasks: QuerySet[Task], name: str, value: str) -> QuerySet[Task]:
        return queries.search(tasks, value)

    def filter_programme(self, tasks: QuerySet[Task], name: str, value: str) -> QuerySet[Task]:
        return tasks.filter(process__flow_class=queries.PROGRAMME_BY_KEY[value].flow)

    def filter_round(self, tasks: QuerySet[Task], name: str, value: str) -> QuerySet[Task]:
        key, pk = value.split(".")
        programme = queries.PROGRAMME_BY_KEY[key]
        subjects = programme.model.objects.filter(round_id=int(pk)).values("pk")
        return tasks.filter(
            process__flow_class=programme.flow, process__artifact_object_id__in=subjects
        )

    def filter_step(self, tasks: QuerySet[Task], name: str, value: str) -> QuerySet[Task]:
        key, node = value.split(".")
        return tasks.filter(flow_task=queries.PROGRAMME_BY_KEY[key].flow.instance.node(node))

    def filter_holder(self, tasks: QuerySet[Task], name: str, value: str) -> QuerySet[Task]:
        if value == "me":
            return tasks.filter(owner=self.user)
        if value == "nobody":
            return tasks.filter(owner__isnull=True)
        return tasks.filter(owner__isnull=False).exclude(owner=self.user)

    def filter_waiting(self, tasks: QuerySet[Task], name: str, value: str) -> QuerySet[Task]:
        low, high = value.split("-")
        now = timezone.now()
        condition = Q(created__lte=now - dt.timedelta(days=int(low)))
        if high:
            condition &= Q(created__gt=now - dt.timedelta(days=int(high) + 1))
        return tasks.filter(condition)
