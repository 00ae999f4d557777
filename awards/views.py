"""Public pages of the award: the list of commended companies (no login)."""

from __future__ import annotations

from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import commended_companies, commended_fiscal_years


def commended_list(request: HttpRequest) -> HttpResponse:
    """Commended companies by fiscal year; ``?fiscal_year=2026`` shows one year."""
    requested = request.GET.get("fiscal_year", "")
    fiscal_year = int(requested) if requested.isdigit() else None
    commended = commended_companies(fiscal_year)
    years = [
        {"fiscal_year": year, "nominations": list(rows)}
        for year, rows in groupby(commended, key=lambda nomination: nomination.round.fiscal_year)
    ]
    return render(
        request,
        "awards/commended.html",
        {"years": years, "fiscal_year": fiscal_year, "all_years": commended_fiscal_years()},
    )
