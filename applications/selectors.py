from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.selectors import company_id_of_user
from core.roles import is_staff_side

from .models import Application, Decision, Document, SubsidyRound


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


def _round_open_now() -> Q:
    now = timezone.now()
    return Q(opens_at__lte=now, closes_at__gt=now)


def round_list_open() -> QuerySet[SubsidyRound]:
    """Rounds whose application window is open now."""
    return SubsidyRound.objects.filter(_round_open_now())


def round_list_for_user(user: Any, *, open_only: bool = False) -> QuerySet[SubsidyRound]:
    """Staff-side roles see every round; a company member sees the open rounds and any round
    their company has an application on (a draft included), whatever its window. With
    ``open_only``, only the open ones of those."""
    rounds = SubsidyRound.objects.all()
    if open_only:
        rounds = rounds.filter(_round_open_now())
    if is_staff_side(user):
        return rounds
    visible = _round_open_now()
    company_id = company_id_of_user(user)
    if company_id is not None:
        visible |= Q(
            Exists(Application.objects.filter(round_id=OuterRef("pk"), company_id=company_id))
        )
    return rounds.filter(visible)


def grant_decision_in_force(application: Application) -> Decision | None:
    """The application's grant decision that no later decision supersedes."""
    grants = Decision.objects.filter(application=application, kind=Decision.Kind.GRANT)
    superseded = Decision.objects.filter(supersedes__isnull=False).values("supersedes_id")
    return grants.exclude(pk__in=superseded).order_by("-decided_at", "-id").first()


def document_get_for_user(user: Any, document_id: int) -> Document:
    """A document of an application the user may see (its company's members and the staff-side
    roles); otherwise 404, whether or not it exists."""
    document = (
        Document.objects.select_related("application")
        .filter(pk=document_id, application__in=application_list_for_user(user))
        .first()
    )
    if document is None:
        raise Http404("No such document.")
    return document
