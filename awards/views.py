"""Pages of the award: the public list of commended companies (no login), and the staff's list
of award rounds with their screening committees."""

from __future__ import annotations

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.roles import Role, has_role
from screening.selectors import panel_for_round

from .models import AwardRound
from .selectors import commended_companies, commended_fiscal_years


def commended_list(request: HttpRequest) -> HttpResponse:
    """Commended companies by fiscal year; ``?fiscal_year=2026`` shows one year."""
    requested = request.GET.get("fiscal_year", "")
    fiscal_year = int(requested) if requested.isdigit() else None
    search = request.GET.get("q", "").strip()[:100]
    commended = commended_companies(fiscal_year, search)
    years = [
        {"fiscal_year": year, "nominations": list(rows)}
        for year, rows in groupby(commended, key=lambda nomination: nomination.round.fiscal_year)
    ]
    return render(
        request,
        "awards/commended.html",
        {
            "years": years,
            "fiscal_year": fiscal_year,
            "all_years": commended_fiscal_years(),
            "search": search,
        },
    )


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    """Staff: each award round with its committee, or the link that sets one up."""
    if not has_role(request.user, Role.STAFF):
        raise PermissionDenied(_("Only programme staff can manage award rounds."))
    content_type = ContentType.objects.get_for_model(AwardRound)
    create = reverse("reviews:panel_create")
    rows = [
        {
            "round": round_,
            "panel": panel_for_round(round_),
            "create_url": f"{create}?round={content_type.pk}:{round_.pk}",
        }
        for round_ in AwardRound.objects.all()
    ]
    return render(request, "awards/rounds.html", {"rows": rows})
