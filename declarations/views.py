"""The public list of promotion declarations (no login)."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import published_declarations

PAGE_SIZE = 50


def public_list(request: HttpRequest) -> HttpResponse:
    """Registered declarations whose companies consented to appear, by registration number."""
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(published_declarations(search), PAGE_SIZE).get_page(request.GET.get("page"))
    # a search typed with htmx on the page gets only the results, swapped in place
    template = (
        "declarations/_public_results.html" if request.htmx else "declarations/public_list.html"
    )
    return render(request, template, {"page": page, "search": search})
