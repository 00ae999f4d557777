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
    return render(request, "declarations/public_list.html", {"page": page, "search": search})
