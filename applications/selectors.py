from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.selectors import company_id_of_user
from core.roles import is_staff_side

from .models import Application, Decision, SubsidyRound


def application_list_for_user(user: Any) -> QuerySet[Application]:
    """Staff-side roles see every application; a company member sees only their company's."""
    queryset = Application.objects.select_related("round", "company")
    if is_staff_side(user):
        return queryset
    company_id = company_id_of_user(user)
    if company_id is None:
        return queryset.none()
    return queryset.filter(company_id=company_id)


def application_get_for_user(user: Any, application_id: int) -> Application:
    """The application if the user may see it; otherwise 404, whether or not it exists."""
    application = application_list_for_user(user).filter(pk=application_id).first()
    if application is None:
        raise Http404("No such application.")
    return application


def round_list_open() -> QuerySet[SubsidyRound]:
    now = timezone.now()
    return SubsidyRound.objects.filter(opens_at__lte=now, closes_at__gt=now)


def grant_decision_in_force(application: Application) -> Decision | None:
    """The application's grant decision that no later decision supersedes."""
    grants = Decision.objects.filter(application=application, kind=Decision.Kind.GRANT)
    superseded = Decision.objects.filter(supersedes__isnull=False).values("supersedes_id")
    return grants.exclude(pk__in=superseded).order_by("-decided_at", "-id").first()
