"""Reads of the committee screening: who may see which item, conflicts, loads, the results.

Every rule of visibility lives here, so that the web pages, the API and the services apply
the same one: a reviewer sees only their own assignments, never one on a company they are
conflicted with; staff (Role.STAFF) and the committee's chair see everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Company, Profile
from core.roles import Role, has_role

from . import analytics
from .exceptions import InvalidState, ReviewNotFound
from .models import (
    CommitteeDecision,
    ConflictOfInterest,
    Criterion,
    ReviewAssignment,
    ReviewItem,
    ReviewPanel,
    Score,
)

Status = ReviewAssignment.Status


# --- conflicts of interest -------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    """Why a reviewer is conflicted with a company: the rule, and the row that says so."""

    rule: str  # a ConflictOfInterest.Source value
    conflict_id: int | None = None  # None: the reviewer works for the company (their profile)


def _names_company(company: Company, prefix: str = "") -> Q:
    match = Q(**{f"{prefix}company_id": company.pk})
    if company.corporate_number:
        match |= Q(**{f"{prefix}corporate_number": company.corporate_number})
    return match


def _applies_to_panel(panel_id: int) -> Q:
    return Q(panel__isnull=True) | Q(panel_id=panel_id)


def conflict_of(reviewer: Any, item: ReviewItem) -> Conflict | None:
    """The reviewer's conflict with the item's company, or None when they may review it."""
    if Profile.objects.filter(user_id=reviewer.pk, company_id=item.company_id).exists():
        return Conflict(ConflictOfInterest.Source.DETECTED)
    row = (
        ConflictOfInterest.objects.filter(reviewer_id=reviewer.pk)
        .filter(_names_company(item.company), _applies_to_panel(item.panel_id))
        .order_by("pk")
        .first()
    )
    return Conflict(row.source, row.pk) if row else None


def reviewers_conflicted_with(item: ReviewItem) -> set[int]:
    """Ids of every user conflicted with the item's company in the item's committee."""
    members = Profile.objects.filter(company_id=item.company_id).values_list("user_id", flat=True)
    declared = (
        ConflictOfInterest.objects.filter(_names_company(item.company))
        .filter(_applies_to_panel(item.panel_id))
        .values_list("reviewer_id", flat=True)
    )
    return set(members) | set(declared)


def _conflicted_items(reviewer: Any, prefix: str = "") -> Q:
    """Items (through ``prefix``) on a company the reviewer is conflicted with."""
    company_id = Profile.objects.filter(user_id=reviewer.pk).values_list("company_id", flat=True)
    excluded = Q(**{f"{prefix}company_id__in": company_id.exclude(company_id=None)})
    for row in ConflictOfInterest.objects.filter(reviewer_id=reviewer.pk):
        names = Q()
        if row.company_id:
            names |= Q(**{f"{prefix}company_id": row.company_id})
        if row.corporate_number:
            names |= Q(**{f"{prefix}company__corporate_number": row.corporate_number})
        if names and row.panel_id:
            names &= Q(**{f"{prefix}panel_id": row.panel_id})
        excluded |= names
    return excluded


def conflicts_of_reviewer(user: Any) -> QuerySet[ConflictOfInterest]:
    return ConflictOfInterest.objects.filter(reviewer_id=user.pk).select_related("company", "panel")


# --- who sees what -----------------------------------------------------------------------------


def oversees(user: Any, panel: ReviewPanel) -> bool:
    """Programme staff and the committee's chair see every item, score and conflict."""
    return has_role(user, Role.STAFF) or (user is not None and panel.chair_id == user.pk)


def assignments_for_reviewer(user: Any, panel: ReviewPanel | None = None) -> QuerySet:
    """The user's own assignments, never a recused one nor one they are conflicted with."""
    assignments = (
        ReviewAssignment.objects.filter(reviewer_id=user.pk)
        .exclude(status=Status.RECUSED)
        .exclude(_conflicted_items(user, "item__"))
        .select_related("item__panel__rubric", "item__company")
        .order_by("item__panel__review_deadline", "item_id")
    )
    return assignments.filter(item__panel=panel) if panel else assignments


def items_for_reviewer(user: Any, panel: ReviewPanel | None = None) -> QuerySet[ReviewItem]:
    """Items the user may open: staff all, a chair their committee's, a reviewer those they
    were assigned and are not conflicted with."""
    items = ReviewItem.objects.select_related("panel", "company")
    if panel is not None:
        items = items.filter(panel=panel)
    if has_role(user, Role.STAFF):
        return items
    own = assignments_for_reviewer(user).values("item_id")
    return items.filter(Q(panel__chair_id=user.pk) | Q(pk__in=own)).distinct()


def _panels_reviewed_by(user: Any) -> QuerySet:
    return ReviewAssignment.objects.filter(reviewer_id=user.pk).values("item__panel_id")


def _results_readable(user: Any) -> Q:
    """Committees whose results the user reads: staff all; a chair theirs; an approver those
    they review nothing in (a reviewing approver scores blind, like any reviewer)."""
    if has_role(user, Role.STAFF):
        return Q()
    readable = Q(chair_id=user.pk)
    if has_role(user, Role.APPROVER):
        readable |= ~Q(pk__in=_panels_reviewed_by(user))
    return readable


def reads_results(user: Any, panel: ReviewPanel) -> bool:
    """Whether the user reads the committee's ranking, scores and selection (see
    ``_results_readable``)."""
    if oversees(user, panel):
        return True
    return (
        has_role(user, Role.APPROVER)
        and not _panels_reviewed_by(user).filter(item__panel=panel).exists()
    )


def may_act_on_decision(user: Any, panel: ReviewPanel) -> bool:
    """Staff, the chair and approvers act on a committee's decision (the services then check
    which of them may take which step); a reviewer never does."""
    return oversees(user, panel) or has_role(user, Role.APPROVER)


def panels_for_user(user: Any) -> QuerySet[ReviewPanel]:
    """Committees whose results the user may read: staff all, a chair theirs, an approver
    those they review nothing in."""
    panels = ReviewPanel.objects.select_related("rubric", "chair")
    return panels.filter(_results_readable(user))


def committees_for_user(user: Any) -> QuerySet[ReviewPanel]:
    """Committees the user may look at: those whose results they read, and a reviewer's own
    (in whose pool they are), where they see their own items only."""
    panels = ReviewPanel.objects.select_related("rubric", "chair").order_by("-pk")
    if has_role(user, Role.STAFF):
        return panels
    return panels.filter(_results_readable(user) | Q(reviewers=user)).distinct()


def review_items_for_user(user: Any, panel: ReviewPanel | None = None) -> QuerySet[ReviewItem]:
    """Items the user may look at: as ``items_for_reviewer``, and every item of a committee
    whose results the user reads."""
    if has_role(user, Role.STAFF):
        return items_for_reviewer(user, panel)
    readable = ReviewPanel.objects.filter(_results_readable(user)).values("pk")
    own = items_for_reviewer(user, panel).values("pk")
    items = ReviewItem.objects.select_related("panel", "company")
    if panel is not None:
        items = items.filter(panel=panel)
    return items.filter(Q(panel_id__in=readable) | Q(pk__in=own))


class PanelStatus(models.TextChoices):
    """Where a committee stands, from its reviews and its decisions."""

    REVIEWING = "reviewing", _("Reviewing")
    AWAITING_DECISION = "awaiting_decision", _("Awaiting the chair's decision")
    DECISION_RECORDED = "decision_recorded", _("Decision awaiting approval")
    APPROVED = "approved", _("Decision approved")


def panel_status(panel: ReviewPanel) -> PanelStatus:
    """Reviewing while reviews are open before the deadline; then awaiting the chair's decision
    (again after an approver returns it); then recorded; then approved."""
    decision = decision_standing(panel)
    if decision is not None:
        if decision.status == CommitteeDecision.Status.APPROVED:
            return PanelStatus.APPROVED
        return PanelStatus.DECISION_RECORDED
    return PanelStatus.REVIEWING if reviews_pending(panel) else PanelStatus.AWAITING_DECISION


def reviews_pending(panel: ReviewPanel) -> int:
    """Reviews the committee still waits for: those open while the deadline has not passed."""
    if panel.is_past_deadline:
        return 0
    return ReviewAssignment.objects.filter(item__panel=panel, status=Status.ASSIGNED).count()


def panel_get_for_user(user: Any, panel_id: int) -> ReviewPanel:
    panel = panels_for_user(user).filter(pk=panel_id).first()
    if panel is None:
        raise ReviewNotFound(_("No such committee."))
    return panel


def scores_visible_to(user: Any, item: ReviewItem) -> list[Score]:
    """Blind scoring: a reviewer sees the item's scores only once they submitted their own;
    staff and the chair see them all; anyone else nothing."""
    submitted = list(
        Score.objects.filter(assignment__item=item, assignment__status=Status.SUBMITTED)
        .select_related("assignment__reviewer", "criterion")
        .order_by("assignment__reviewer_id", "criterion__order", "criterion_id")
    )
    if oversees(user, item.panel):
        return submitted
    own = item.assignments.filter(reviewer_id=user.pk).first()
    if own is None or own.status != Status.SUBMITTED or conflict_of(user, item):
        return []
    return submitted


# --- the workflow's reads ----------------------------------------------------------------------


def panel_for_round(round: models.Model) -> ReviewPanel | None:
    """The committee of a round of any programme, or None."""
    return (
        ReviewPanel.objects.filter(
            content_type=ContentType.objects.get_for_model(round), object_id=round.pk
        )
        .select_related("rubric", "chair")
        .first()
    )


def review_item_for(subject: models.Model) -> ReviewItem:
    """The (latest) committee item of a nomination, application, …"""
    item = (
        ReviewItem.objects.filter(
            content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
        )
        .select_related("panel", "company")
        .order_by("-pk")
        .first()
    )
    if item is None:
        raise ReviewNotFound(_("This record has not been registered with a committee."))
    return item


def review_assignments_open(item: ReviewItem) -> QuerySet[ReviewAssignment]:
    return item.assignments.filter(status=Status.ASSIGNED).order_by("pk")


def panel_loads(panel: ReviewPanel) -> dict[int, int]:
    """Each reviewer's open and submitted assignments in the committee."""
    rows = (
        ReviewAssignment.objects.filter(
            item__panel=panel, status__in=(Status.ASSIGNED, Status.SUBMITTED)
        )
        .values("reviewer_id")
        .annotate(load=Count("pk"))
    )
    return {row["reviewer_id"]: row["load"] for row in rows}


def decision_standing(panel: ReviewPanel) -> CommitteeDecision | None:
    """The decision awaiting approval or approved; None before one or after a return."""
    return (
        panel.decisions.exclude(status=CommitteeDecision.Status.RETURNED)
        .select_related("recorded_by", "approved_by")
        .first()
    )


def decision_pending_approval(panel_id: int) -> CommitteeDecision:
    decision = (
        CommitteeDecision.objects.filter(
            panel_id=panel_id, status=CommitteeDecision.Status.RECORDED
        )
        .select_related("panel")
        .first()
    )
    if decision is None:
        raise InvalidState(_("No committee decision is awaiting approval."))
    return decision


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PanelResults:
    """The committee's figures, all computed by ``screening.analytics``.

    ``table``: one row per scored item, best first: rank, item_id, label, reviewers, mean_raw
    (weighted mean on the rubric's scale), std_raw, min_raw, max_raw, range_raw, mean_z (mean
    of the reviewers' z-scores), disagreement, within_quota (the ranking selects it),
    tied_at_quota (a tie across the quota: the chair chooses).
    ``agreement``: per criterion (code, label) the reviewers' pairwise agreement.
    ``reviewer_totals``: per reviewer and item, the raw weighted total and its z-score.
    ``unscored``: items without a submitted review, which cannot be ranked.
    """

    panel: ReviewPanel
    table: pd.DataFrame
    agreement: pd.DataFrame
    reviewer_totals: pd.DataFrame
    unscored: list[ReviewItem]


def analytics_rubric(panel: ReviewPanel) -> tuple[analytics.Rubric, list[Criterion]]:
    criteria = list(panel.rubric.criteria.all())
    rubric = analytics.Rubric(
        criteria={criterion.code: criterion.weight for criterion in criteria},
        scale_min=panel.rubric.scale_min,
        scale_max=panel.rubric.scale_max,
    )
    return rubric, criteria


def _submitted_scores(panel: ReviewPanel) -> list[analytics.Score]:
    rows = Score.objects.filter(
        assignment__item__panel=panel,
        assignment__item__withdrawn_at__isnull=True,
        assignment__status=Status.SUBMITTED,
    ).values_list("assignment__item_id", "assignment__reviewer_id", "criterion__code", "value")
    return [analytics.Score(*row) for row in rows.order_by("pk")]


def items_ranking(ranked: analytics.Ranking) -> pd.DataFrame:
    """The ranking in the committee's words: item_id, and within_quota for what it selects."""
    return ranked.table.rename(columns={"application_id": "item_id", "selected": "within_quota"})


def panel_results(panel: ReviewPanel) -> PanelResults:
    """Rank the committee's items from the submitted scores (mean z-score, ties shared)."""
    rubric, criteria = analytics_rubric(panel)
    frame = analytics.scores_frame(_submitted_scores(panel), rubric)
    totals = analytics.normalised(analytics.weighted_totals(frame, rubric))
    ranked = analytics.ranking(analytics.application_summary(totals), panel.quota)
    items = {item.pk: item for item in panel.items.all()}
    table = items_ranking(ranked)
    table.insert(2, "label", table["item_id"].map(lambda pk: items[pk].label))
    labels = {criterion.code: criterion.label for criterion in criteria}
    agreement = analytics.criterion_agreement(frame)
    agreement.insert(1, "label", agreement["criterion"].map(labels))
    reviewer_totals = totals.rename(columns={"application_id": "item_id"})
    scored = set(table["item_id"])
    return PanelResults(
        panel=panel,
        table=table,
        agreement=agreement,
        reviewer_totals=reviewer_totals,
        unscored=[
            item for pk, item in items.items() if pk not in scored and item.withdrawn_at is None
        ],
    )


def panel_items_for_user(user: Any, panel: ReviewPanel) -> list[dict[str, Any]]:
    """The committee's items the user may see, each with its place in the ranking and the
    standing decision's selection for those who read results (None for a reviewer, whose
    blind scoring the ranking would break)."""
    items = review_items_for_user(user, panel).order_by("pk")
    if not reads_results(user, panel):
        return [_item_row(item) for item in items]
    ranked = panel_results(panel).table.set_index("item_id")
    decision = decision_standing(panel)
    entries = {entry.item_id: entry for entry in decision.entries.all()} if decision else {}
    rows = []
    for item in items:
        row = _item_row(item)
        if item.pk in ranked.index:
            figures = ranked.loc[item.pk]
            row.update(
                rank=int(figures["rank"]),
                mean_raw=round(float(figures["mean_raw"]), analytics.DISPLAY_DECIMALS),
                mean_z=round(float(figures["mean_z"]), analytics.DISPLAY_DECIMALS),
                within_quota=bool(figures["within_quota"]),
                tied_at_quota=bool(figures["tied_at_quota"]),
            )
        if decision is not None:
            entry = entries.get(item.pk)
            row.update(
                selected=bool(entry and entry.selected),
                departure_reason=entry.departure_reason if entry else "",
            )
        rows.append(row)
    return sorted(rows, key=lambda row: (row["rank"] is None, row["rank"] or 0, row["id"]))


def _item_row(item: ReviewItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "label": item.label,
        "company": item.company.name,
        "withdrawn": item.withdrawn_at is not None,
        "rank": None,
        "mean_raw": None,
        "mean_z": None,
        "within_quota": None,
        "tied_at_quota": None,
        "selected": None,
        "departure_reason": None,
    }


def panel_selection_for_user(user: Any, panel: ReviewPanel) -> list[int] | None:
    """The standing decision's selected items, for those who read results; None otherwise
    (or before a decision)."""
    decision = decision_standing(panel)
    if decision is None or not reads_results(user, panel):
        return None
    return sorted(decision.entries.filter(selected=True).values_list("item_id", flat=True))
