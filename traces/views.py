"""The auditor's pages: search the records, read one record's decision trace, export it as PDF,
export the audit log of a period. Auditors (and administrators) read; everyone else gets 403.
Every page answers GET and HEAD only and writes nothing, not even an audit event."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.dates import today_jst
from core.roles import is_auditor

from . import exports
from .forms import PeriodForm, SearchForm
from .pdf import trace_pdf
from .selectors import (
    AWARD,
    DECLARATION,
    SUBSIDY,
    TRACES,
    chain_head,
    log_events,
    record_chain_check,
    records_search,
    search_rows,
)
from .timeline import person

PAGE_SIZE = 25
URL_NAMES = {
    SUBSIDY: "traces:application",
    DECLARATION: "traces:declaration",
    AWARD: "traces:nomination",
}


def auditor_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET and HEAD only (405 otherwise), signed in (else the login page), auditors only."""

    @wraps(view)
    def check(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_auditor(request.user):
            raise PermissionDenied(_("Only auditors can read the audit pages."))
        return view(request, *args, **kwargs)

    return require_safe(login_required(check))


@auditor_page
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    filters = form.filters()
    found = records_search(filters) if filters is not None else []
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    today = today_jst()
    return render(
        request,
        "traces/search.html",
        {
            "form": form,
            "page": page,
            "rows": [
                (row, reverse(URL_NAMES[row.programme], args=[row.pk]))
                for row in search_rows(page.object_list)
            ],
            "head": chain_head(),
            "period_form": PeriodForm(initial={"from": today.replace(day=1), "to": today}),
        },
    )


def _trace(programme: str, pk: int) -> Any:
    try:
        return TRACES[programme](pk)
    except ObjectDoesNotExist as error:
        raise Http404(_("There is no such record.")) from error


@auditor_page
def trace(request: HttpRequest, pk: int, programme: str) -> HttpResponse:
    found = _trace(programme, pk)
    return render(
        request,
        "traces/trace.html",
        {
            "trace": found,
            "chain": record_chain_check(found.events),
            "pdf_url": reverse(f"{URL_NAMES[programme]}_pdf", args=[pk]),
        },
    )


@auditor_page
def trace_export(request: HttpRequest, pk: int, programme: str) -> HttpResponse:
    """The trace as a PDF, with its events verified against the chain as it is made."""
    found = _trace(programme, pk)
    content = trace_pdf(
        found, record_chain_check(found.events), by=person(request.user), at=timezone.now()
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="trace-{found.reference}.pdf"'
    return response


def _period(request: HttpRequest) -> PeriodForm:
    return PeriodForm(request.GET)


def _refused(request: HttpRequest, form: PeriodForm) -> HttpResponse:
    return render(request, "traces/period_refused.html", {"form": form}, status=400)


@auditor_page
def log_csv(request: HttpRequest) -> HttpResponse:
    form = _period(request)
    if not form.is_valid():
        return _refused(request, form)
    start, end = form.period
    response = StreamingHttpResponse(
        exports.log_csv_lines(log_events(start=start, end=end)),
        content_type=exports.CSV_CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="audit-log-{start}-{end}.csv"'
    return response


@auditor_page
def log_xlsx(request: HttpRequest) -> HttpResponse:
    form = _period(request)
    if not form.is_valid():
        return _refused(request, form)
    start, end = form.period
    return FileResponse(
        exports.log_xlsx_file(log_events(start=start, end=end)),
        as_attachment=True,
        filename=f"audit-log-{start}-{end}.xlsx",
        content_type=exports.XLSX_CONTENT_TYPE,
    )
