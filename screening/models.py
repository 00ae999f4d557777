from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts.models import Company
from accounts.permissions import role_required, system_only
from applications.models import Application
from core.corporate_number import validate_corporate_number
from core.roles import Role, has_role


class StaffScreening(models.Model):
    """Programme staff's screening (審査) of one application: eligibility and a recommendation."""

    class Recommendation(models.TextChoices):
        GRANT = "grant", _("grant")
        REJECT = "reject", _("do not grant")

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="staff_screenings",
        verbose_name=_("application"),
    )
    eligible = models.BooleanField(_("eligible"))
    recommendation = models.CharField(
        _("recommendation"), max_length=10, choices=Recommendation.choices
    )
    reason = models.TextField(_("reason"))
    recommended_amount = models.PositiveBigIntegerField(_("recommended amount (yen)"), null=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("screened by"),
    )
    screened_at = models.DateTimeField(_("screened at"), auto_now_add=True)

    class Meta:
        verbose_name = _("staff screening")
        verbose_name_plural = _("staff screenings")
        ordering = ["screened_at", "id"]

    def __str__(self) -> str:
        return f"screening of application {self.application_id}: {self.recommendation}"


# --- committee screening (審査委員会) ----------------------------------------------------------


class Rubric(models.Model):
    """The scoring sheet of a committee: criteria sharing one integer scale (e.g. 1–5)."""

    name = models.CharField(_("name"), max_length=200)
    scale_min = models.SmallIntegerField(_("lowest score"), default=1)
    scale_max = models.SmallIntegerField(_("highest score"), default=5)

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_min__lt=F("scale_max")), name="rubric_scale_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """One scored criterion of a rubric, with its weight in the weighted mean."""

    rubric = models.ForeignKey(
        Rubric, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("rubric")
    )
    code = models.SlugField(_("code"))
    label_ja = models.CharField(_("label (Japanese)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "code"], name="criterion_code_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "ja").startswith("en") else self.label_ja


class Descriptor(models.Model):
    """What one score of a criterion means (the rubric's level descriptor), shown to reviewers
    beside that score so that every reviewer reads the scale the same way."""

    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="descriptors", verbose_name=_("criterion")
    )
    score = models.SmallIntegerField(_("score"))
    text_ja = models.CharField(_("meaning (Japanese)"), max_length=300)
    text_en = models.CharField(_("meaning (English)"), max_length=300)

    class Meta:
        verbose_name = _("descriptor")
        verbose_name_plural = _("descriptors")
        ordering = ["criterion", "score"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "score"], name="descriptor_once_per_score")
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}={self.score}: {self.text}"

    def clean(self) -> None:
        criterion = getattr(self, "criterion", None)  # not yet set on a criterion being added
        if criterion is None or self.score is None:
            return
        rubric = criterion.rubric
        if not rubric.scale_min <= self.score <= rubric.scale_max:
            raise ValidationError(
                {
                    "score": _("The rubric's scale is %(low)s to %(high)s.")
                    % {"low": rubric.scale_min, "high": rubric.scale_max}
                }
            )

    @property
    def text(self) -> str:
        return self.text_en if (get_language() or "ja").startswith("en") else self.text_ja


class ReviewPanel(models.Model):
    """The screening committee of one round (of any programme): its pool, rubric and quota."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind of round")
    )
    object_id = models.PositiveBigIntegerField(_("round ID"))
    round = GenericForeignKey("content_type", "object_id")
    name = models.CharField(_("name"), max_length=200)
    rubric = models.ForeignKey(
        Rubric, on_delete=models.PROTECT, related_name="panels", verbose_name=_("rubric")
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="review_panels", verbose_name=_("reviewers")
    )
    reviewers_per_item = models.PositiveSmallIntegerField(_("reviewers per item"), default=3)
    review_deadline = models.DateTimeField(_("review deadline"))
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="chaired_panels",
        verbose_name=_("chair"),
    )
    quota = models.PositiveIntegerField(_("places to award"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("screening committee")
        verbose_name_plural = _("screening committees")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("manage_panel", "Can manage screening committees"),
            ("approve_committee_decision", "Can approve committee decisions"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="review_panel_one_per_round"
            ),
            models.CheckConstraint(
                condition=Q(reviewers_per_item__gte=1), name="review_panel_reviewers_per_item"
            ),
            models.CheckConstraint(condition=Q(quota__gte=1), name="review_panel_quota_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_past_deadline(self) -> bool:
        return timezone.now() > self.review_deadline


class ReviewItem(models.Model):
    """One thing the committee reviews (a nomination, an application, …) of one company."""

    panel = models.ForeignKey(
        ReviewPanel,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("screening committee"),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("subject type")
    )
    object_id = models.PositiveBigIntegerField(_("subject ID"))
    subject = GenericForeignKey("content_type", "object_id")
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("company")
    )
    label = models.CharField(_("label"), max_length=300)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(
        _("withdrawn at"),
        null=True,
        blank=True,
        help_text=_("Withdrawn by the applicant: no longer reviewed, ranked or selected."),
    )

    class Meta:
        verbose_name = _("review item")
        verbose_name_plural = _("review items")
        ordering = ["panel", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "content_type", "object_id"], name="review_item_once_per_panel"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.label


class ConflictOfInterest(models.Model):
    """A reviewer must not review a company: declared, found by the system, or a recusal."""

    class Source(models.TextChoices):
        DECLARED = "declared", _("declared")
        DETECTED = "detected", _("detected")
        RECUSAL = "recusal", _("recusal")

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_conflicts",
        verbose_name=_("reviewer"),
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("company"),
    )
    corporate_number = models.CharField(
        _("corporate number"),
        max_length=13,
        blank=True,
        validators=[validate_corporate_number],
    )
    reason = models.TextField(_("reason"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    panel = models.ForeignKey(
        ReviewPanel,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conflicts",
        help_text=_("Empty: the conflict holds for every committee."),
        verbose_name=_("screening committee"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(company__isnull=False) | ~Q(corporate_number=""),
                name="conflict_names_a_company",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} ≠ {self.company or self.corporate_number}"


def assignee(instance: Any, user: Any) -> bool:
    """The reviewer the assignment is for."""
    return user is not None and instance.reviewer_id == user.pk


def assignee_or_staff(instance: Any, user: Any) -> bool:
    """The reviewer themselves, or programme staff recording a conflict for them."""
    return assignee(instance, user) or has_role(user, Role.STAFF)


class ReviewAssignment(ConcurrentTransitionMixin, models.Model):
    """One reviewer asked to score one item."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("to score")
        SUBMITTED = "submitted", _("scored")
        RECUSED = "recused", _("recused")
        MISSED = "missed", _("deadline missed")
        WITHDRAWN = "withdrawn", _("withdrawn by the applicant")

    CLOSED = (Status.SUBMITTED, Status.RECUSED, Status.MISSED, Status.WITHDRAWN)

    item = models.ForeignKey(
        ReviewItem,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("review item"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_assignments",
        verbose_name=_("reviewer"),
    )
    status = FSMField(_("status"), default=Status.ASSIGNED, choices=Status.choices, protected=True)
    comment = models.TextField(_("comment"), blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces the assignment"),
    )

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        ordering = ["item", "id"]
        permissions = [("score_review", "Can score committee reviews")]
        constraints = [
            models.UniqueConstraint(fields=["item", "reviewer"], name="review_assignment_once")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.item}"

    def get_absolute_url(self) -> str:
        return f"/reviews/{self.pk}/"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.ASSIGNED

    # Transitions change only this row's fields; services do everything else.

    @transition(status, source=Status.ASSIGNED, target=Status.SUBMITTED, permission=assignee)
    def submit(self, *, comment: str) -> None:
        self.comment = comment
        self.submitted_at = timezone.now()

    @transition(status, source=Status.ASSIGNED, target=Status.RECUSED, permission=assignee_or_staff)
    def recuse(self) -> None:
        pass

    @transition(status, source=Status.ASSIGNED, target=Status.MISSED, permission=system_only)
    def miss(self) -> None:
        pass

    @transition(status, source=Status.ASSIGNED, target=Status.WITHDRAWN, permission=system_only)
    def withdraw(self) -> None:
        pass


class Score(models.Model):
    """One reviewer's score on one criterion."""

    assignment = models.ForeignKey(
        ReviewAssignment,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("review assignment"),
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    value = models.SmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["assignment", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}={self.value}"


class CommitteeDecision(ConcurrentTransitionMixin, models.Model):
    """The chair's selection over the ranking, approved by someone who reviewed nothing."""

    class Status(models.TextChoices):
        RECORDED = "recorded", _("awaiting approval")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned to the chair")

    panel = models.ForeignKey(
        ReviewPanel,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("screening committee"),
    )
    status = FSMField(_("status"), default=Status.RECORDED, choices=Status.choices, protected=True)
    rationale = models.TextField(_("rationale"))
    quota = models.PositiveIntegerField(_("places to award"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The approver who approved or returned the decision."),
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approval_note = models.TextField(_("approval note"), blank=True)

    class Meta:
        verbose_name = _("committee decision")
        verbose_name_plural = _("committee decisions")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("recorded_by")),
                name="committee_decision_four_eyes",
            ),
            models.UniqueConstraint(
                fields=["panel"],
                condition=~Q(status="returned"),
                name="committee_decision_one_standing_per_panel",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.panel}: {self.get_status_display()}"

    @transition(
        status,
        source=Status.RECORDED,
        target=Status.APPROVED,
        permission=role_required(Role.APPROVER),
    )
    def approve(self, *, by_user: Any, note: str) -> None:
        self.approved_by = by_user
        self.approved_at = timezone.now()
        self.approval_note = note

    @transition(
        status,
        source=Status.RECORDED,
        target=Status.RETURNED,
        permission=role_required(Role.APPROVER),
    )
    def return_to_chair(self, *, by_user: Any, note: str) -> None:
        self.approved_by = by_user
        self.approved_at = timezone.now()
        self.approval_note = note


class CommitteeDecisionEntry(models.Model):
    """One ranked item of a decision: the figures the committee saw and what it chose."""

    decision = models.ForeignKey(
        CommitteeDecision,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("committee decision"),
    )
    item = models.ForeignKey(
        ReviewItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("review item")
    )
    rank = models.PositiveIntegerField(_("rank"))
    weighted_mean = models.DecimalField(_("weighted mean"), max_digits=8, decimal_places=4)
    normalised_mean = models.DecimalField(_("normalised mean"), max_digits=8, decimal_places=4)
    selected = models.BooleanField(_("selected"))
    departure_reason = models.TextField(_("reason for departing from the ranking"), blank=True)

    class Meta:
        verbose_name = _("committee decision entry")
        verbose_name_plural = _("committee decision entries")
        ordering = ["decision", "rank", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "item"], name="decision_entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.item}"
