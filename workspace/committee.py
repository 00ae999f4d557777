"""The committee's decision from the web: staff open it from the committee's page (screening's
panel page shows the button by URL name, as screening may not import the workspace)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import KofuError, NotAllowed
from screening.models import ReviewPanel
from workflows import services


@login_required
@require_POST
def start(request: HttpRequest, panel_id: int) -> HttpResponse:
    """Staff: open the committee's decision; a refusal (already open, …) comes back as a message."""
    panel = get_object_or_404(ReviewPanel, pk=panel_id)
    try:
        services.committee_process_start(panel_id=panel.pk, by=request.user)
    except NotAllowed as error:
        raise PermissionDenied(str(error.message)) from error
    except KofuError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("The committee's decision is open: the chair records it in their tasks.")
        )
    return redirect("reviews:panel", panel_id=panel.pk)
