"""Use cases of committee screening (審査委員会), for a round of any programme.

A committee (ReviewPanel) reviews items (nominations, applications, …) of one round: each item
goes to K reviewers from the committee's pool, never to one conflicted with the item's company
and least loaded first; reviewers score it blind against the rubric; the scores are ranked by
``screening.analytics``; the chair records the selection, explaining every departure from the
ranking, and an approver who reviewed nothing in the round approves it.

Each use case is one transaction. The audit trail is kept on the item (or, for the decision,
on the committee) so that one page tells an item's whole review. A refused look at an item by
a conflicted reviewer is itself recorded, outside the transaction that fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, NoReturn

import pandas as pd
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Company
from audit.services import event_record
from audit.transitions import transition_fire
from core.corporate_number import validate_corporate_number
from core.dates import JST, add_business_days, end_of_day_jst
from core.policy import refuse_unless
from core.roles import Role, has_role
from notifications.services import notify, reminder_once
from web.templatetags.kofu import when

from . import policy
from .exceptions import (
    DepartureUnexplained,
    InvalidState,
    NotAllowed,
    NotEnoughReviewers,
    ReviewNotFound,
    SameMemberApproves,
    ValidationFailed,
)
from .models import (
    CommitteeDecision,
    CommitteeDecisionEntry,
    ConflictOfInterest,
    ReviewAssignment,
    ReviewItem,
    ReviewPanel,
    Rubric,
    Score,
)
from .selectors import (
    Conflict,
    PanelResults,
    assignments_for_reviewer,
    conflict_of,
    decision_pending_approval,
    oversees,
    panel_for_round,
    panel_loads,
    panel_results,
    reads_results,
    review_assignments_open,
    review_item_for,
    reviewers_conflicted_with,
    reviews_pending,
)
from .signals import assignment_closed, assignment_replaced

__all__ = [
    "PanelResults",
    "assignment_for_reviewer",
    "assignment_miss",
    "assignment_recuse",
    "committee_approve",
    "committee_decide",
    "conflict_declare",
    "decision_outcomes",
    "decision_pending_approval",
    "item_register",
    "panel_create",
    "panel_for_round",
    "panel_results",
    "review_assignments_open",
    "review_item_for",
    "review_item_get",
    "review_reminders_send",
    "reviewers_assign",
    "scores_submit",
]

Status = ReviewAssignment.Status
REMINDER_BUSINESS_DAYS = 2
MEANS = Decimal("0.0001")


# --- helpers -----------------------------------------------------------------------------------


def _fire(
    record: models.Model,
    transition: Callable[..., Any],
    *,
    subject: models.Model,
    **kwargs: Any,
) -> None:
    """Fire one transition of a locked row; the audit event goes on ``subject`` (the item or
    the committee), where the committee's trail is read."""
    transition_fire(record, transition, subject=subject, **kwargs)


def _member_role(user: Any) -> Role:
    """A committee member acts as staff when they are programme staff, else as a reviewer."""
    return Role.STAFF if has_role(user, Role.STAFF) else Role.REVIEWER


_deadline_text = policy.deadline_text


def _locked_assignment(assignment_id: int) -> ReviewAssignment:
    return (
        ReviewAssignment.objects.select_for_update(of=("self",))
        .select_related("item__panel__rubric", "item__company")
        .get(pk=assignment_id)
    )


def _locked_panel(panel_id: int) -> ReviewPanel:
    return ReviewPanel.objects.select_for_update().select_related("rubric").get(pk=panel_id)


# --- the committee and its items -------------------------------------------------------------


@transaction.atomic
def panel_create(
    *,
    round: models.Model,
    name: str,
    rubric: Rubric,
    reviewers: Iterable[Any],
    reviewers_per_item: int,
    review_deadline: Any,
    chair: Any,
    quota: int,
    by: Any,
) -> ReviewPanel:
    """Programme staff set up the committee of a round: pool, rubric, K, deadline, quota."""
    if not has_role(by, Role.STAFF):
        raise NotAllowed(_("Only programme staff can set up a screening committee."))
    pool = list(reviewers)
    _check_panel(name, rubric, pool, reviewers_per_item, review_deadline, chair, quota)
    if panel_for_round(round) is not None:
        raise InvalidState(_("This round already has a screening committee."))
    panel = ReviewPanel.objects.create(
        content_type=ContentType.objects.get_for_model(round),
        object_id=round.pk,
        name=name.strip(),
        rubric=rubric,
        reviewers_per_item=reviewers_per_item,
        review_deadline=review_deadline,
        chair=chair,
        quota=quota,
    )
    panel.reviewers.set(pool)
    event_record(
        panel,
        "panel_create",
        by=by,
        role=Role.STAFF,
        data={
            "round": f"{panel.content_type.app_label}.{panel.content_type.model}#{round.pk}",
            "reviewers": sorted(user.pk for user in pool),
            "reviewers_per_item": reviewers_per_item,
            "chair": chair.pk,
            "quota": quota,
            "review_deadline": review_deadline,
        },
    )
    return panel


def _check_panel(
    name: str,
    rubric: Rubric,
    pool: list[Any],
    reviewers_per_item: int,
    review_deadline: Any,
    chair: Any,
    quota: int,
) -> None:
    if not name.strip():
        raise ValidationFailed(_("Give the committee a name."), field="name")
    if not rubric.criteria.exists():
        raise ValidationFailed(_("The rubric has no criteria to score."), field="rubric")
    if reviewers_per_item < 1:
        raise ValidationFailed(
            _("Each item needs at least one reviewer."), field="reviewers_per_item"
        )
    if len(pool) < reviewers_per_item:
        raise ValidationFailed(
            _("The pool has %(pool)s reviewers but each item needs %(k)s: add reviewers.")
            % {"pool": len(pool), "k": reviewers_per_item},
            field="reviewers",
        )
    if quota < 1:
        raise ValidationFailed(_("The committee must have at least one place."), field="quota")
    if chair is None:
        raise ValidationFailed(_("Name the committee's chair."), field="chair")
    if review_deadline <= timezone.now():
        raise ValidationFailed(_("The review deadline must be in the future."), field="deadline")


@transaction.atomic
def item_register(
    *, panel: ReviewPanel, subject: models.Model, company: Company, label: str
) -> ReviewItem:
    """Put a nomination, application, … before the committee; registering twice is harmless."""
    item, created = ReviewItem.objects.get_or_create(
        panel=panel,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        defaults={"company": company, "label": label},
    )
    if created:
        event_record(
            item,
            "item_register",
            by=None,
            role=Role.SYSTEM,
            data={"panel": panel.pk, "company": company.pk, "label": label},
        )
    return item


# --- assignment --------------------------------------------------------------------------------


def _least_loaded(panel: ReviewPanel, item: ReviewItem, count: int) -> list[Any]:
    """Up to ``count`` eligible reviewers: in the pool, not conflicted with the item's company,
    not already on the item; least loaded first, then by user id so the choice is repeatable."""
    excluded = reviewers_conflicted_with(item) | set(
        item.assignments.values_list("reviewer_id", flat=True)
    )
    loads = panel_loads(panel)
    eligible = [
        user
        for user in panel.reviewers.filter(is_active=True).select_related("profile")
        if user.pk not in excluded
    ]
    eligible.sort(key=lambda user: (loads.get(user.pk, 0), user.pk))
    return eligible[:count]


def _assign(
    item: ReviewItem, reviewer: Any, *, replaces: ReviewAssignment | None = None
) -> ReviewAssignment:
    assignment = ReviewAssignment.objects.create(item=item, reviewer=reviewer, replaces=replaces)
    event_record(
        item,
        "reviewer_assign",
        by=None,
        role=Role.SYSTEM,
        to_status=assignment.status,
        data={
            "assignment": assignment.pk,
            "reviewer": reviewer.pk,
            "replaces": replaces.pk if replaces else None,
        },
    )
    notify(
        recipients=[reviewer],
        kind="review_assigned",
        context={
            "label": item.label,
            "committee": item.panel.name,
            "deadline": _deadline_text(item.panel),
        },
        link=assignment.get_absolute_url(),
    )
    return assignment


@transaction.atomic
def reviewers_assign(*, item_id: int) -> list[ReviewAssignment]:
    """Give the item its K reviewers (those it lacks); refuse when too few are eligible."""
    item = ReviewItem.objects.select_related("company").get(pk=item_id)
    # one assignment at a time per committee, so that every choice sees the current loads
    panel = _locked_panel(item.panel_id)
    item.panel = panel
    if item.withdrawn_at is not None:
        raise InvalidState(_("“%(item)s” was withdrawn.") % {"item": item.label})
    needed = panel.reviewers_per_item - item.assignments.exclude(status=Status.RECUSED).count()
    if needed <= 0:
        return []
    chosen = _least_loaded(panel, item, needed)
    if len(chosen) < needed:
        raise NotEnoughReviewers(
            _(
                "Only %(eligible)s reviewers of the committee can review “%(item)s” without a "
                "conflict of interest, but it needs %(needed)s: add reviewers to the pool."
            )
            % {"eligible": len(chosen), "item": item.label, "needed": needed}
        )
    return [_assign(item, reviewer) for reviewer in chosen]


def _replace(assignment: ReviewAssignment) -> ReviewAssignment | None:
    item = assignment.item
    item.panel = _locked_panel(item.panel_id)
    chosen = _least_loaded(item.panel, item, 1)
    if not chosen:
        event_record(
            item,
            "replacement_unavailable",
            by=None,
            role=Role.SYSTEM,
            data={"assignment": assignment.pk},
        )
        return None
    return _assign(item, chosen[0], replaces=assignment)


def _recuse_and_replace(
    assignment: ReviewAssignment, *, by: Any, role: Role, reason: str
) -> ReviewAssignment | None:
    _fire(
        assignment,
        assignment.recuse,
        subject=assignment.item,
        by=by,
        role=role,
        action="review_recuse",
        reason=reason,
        data={"reviewer": assignment.reviewer_id},
    )
    replacement = _replace(assignment)
    assignment_replaced.send(sender=ReviewAssignment, old=assignment, new=replacement)
    return replacement


# --- conflicts of interest ----------------------------------------------------------------


def _checked_corporate_number(value: str) -> str:
    value = value.strip()
    if value:
        try:
            validate_corporate_number(value)
        except ValidationError as error:
            raise ValidationFailed(error.messages[0], field="corporate_number") from error
    return value


def _ensure_may_declare(reviewer: Any, by: Any) -> Role:
    if by.pk == reviewer.pk and has_role(by, Role.REVIEWER):
        return Role.REVIEWER
    if has_role(by, Role.STAFF):
        return Role.STAFF
    raise NotAllowed(
        _("A reviewer declares their own conflicts; programme staff may record them for them.")
    )


@transaction.atomic
def conflict_declare(
    *,
    reviewer: Any,
    by: Any,
    reason: str,
    company: Company | None = None,
    corporate_number: str = "",
    panel: ReviewPanel | None = None,
) -> ConflictOfInterest:
    """Record that the reviewer must not review a company (in one committee, or in all);
    their open assignments on it are recused and given to another reviewer."""
    role = _ensure_may_declare(reviewer, by)
    if not reason.strip():
        raise ValidationFailed(_("Say why you cannot review this company."), field="reason")
    corporate_number = _checked_corporate_number(corporate_number)
    if company is None and not corporate_number:
        raise ValidationFailed(
            _("Name the company by its corporate number (法人番号)."), field="corporate_number"
        )
    if company is None:
        company = Company.objects.filter(corporate_number=corporate_number).first()
    conflict = ConflictOfInterest.objects.create(
        reviewer=reviewer,
        company=company,
        corporate_number=corporate_number,
        reason=reason.strip(),
        source=ConflictOfInterest.Source.DECLARED,
        panel=panel,
    )
    event_record(
        conflict,
        "conflict_declare",
        by=by,
        role=role,
        reason=conflict.reason,
        data={
            "reviewer": reviewer.pk,
            "company": company.pk if company else None,
            "corporate_number": corporate_number,
            "panel": panel.pk if panel else None,
        },
    )
    for assignment in _open_assignments_on(conflict):
        _recuse_and_replace(assignment, by=by, role=role, reason=conflict.reason)
    return conflict


def _open_assignments_on(conflict: ConflictOfInterest) -> list[ReviewAssignment]:
    names = models.Q()
    if conflict.company_id:
        names |= models.Q(item__company_id=conflict.company_id)
    if conflict.corporate_number:
        names |= models.Q(item__company__corporate_number=conflict.corporate_number)
    assignments = ReviewAssignment.objects.select_for_update(of=("self",)).filter(
        names, reviewer_id=conflict.reviewer_id, status=Status.ASSIGNED
    )
    if conflict.panel_id:
        assignments = assignments.filter(item__panel_id=conflict.panel_id)
    return list(assignments.select_related("item__panel", "item__company").order_by("pk"))


# --- what a reviewer may open ------------------------------------------------------------


def _refuse(user: Any, item: ReviewItem, conflict: Conflict) -> NoReturn:
    # Committed on its own, before (and whatever becomes of) the request it refuses: the
    # attempt is what the audit trail must show. Callers do not hold a transaction here.
    with transaction.atomic():
        event_record(
            item,
            "coi_access_refused",
            by=user,
            role=Role.REVIEWER,
            data={
                "reviewer": user.pk,
                "item": item.pk,
                "company": item.company_id,
                "rule": conflict.rule,
                "conflict": conflict.conflict_id,
            },
        )
    raise ReviewNotFound(_("No such review."))


def assignment_for_reviewer(*, user: Any, assignment_id: int) -> ReviewAssignment:
    """The assignment if the user may open it: their own and not recused, or any for staff
    and the chair. A conflicted reviewer gets "not found", and the attempt is audited."""
    assignment = (
        ReviewAssignment.objects.select_related("item__panel__rubric", "item__company", "reviewer")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise ReviewNotFound(_("No such review."))
    item = assignment.item
    if oversees(user, item.panel):
        return assignment
    conflict = conflict_of(user, item)
    if conflict is not None:
        _refuse(user, item, conflict)
    if assignment.reviewer_id != user.pk or assignment.status == Status.RECUSED:
        raise ReviewNotFound(_("No such review."))
    return assignment


def review_item_get(*, user: Any, item_id: int) -> ReviewItem:
    """The item if the user may look at it: any for those who read the committee's results,
    else one the reviewer was assigned. A conflicted reviewer gets "not found", and the
    attempt is audited."""
    item = ReviewItem.objects.select_related("panel", "company").filter(pk=item_id).first()
    if item is None:
        raise ReviewNotFound(_("No such review."))
    if reads_results(user, item.panel):
        return item
    conflict = conflict_of(user, item)
    if conflict is not None:
        _refuse(user, item, conflict)
    if not assignments_for_reviewer(user, item.panel).filter(item=item).exists():
        raise ReviewNotFound(_("No such review."))
    return item


# --- the reviewer's acts -----------------------------------------------------------------


def assignment_recuse(*, assignment_id: int, by: Any, reason: str) -> ReviewAssignment | None:
    """The reviewer steps back from an item: the conflict is recorded and the item goes to
    the least loaded eligible reviewer; None when nobody is left to take it."""
    assignment_for_reviewer(user=by, assignment_id=assignment_id)
    return _assignment_recuse(assignment_id=assignment_id, by=by, reason=reason)


@transaction.atomic
def _assignment_recuse(*, assignment_id: int, by: Any, reason: str) -> ReviewAssignment | None:
    assignment = _locked_assignment(assignment_id)
    answer = policy.review_actions(by, assignment)[policy.RECUSE]
    if not answer and answer.error is NotAllowed:
        refuse_unless(answer)  # someone else's review: refused before the reason is read
    if not reason.strip():
        raise ValidationFailed(_("Say why you recuse yourself."), field="reason")
    item = assignment.item
    refuse_unless(answer)
    ConflictOfInterest.objects.create(
        reviewer=by,
        company=item.company,
        corporate_number=item.company.corporate_number or "",
        reason=reason.strip(),
        source=ConflictOfInterest.Source.RECUSAL,
        panel=item.panel,
    )
    return _recuse_and_replace(assignment, by=by, role=Role.REVIEWER, reason=reason.strip())


def _checked_scores(rubric: Rubric, scores: Mapping[str, Any]) -> dict[str, int]:
    codes = [criterion.code for criterion in rubric.criteria.all()]
    unknown = sorted(set(scores) - set(codes))
    if unknown:
        raise ValidationFailed(
            _("The rubric has no criterion %(codes)s.") % {"codes": ", ".join(unknown)},
            field="scores",
        )
    missing = [code for code in codes if code not in scores]
    if missing:
        raise ValidationFailed(
            _("Score every criterion: %(codes)s has no score.") % {"codes": ", ".join(missing)},
            field=f"scores.{missing[0]}",
        )
    for code in codes:
        value = scores[code]
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationFailed(
                _("A score is a whole number, not “%(value)s”.") % {"value": value},
                field=f"scores.{code}",
            )
        if not rubric.scale_min <= value <= rubric.scale_max:
            raise ValidationFailed(
                _("A score is from %(low)s to %(high)s; %(value)s is outside the scale.")
                % {"low": rubric.scale_min, "high": rubric.scale_max, "value": value},
                field=f"scores.{code}",
            )
    return {code: scores[code] for code in codes}


def scores_submit(
    *, assignment_id: int, by: Any, scores: Mapping[str, int], comment: str = ""
) -> ReviewAssignment:
    """The assigned reviewer scores every criterion once, within the scale, by the deadline."""
    assignment_for_reviewer(user=by, assignment_id=assignment_id)
    return _scores_record(assignment_id=assignment_id, by=by, scores=scores, comment=comment)


@transaction.atomic
def _scores_record(
    *, assignment_id: int, by: Any, scores: Mapping[str, int], comment: str
) -> ReviewAssignment:
    assignment = _locked_assignment(assignment_id)
    item = assignment.item
    refuse_unless(policy.review_actions(by, assignment)[policy.SCORE])
    values = _checked_scores(item.panel.rubric, scores)
    criteria = {criterion.code: criterion for criterion in item.panel.rubric.criteria.all()}
    Score.objects.bulk_create(
        Score(assignment=assignment, criterion=criteria[code], value=value)
        for code, value in values.items()
    )
    _fire(
        assignment,
        assignment.submit,
        subject=item,
        by=by,
        role=Role.REVIEWER,
        action="scores_submit",
        data={"scores": values, "comment": comment.strip()},
        comment=comment.strip(),
    )
    assignment_closed.send(sender=ReviewAssignment, assignment=assignment)
    return assignment


@transaction.atomic
def item_withdraw(*, subject: models.Model, by: Any | None) -> ReviewItem | None:
    """The applicant withdrew what the committee reviews: it leaves the ranking, and its open
    reviews close (their tasks end through ``assignment_closed``). Safe to repeat; None when
    the subject was never registered with a committee."""
    item = (
        ReviewItem.objects.select_for_update()
        .filter(content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk)
        .order_by("-pk")
        .first()
    )
    if item is None or item.withdrawn_at is not None:
        return item
    item.withdrawn_at = timezone.now()
    item.save(update_fields=["withdrawn_at"])
    event_record(item, "review_item_withdraw", by=by, role=Role.APPLICANT if by else Role.SYSTEM)
    for assignment in item.assignments.select_for_update().filter(status=Status.ASSIGNED):
        _fire(
            assignment,
            assignment.withdraw,
            subject=item,
            by=None,
            role=Role.SYSTEM,
            action="review_withdraw",
            data={"reviewer": assignment.reviewer_id},
        )
        assignment_closed.send(sender=ReviewAssignment, assignment=assignment)
    return item


# --- timers ---------------------------------------------------------------------------------


@transaction.atomic
def assignment_miss(*, assignment_id: int) -> ReviewAssignment:
    """The deadline passed without scores: the assignment closes as missed (safe to repeat)."""
    assignment = _locked_assignment(assignment_id)
    if assignment.status != Status.ASSIGNED:
        return assignment
    if not assignment.item.panel.is_past_deadline:
        raise InvalidState(_("The review deadline has not passed yet."))
    _fire(
        assignment,
        assignment.miss,
        subject=assignment.item,
        by=None,
        role=Role.SYSTEM,
        action="review_miss",
        data={"reviewer": assignment.reviewer_id},
    )
    assignment_closed.send(sender=ReviewAssignment, assignment=assignment)
    return assignment


def review_reminders_send(*, now: Any = None) -> int:
    """Remind each reviewer once per committee when their open reviews are due within two
    business days; returns how many reminders went out."""
    now = now or timezone.now()
    horizon = end_of_day_jst(add_business_days(now.astimezone(JST).date(), REMINDER_BUSINESS_DAYS))
    due = (
        ReviewAssignment.objects.filter(
            status=Status.ASSIGNED,
            item__panel__review_deadline__gt=now,
            item__panel__review_deadline__lte=horizon,
        )
        .select_related("reviewer__profile", "item__panel")
        .order_by("item__panel_id", "reviewer_id", "pk")
    )
    waiting: dict[tuple[int, int], list[ReviewAssignment]] = {}
    for assignment in due:
        waiting.setdefault((assignment.item.panel_id, assignment.reviewer_id), []).append(
            assignment
        )
    return sum(_remind(assignments) for assignments in waiting.values())


def _remind(assignments: list[ReviewAssignment]) -> int:
    panel, reviewer = assignments[0].item.panel, assignments[0].reviewer
    key = f"review_due:{panel.pk}:{reviewer.pk}:{panel.review_deadline:%Y%m%d%H%M}"
    with transaction.atomic():
        if not reminder_once(key):
            return 0
        notify(
            recipients=[reviewer],
            kind="review_due",
            context={
                "committee": panel.name,
                "count": len(assignments),
                "deadline": _deadline_text(panel),
            },
            link="/reviews/",
        )
    return 1


# --- the committee's decision -----------------------------------------------------------------


def departures_from_ranking(table: pd.DataFrame, selected: set[int], quota: int) -> list[int]:
    """Items whose outcome the ranking did not settle the way the chair chose: left out while
    within the quota, chosen from outside it (a tie at the quota included), or, while places
    are left, a tied item not chosen."""
    places_left = len(selected) < quota
    departures = []
    for row in table.itertuples(index=False):
        chosen = int(row.item_id) in selected
        if (
            (row.within_quota and not chosen)
            or (chosen and not row.within_quota)
            or (row.tied_at_quota and not chosen and places_left)
        ):
            departures.append(int(row.item_id))
    return departures


def _ensure_may_decide(panel: ReviewPanel, by: Any) -> None:
    if panel.chair_id != by.pk:
        raise NotAllowed(_("Only the committee's chair records its decision."))
    if panel.decisions.exclude(status=CommitteeDecision.Status.RETURNED).exists():
        raise InvalidState(
            _(
                "The committee's decision is already recorded; it can be recorded again only "
                "after an approver returns it."
            )
        )
    reviews_closed_ensure(panel)


def reviews_closed_ensure(panel: ReviewPanel) -> None:
    """The committee decides once every review is in or the review deadline has passed."""
    pending = reviews_pending(panel)
    if pending:
        raise InvalidState(
            _(
                "%(count)s reviews are still open and their deadline (%(deadline)s) has not "
                "passed: decide when every review is in or the deadline is over."
            )
            % {"count": pending, "deadline": when(panel.review_deadline)}
        )


def _checked_selection(table: pd.DataFrame, ids: Iterable[int], quota: int) -> set[int]:
    selected = {int(pk) for pk in ids}
    not_ranked = sorted(selected - {int(pk) for pk in table["item_id"]})
    if not_ranked:
        raise ValidationFailed(
            _("Items %(ids)s have no submitted scores in this committee: they cannot be selected.")
            % {"ids": ", ".join(map(str, not_ranked))},
            field="selected_item_ids",
        )
    if len(selected) > quota:
        raise ValidationFailed(
            _("%(count)s items selected but the committee has %(quota)s places.")
            % {"count": len(selected), "quota": quota},
            field="selected_item_ids",
        )
    return selected


def _unexplained(table: pd.DataFrame, departures: list[int], reasons: dict[int, str]) -> None:
    missing = [pk for pk in departures if not reasons.get(pk)]
    if not missing:
        return
    labels = dict(zip(table["item_id"].astype(int), table["label"], strict=True))
    raise DepartureUnexplained(
        _(
            "The selection departs from the ranking for %(items)s: give the reason for each "
            "(a choice among items tied at the quota needs one too)."
        )
        % {"items": "; ".join(labels[pk] for pk in missing)},
        field=f"departures.{missing[0]}",
    )


def _mean(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(MEANS)


@transaction.atomic
def committee_decide(
    *,
    panel_id: int,
    by: Any,
    selected_item_ids: Iterable[int],
    rationale: str,
    departures: Mapping[int, str],
) -> CommitteeDecision:
    """The chair records the selection over the ranking, explaining every departure from it."""
    panel = _locked_panel(panel_id)
    _ensure_may_decide(panel, by)
    if not rationale.strip():
        raise ValidationFailed(_("Give the rationale of the decision."), field="rationale")
    table = panel_results(panel).table
    selected = _checked_selection(table, selected_item_ids, panel.quota)
    reasons = {int(pk): (text or "").strip() for pk, text in departures.items()}
    departed = departures_from_ranking(table, selected, panel.quota)
    _unexplained(table, departed, reasons)
    decision = CommitteeDecision.objects.create(
        panel=panel, rationale=rationale.strip(), quota=panel.quota, recorded_by=by
    )
    CommitteeDecisionEntry.objects.bulk_create(
        CommitteeDecisionEntry(
            decision=decision,
            item_id=int(row.item_id),
            rank=int(row.rank),
            weighted_mean=_mean(row.mean_raw),
            normalised_mean=_mean(row.mean_z),
            selected=int(row.item_id) in selected,
            departure_reason=reasons.get(int(row.item_id), ""),
        )
        for row in table.itertuples(index=False)
    )
    event_record(
        panel,
        "committee_decide",
        by=by,
        role=_member_role(by),
        to_status=decision.status,
        reason=decision.rationale,
        data={
            "decision": decision.pk,
            "selected": sorted(selected),
            "departures": {str(pk): reasons.get(pk, "") for pk in departed},
        },
    )
    return decision


def _ensure_may_approve(decision: CommitteeDecision, by: Any) -> None:
    panel = decision.panel
    if not has_role(by, Role.APPROVER):
        raise NotAllowed(_("Only an approver can approve a committee decision."))
    if by.pk in (panel.chair_id, decision.recorded_by_id):
        raise SameMemberApproves(_("The chair cannot approve the committee's own decision."))
    if ReviewAssignment.objects.filter(item__panel=panel, reviewer_id=by.pk).exists():
        raise SameMemberApproves(
            _(
                "You were a reviewer in this committee: an approver who reviewed nothing in the "
                "round approves its decision."
            )
        )


@transaction.atomic
def committee_approve(
    *, decision_id: int, by: Any, approve: bool, note: str = ""
) -> CommitteeDecision:
    """An approver who reviewed nothing in the round approves the decision, or returns it
    (with a note) so that the chair records a new one."""
    decision = (
        CommitteeDecision.objects.select_for_update(of=("self",))
        .select_related("panel")
        .get(pk=decision_id)
    )
    _ensure_may_approve(decision, by)
    note = note.strip()
    if not approve and not note:
        raise ValidationFailed(_("Say why the decision goes back to the chair."), field="note")
    _fire(
        decision,
        decision.approve if approve else decision.return_to_chair,
        subject=decision.panel,
        by=by,
        role=Role.APPROVER,
        action="committee_approve" if approve else "committee_return",
        reason=note,
        by_user=by,
        note=note,
    )
    return decision


def decision_outcomes(decision: CommitteeDecision) -> dict[int, bool]:
    """Each item's subject id (ReviewItem.object_id) → selected; unranked items are not."""
    selected = set(decision.entries.filter(selected=True).values_list("item_id", flat=True))
    return {item.object_id: item.pk in selected for item in decision.panel.items.order_by("pk")}
