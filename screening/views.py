"""The reviewer's pages (their reviews, scoring, recusal, conflicts), the committee's results
for staff, the chair and approvers, and the staff's page that sets up a committee for a round
of any programme. A conflicted reviewer gets the plain 404 page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import KofuError, NotAllowed
from core.roles import Role, has_role

from . import committee, exports, policy
from .forms import PanelForm, RecuseForm, ScoreForm
from .models import ReviewAssignment, ReviewPanel
from .selectors import (
    assignments_for_reviewer,
    conflicts_of_reviewer,
    decision_standing,
    oversees,
    panel_for_round,
    panel_get_for_user,
    panel_results,
    panels_for_user,
    scores_visible_to,
)
from .subjects import subject_for_review

T = TypeVar("T")


def _or_404(lookup: Callable[[], T]) -> T:
    try:
        return lookup()
    except KofuError as error:
        if error.http_status == 404:
            raise Http404(str(error.message)) from error
        raise


def _assignment(request: HttpRequest, pk: int) -> ReviewAssignment:
    return _or_404(lambda: committee.assignment_for_reviewer(user=request.user, assignment_id=pk))


def _panel(request: HttpRequest, panel_id: int) -> ReviewPanel:
    return _or_404(lambda: panel_get_for_user(request.user, panel_id))


def _act(request: HttpRequest, action: Callable[[], Any], done: str) -> bool:
    """Run a service; show its refusal or ``done`` as a message. True when it succeeded."""
    try:
        _or_404(action)
    except KofuError as error:
        messages.error(request, str(error.message))
        return False
    messages.success(request, done)
    return True


def _form_errors(request: HttpRequest, form: forms.BaseForm) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


class ConflictForm(forms.Form):
    corporate_number = forms.CharField(
        label=gettext_lazy("Corporate number (法人番号)"), min_length=13, max_length=13
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "screening/index.html",
        {
            "assignments": assignments_for_reviewer(request.user),
            "panels": panels_for_user(request.user),
        },
    )


def _score_table(assignment: ReviewAssignment, user: Any) -> list[dict[str, Any]]:
    """The scores the user may see, one row per reviewer, in the rubric's order."""
    rows: dict[int, dict[str, Any]] = {}
    for score in scores_visible_to(user, assignment.item):
        reviewer = score.assignment.reviewer
        row = rows.setdefault(
            reviewer.pk,
            {
                "reviewer": reviewer.get_full_name() or reviewer.get_username(),
                "own": reviewer.pk == user.pk,
                "values": [],
                "comment": score.assignment.comment,
            },
        )
        row["values"].append({"criterion": score.criterion.label, "value": score.value})
    return list(rows.values())


def _detail_page(
    request: HttpRequest,
    assignment: ReviewAssignment,
    *,
    form: ScoreForm | None = None,
    recuse_form: RecuseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The review page: the item's subject in full beside the rubric; a form that came back
    keeps what the reviewer entered. Only for an assignment ``_assignment`` let them open."""
    item = assignment.item
    panel = item.panel
    actions = policy.review_actions(request.user, assignment)
    return render(
        request,
        "screening/detail.html",
        {
            "assignment": assignment,
            "item": item,
            "panel": panel,
            "subject": subject_for_review(item),
            "criteria": list(panel.rubric.criteria.all()),
            "can_score": actions[policy.SCORE],
            "can_recuse": actions[policy.RECUSE],
            "form": form or ScoreForm(rubric=panel.rubric),
            "recuse_form": recuse_form or RecuseForm(),
            "scores": _score_table(assignment, request.user),
            "breadcrumbs": [
                {"url": reverse("reviews:index"), "label": _("My reviews")},
                {"label": item.label},
            ],
        },
        status=status,
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _assignment(request, pk))


@login_required
@require_POST
def score(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    form = ScoreForm(request.POST, rubric=assignment.item.panel.rubric)
    if form.is_valid():
        try:
            _or_404(
                lambda: committee.scores_submit(
                    assignment_id=pk,
                    by=request.user,
                    scores=form.scores,
                    comment=form.cleaned_data["comment"],
                )
            )
        except KofuError as error:
            form.refusal_show(error)
        else:
            messages.success(request, _("Scores submitted."))
            return redirect("reviews:detail", pk=pk)
    return _detail_page(request, assignment, form=form, status=400)


@login_required
@require_POST
def recuse(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    form = RecuseForm(request.POST)
    if form.is_valid():
        try:
            _or_404(
                lambda: committee.assignment_recuse(
                    assignment_id=pk, by=request.user, reason=form.cleaned_data["reason"]
                )
            )
        except KofuError as error:
            form.refusal_show(error)
        else:
            messages.success(request, _("You recused yourself; the item goes to another reviewer."))
            return redirect("reviews:index")
    return _detail_page(request, assignment, recuse_form=form, status=400)


@login_required
def conflicts(request: HttpRequest) -> HttpResponse:
    form = ConflictForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            _form_errors(request, form)
        elif _act(
            request,
            lambda: committee.conflict_declare(
                reviewer=request.user,
                by=request.user,
                reason=form.cleaned_data["reason"],
                corporate_number=form.cleaned_data["corporate_number"],
            ),
            _("Conflict of interest recorded."),
        ):
            return redirect("reviews:conflicts")
    return render(
        request,
        "screening/conflicts.html",
        {"conflicts": conflicts_of_reviewer(request.user), "form": form},
    )


@login_required
def panel_detail(request: HttpRequest, panel_id: int) -> HttpResponse:
    panel = _panel(request, panel_id)
    results = panel_results(panel)
    names = {user.pk: user.get_username() for user in panel.reviewers.all()}
    labels = dict(zip(results.table["item_id"], results.table["label"], strict=True))
    totals = results.reviewer_totals.assign(
        reviewer=results.reviewer_totals["reviewer_id"].map(names),
        label=results.reviewer_totals["item_id"].map(labels),
    ).sort_values(["reviewer_id", "item_id"])
    return render(
        request,
        "screening/panel.html",
        {
            "panel": panel,
            "rows": results.table.to_dict("records"),
            "agreement": results.agreement.to_dict("records"),
            "totals": totals.to_dict("records"),
            "unscored": results.unscored,
            "decision": decision_standing(panel),
            "oversees": oversees(request.user, panel),
            "reviewers": panel.reviewers.order_by("username"),
            "can_open_decision": has_role(request.user, Role.STAFF),
        },
    )


# --- setting up a committee (programme staff) --------------------------------------------------


def _staff_only(request: HttpRequest) -> None:
    if not has_role(request.user, Role.STAFF):
        raise PermissionDenied(_("Only programme staff can set up a screening committee."))


def _round_of(request: HttpRequest) -> models.Model:
    """The round named by ``?round=<content type id>:<object id>``, of any programme."""
    try:
        content_type_id, object_id = (int(part) for part in request.GET["round"].split(":"))
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            raise Http404(_("No such round."))
        return model._default_manager.get(pk=object_id)
    except (KeyError, ValueError, ObjectDoesNotExist) as error:
        raise Http404(_("No such round.")) from error


@login_required
def panels(request: HttpRequest) -> HttpResponse:
    """Every committee the user may read, newest first."""
    return render(
        request,
        "screening/panels.html",
        {
            "panels": panels_for_user(request.user)
            .annotate(item_count=Count("items"))
            .prefetch_related("round"),
            "can_create": has_role(request.user, Role.STAFF),
        },
    )


@login_required
def panel_create(request: HttpRequest) -> HttpResponse:
    """Staff set up the committee of the round in ``?round=``; one committee per round."""
    _staff_only(request)
    round_ = _round_of(request)
    existing = panel_for_round(round_)
    if existing is not None:
        messages.info(request, _("This round already has a screening committee."))
        return redirect("reviews:panel", panel_id=existing.pk)
    form = PanelForm(request.POST or None, initial={"quota": getattr(round_, "quota", None)})
    if request.method == "POST" and form.is_valid():
        try:
            panel = committee.panel_create(round=round_, by=request.user, **form.panel_arguments())
        except NotAllowed as error:
            raise PermissionDenied(str(error.message)) from error
        except KofuError as error:
            form.refusal_show(error)
        else:
            messages.success(request, _("The committee is set up."))
            return redirect("reviews:panel", panel_id=panel.pk)
    return render(request, "screening/panel_form.html", {"form": form, "round": round_})


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def panel_xlsx(request: HttpRequest, panel_id: int) -> HttpResponse:
    panel = _panel(request, panel_id)
    return _download(
        exports.ranked_table_bytes(panel, "xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"committee-{panel.pk}-ranking.xlsx",
    )


@login_required
def panel_csv(request: HttpRequest, panel_id: int) -> HttpResponse:
    panel = _panel(request, panel_id)
    return _download(
        exports.ranked_table_bytes(panel, "csv"),
        "text/csv; charset=utf-8",
        f"committee-{panel.pk}-ranking.csv",
    )


@login_required
def panel_minutes(request: HttpRequest, panel_id: int) -> HttpResponse:
    panel = _panel(request, panel_id)
    language = "en" if request.LANGUAGE_CODE.startswith("en") else "ja"
    return _download(
        exports.minutes_pdf(panel, language),
        "application/pdf",
        f"committee-{panel.pk}-minutes-{language}.pdf",
    )
