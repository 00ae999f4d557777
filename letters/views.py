from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from core.roles import is_staff_side

from .exceptions import LetterNotReady
from .models import Letter, LetterBatch
from .selectors import letter_get_for_user


def letter_file_response(letter: Letter) -> HttpResponse:
    """The issued letter's PDF; LetterNotReady (409) while it is still being generated."""
    if letter.status != Letter.Status.ISSUED:
        raise LetterNotReady(_("This letter is still being generated; try again in a moment."))
    response = FileResponse(
        letter.file.open("rb"), content_type="application/pdf", filename=f"{letter}.pdf"
    )
    response["X-Content-SHA256"] = letter.sha256
    return response


@login_required
def letter_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter's PDF, for its company's members, staff and auditors; 404 for anyone else."""
    try:
        return letter_file_response(letter_get_for_user(request.user, pk))
    except LetterNotReady as refused:
        return HttpResponse(refused.message, status=refused.http_status)


@login_required
def letter_batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A batch's progress; the page refreshes itself until the batch is done."""
    if not is_staff_side(request.user):
        raise Http404("No such batch.")
    batch = get_object_or_404(LetterBatch, pk=pk)
    return render(request, "letters/batch.html", {"batch": batch})
