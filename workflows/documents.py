"""Opening an uploaded document: through the services, which check who asks and audit the
staff side's openings; never a public media URL."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from applications import services as application_services
from awards import services as award_services
from awards.exceptions import NotFound
from core.uploads import document_response


@login_required
@require_GET
def application_document(request: HttpRequest, pk: int) -> HttpResponse:
    document = application_services.document_open(document_id=pk, by=request.user)
    return document_response(
        file=document.file,
        name=document.original_name,
        content_type=document.content_type,
        sha256=document.sha256,
        inline=request.GET.get("inline") == "1",
    )


@login_required
@require_GET
def nomination_document(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        document = award_services.document_open(document_id=pk, by=request.user)
    except NotFound as error:
        raise Http404(str(error.message)) from error
    return document_response(
        file=document.file,
        name=document.original_name,
        content_type=document.content_type,
        sha256=document.sha256,
        inline=request.GET.get("inline") == "1",
    )


urlpatterns = [
    path("applications/<int:pk>/", application_document, name="application"),
    path("nominations/<int:pk>/", nomination_document, name="nomination"),
]
