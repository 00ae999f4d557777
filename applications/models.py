from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts.models import Company
from accounts.permissions import company_member, role_required, system_only
from core.models import CorrectionRequestBase, SubmissionTimes
from core.roles import Role
from core.uploads import blob_path


class _Named(models.Model):
    code = models.SlugField(_("code"), unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "ja").startswith("en") else self.name_ja


class CostType(_Named):
    """A kind of training cost (tuition, exam fee, …); a round lists which are eligible."""

    class Meta(_Named.Meta):
        verbose_name = _("cost type")
        verbose_name_plural = _("cost types")


class DocumentType(_Named):
    """A kind of document; its stage says when a round that requires it wants it: with the
    application (checked at submission) or with the results report (実績報告)."""

    class Stage(models.TextChoices):
        APPLICATION = "application", _("at submission")
        RESULTS = "results", _("with the results report")

    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.APPLICATION
    )

    class Meta(_Named.Meta):
        verbose_name = _("document type")
        verbose_name_plural = _("document types")


class OutcomeMeasure(_Named):
    """A before/after measure of a company's productivity (効果測定指標) a round may ask for:
    the baseline at application time, the value in the outcome report after payment."""

    class Better(models.TextChoices):
        HIGHER = "higher", _("higher is better")
        LOWER = "lower", _("lower is better")

    unit_ja = models.CharField(_("unit (Japanese)"), max_length=30)
    unit_en = models.CharField(_("unit (English)"), max_length=30)
    better = models.CharField(_("direction of improvement"), max_length=10, choices=Better.choices)
    decimal_places = models.PositiveSmallIntegerField(
        _("decimal places"), default=0, help_text=_("0 for whole numbers (counts, yen); at most 2.")
    )
    position = models.PositiveSmallIntegerField(_("position in forms"), default=0)

    class Meta(_Named.Meta):
        verbose_name = _("outcome measure")
        verbose_name_plural = _("outcome measures")
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decimal_places__lte=2), name="outcome_measure_decimal_places"
            )
        ]

    @property
    def unit(self) -> str:
        return self.unit_en if (get_language() or "ja").startswith("en") else self.unit_ja

    def quantize(self, value: Decimal) -> Decimal:
        """``value`` with this measure's decimal places (stored values carry two)."""
        return value.quantize(Decimal(1).scaleb(-self.decimal_places))


class SubsidyRound(models.Model):
    """A call (公募) of the training subsidy: its window, budget and grant rules."""

    name = models.CharField(_("name"), max_length=200)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    opens_at = models.DateTimeField(_("application window opens"))
    closes_at = models.DateTimeField(_("application window closes"))
    budget = models.PositiveBigIntegerField(_("total budget (yen)"))
    # The budget guard: what the round's grants still commit (granted, less 不用額 at amount
    # confirmation and amounts revoked). Kept by single UPDATEs; the ledger checks it.
    committed_total = models.PositiveBigIntegerField(
        _("committed (yen)"), default=0, editable=False
    )
    rate_numerator = models.PositiveSmallIntegerField(_("subsidy rate numerator"), default=1)
    rate_denominator = models.PositiveSmallIntegerField(_("subsidy rate denominator"), default=2)
    cap_per_trainee = models.PositiveBigIntegerField(_("cap per trainee (yen)"))
    cap_per_company = models.PositiveBigIntegerField(_("cap per company (yen)"))
    rounding_unit = models.PositiveIntegerField(
        _("rounding unit (yen, rounded down)"), default=1000
    )
    eligible_cost_types = models.ManyToManyField(CostType, verbose_name=_("eligible cost types"))
    required_document_types = models.ManyToManyField(
        DocumentType, verbose_name=_("required documents"), blank=True
    )
    outcome_measures = models.ManyToManyField(
        OutcomeMeasure,
        verbose_name=_("outcome measures"),
        blank=True,
        help_text=_(
            "Reported with a baseline at application and again in the outcome report after payment."
        ),
    )
    correction_deadline_business_days = models.PositiveSmallIntegerField(
        _("correction deadline (business days)"), default=10
    )
    results_report_deadline = models.DateField(_("results report due"))
    requires_declaration = models.BooleanField(
        _("requires a registered promotion declaration"), default=False
    )
    year_end_closure = models.BooleanField(
        _("business days skip the year-end closure (12/29–1/3)"), default=True
    )
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=300,
        default="人材育成支援補助金交付要綱",
        help_text=_("Cited on every decision of this round."),
    )

    class Meta:
        verbose_name = _("subsidy round")
        verbose_name_plural = _("subsidy rounds")
        ordering = ["-fiscal_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(committed_total__lte=F("budget")), name="round_committed_within_budget"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="round_window_ordered"
            ),
            models.CheckConstraint(
                condition=Q(rate_denominator__gt=0) & Q(rate_numerator__lte=F("rate_denominator")),
                name="round_rate_is_a_fraction_up_to_one",
            ),
            models.CheckConstraint(condition=Q(rounding_unit__gt=0), name="round_rounding_unit"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def rate(self) -> Fraction:
        return Fraction(self.rate_numerator, self.rate_denominator)

    @property
    def remaining_budget(self) -> int:
        """What the round can still grant: the budget less what its grants commit."""
        return self.budget - self.committed_total

    def is_open(self, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at


class Application(ConcurrentTransitionMixin, SubmissionTimes):
    """A training-subsidy application (交付申請) and its lifecycle."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for correction")
        SCREENING = "screening", _("in screening")
        DECISION_PENDING = "decision_pending", _("awaiting grant decision")
        GRANTED = "granted", _("granted")
        REJECTED = "rejected", _("not granted")
        RESULTS_SUBMITTED = "results_submitted", _("results reported")
        RESULTS_CHECKED = "results_checked", _("results checked")
        CONFIRMED = "confirmed", _("amount confirmed")
        PAID = "paid", _("paid")
        WITHDRAWN = "withdrawn", _("withdrawn")
        LAPSED = "lapsed", _("lapsed")
        REVOKED = "revoked", _("grant revoked")

    REVOCABLE = (
        Status.GRANTED,
        Status.RESULTS_SUBMITTED,
        Status.RESULTS_CHECKED,
        Status.CONFIRMED,
        Status.PAID,
    )

    WITHDRAWABLE = (
        Status.DRAFT,
        Status.SUBMITTED,
        Status.RETURNED,
        Status.SCREENING,
        Status.DECISION_PENDING,
    )

    round = models.ForeignKey(
        SubsidyRound,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("subsidy round"),
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="applications", verbose_name=_("company")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    status = FSMField(_("status"), default=Status.DRAFT, choices=Status.choices, protected=True)
    plan_summary = models.TextField(_("training plan"), blank=True)
    requested_amount = models.PositiveBigIntegerField(_("requested amount (yen)"), null=True)
    decided_amount = models.PositiveBigIntegerField(_("granted amount (yen)"), null=True)
    confirmed_amount = models.PositiveBigIntegerField(_("confirmed amount (yen)"), null=True)
    decided_on = models.DateField(_("grant decision date"), null=True, blank=True)
    # Milestones: when each stage was last completed, set by the transitions. They let the KPI
    # report measure processing times without replaying the audit log. ``submitted_at`` (from
    # SubmissionTimes) is the latest submission; ``received_at`` the first receipt (受付日).
    documents_accepted_at = models.DateTimeField(_("documents accepted"), null=True, blank=True)
    screened_at = models.DateTimeField(_("screened"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    results_submitted_at = models.DateTimeField(_("results reported"), null=True, blank=True)
    results_checked_at = models.DateTimeField(_("results checked"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("amount confirmed"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("screened by"),
    )
    results_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("results checked by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("subsidy application")
        verbose_name_plural = _("subsidy applications")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("check_documents", "Can check application documents"),
            ("screen_application", "Can screen applications"),
            ("decide_grant", "Can make grant decisions and confirm amounts"),
            ("check_results", "Can check results reports"),
            ("release_payment", "Can release payments"),
        ]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.company}"

    def get_absolute_url(self) -> str:
        """The applicant portal's page of the application (staff see it too)."""
        return f"/portal/applications/{self.pk}/"

    @property
    def reference(self) -> str:
        return f"SUB-{self.round.fiscal_year}-{self.pk:06d}" if self.pk else "SUB-new"

    @property
    def is_withdrawable(self) -> bool:
        return self.status in self.WITHDRAWABLE

    # Transitions change only this row's fields; services do everything else.

    @transition(status, source=Status.DRAFT, target=Status.SUBMITTED, permission=company_member)
    def submit(self, *, requested_amount: int) -> None:
        self.requested_amount = requested_amount
        self.submission_stamp()

    @transition(
        status,
        source=Status.SUBMITTED,
        target=Status.RETURNED,
        permission=role_required(Role.STAFF),
    )
    def return_for_correction(self) -> None:
        pass

    @transition(status, source=Status.RETURNED, target=Status.SUBMITTED, permission=company_member)
    def resubmit(self, *, requested_amount: int) -> None:
        self.requested_amount = requested_amount
        self.submission_stamp()

    @transition(status, source=Status.RETURNED, target=Status.LAPSED, permission=system_only)
    def lapse(self) -> None:
        pass

    @transition(
        status,
        source=Status.SUBMITTED,
        target=Status.SCREENING,
        permission=role_required(Role.STAFF),
    )
    def accept_documents(self) -> None:
        self.documents_accepted_at = timezone.now()

    @transition(
        status,
        source=Status.SCREENING,
        target=Status.DECISION_PENDING,
        permission=role_required(Role.STAFF),
    )
    def record_screening(self, *, by_user: object) -> None:
        self.screened_by = by_user
        self.screened_at = timezone.now()

    @transition(
        status,
        source=Status.DECISION_PENDING,
        target=Status.GRANTED,
        permission=role_required(Role.APPROVER),
    )
    def grant(self, *, amount: int, decided_on: dt.date) -> None:
        self.decided_amount = amount
        self.decided_on = decided_on
        self.decided_at = timezone.now()

    @transition(
        status,
        source=Status.DECISION_PENDING,
        target=Status.REJECTED,
        permission=role_required(Role.APPROVER),
    )
    def reject(self, *, decided_on: dt.date) -> None:
        self.decided_on = decided_on
        self.decided_at = timezone.now()

    @transition(
        status, source=Status.GRANTED, target=Status.RESULTS_SUBMITTED, permission=company_member
    )
    def report_results(self) -> None:
        self.results_submitted_at = timezone.now()

    @transition(
        status,
        source=Status.RESULTS_SUBMITTED,
        target=Status.GRANTED,
        permission=role_required(Role.STAFF),
    )
    def return_results(self) -> None:
        pass

    @transition(
        status,
        source=Status.RESULTS_SUBMITTED,
        target=Status.RESULTS_CHECKED,
        permission=role_required(Role.STAFF),
    )
    def accept_results(self, *, by_user: object) -> None:
        self.results_checked_by = by_user
        self.results_checked_at = timezone.now()

    @transition(
        status,
        source=Status.RESULTS_CHECKED,
        target=Status.CONFIRMED,
        permission=role_required(Role.APPROVER),
    )
    def confirm_amount(self, *, amount: int) -> None:
        self.confirmed_amount = amount
        self.confirmed_at = timezone.now()

    @transition(
        status,
        source=Status.CONFIRMED,
        target=Status.PAID,
        permission=role_required(Role.FINANCE),
    )
    def mark_paid(self) -> None:
        self.paid_at = timezone.now()

    @transition(
        status,
        source=list(REVOCABLE),
        target=Status.REVOKED,
        permission=role_required(Role.APPROVER),
    )
    def revoke(self) -> None:
        """交付決定取消: the revocations app records the decision and any repayment."""

    @transition(
        status, source=list(WITHDRAWABLE), target=Status.WITHDRAWN, permission=company_member
    )
    def withdraw(self) -> None:
        pass


# A measure's values carry at most two decimal places (OutcomeMeasure.decimal_places).
MEASURE_VALUE_DIGITS = {"max_digits": 18, "decimal_places": 2}


class Baseline(models.Model):
    """A measure's value before the training, given with the application (現状値)."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="baselines",
        verbose_name=_("application"),
    )
    measure = models.ForeignKey(
        OutcomeMeasure,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("outcome measure"),
    )
    value = models.DecimalField(_("baseline"), **MEASURE_VALUE_DIGITS)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        ordering = ["measure__position", "measure__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "measure"], name="baseline_one_per_measure"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="baseline_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.measure.code}={self.value} for application {self.application_id}"

    @property
    def shown(self) -> Decimal:
        return self.measure.quantize(self.value)


class TrainingLine(models.Model):
    """One trainee on one course: a line of the training plan and cost breakdown (支出内訳)."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="training_lines",
        verbose_name=_("application"),
    )
    trainee_name = models.CharField(_("trainee"), max_length=100)
    course_name = models.CharField(_("course or certification"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    cost_type = models.ForeignKey(CostType, on_delete=models.PROTECT, verbose_name=_("cost type"))
    amount = models.PositiveBigIntegerField(_("cost excl. consumption tax (yen)"))

    class Meta:
        verbose_name = _("training line")
        verbose_name_plural = _("training lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="training_line_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.trainee_name}: {self.course_name}"


def _document_path(instance: Document, filename: str) -> str:
    return blob_path(instance.sha256)


class Document(models.Model):
    """An uploaded file; never replaced, a new upload is a new row. The content is stored once
    under its SHA-256 (``core.uploads``), whichever rows name it; ``original_name`` is the
    applicant's name for it, shown and given back on download."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("application"),
    )
    document_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, verbose_name=_("document type")
    )
    file = models.FileField(_("file"), upload_to=_document_path)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256 hash"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(
        _("file type"), max_length=100, default="application/octet-stream"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.document_type}: {self.original_name}"


class CorrectionRequest(CorrectionRequestBase):
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="correction_requests",
        verbose_name=_("application"),
    )

    class Meta(CorrectionRequestBase.Meta):
        verbose_name = _("application correction request")
        verbose_name_plural = _("application correction requests")

    def __str__(self) -> str:
        return f"correction of {self.application_id} by {self.deadline}"


class Decision(models.Model):
    """A formal administrative decision. Never edited: a correction is a new row that supersedes."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("grant decision (交付決定)")
        NON_GRANT = "non_grant", _("non-grant decision (不交付決定)")
        AMOUNT_CONFIRMATION = "amount_confirmation", _("amount confirmation (額の確定)")

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("kind of decision"), max_length=30, choices=Kind.choices)
    amount = models.PositiveBigIntegerField(_("amount (yen)"), null=True)
    computation = models.JSONField(_("computation"), default=dict)
    terms = models.JSONField(
        _("terms of the grant"),
        default=dict,
        blank=True,
        help_text=_(
            "The round's rate, caps, rounding unit and eligible cost types as they were at the "
            "grant decision; the amount is confirmed by these, whatever the round says later."
        ),
    )
    reason = models.TextField(_("reason"), blank=True)
    conditions = models.TextField(_("conditions of the grant"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("corrects the decision"),
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decided_by=F("prepared_by")), name="decision_four_eyes"
            ),
            models.UniqueConstraint(
                fields=["application", "kind"],
                condition=Q(supersedes__isnull=True),
                name="decision_one_original_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class ActualCost(models.Model):
    """A cost actually incurred, reported in the results report (実績報告)."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="actual_costs",
        verbose_name=_("application"),
    )
    trainee_name = models.CharField(_("trainee"), max_length=100)
    course_name = models.CharField(_("course or certification"), max_length=200)
    cost_type = models.ForeignKey(CostType, on_delete=models.PROTECT, verbose_name=_("cost type"))
    incurred_on = models.DateField(_("paid on"))
    amount = models.PositiveBigIntegerField(_("amount excl. consumption tax (yen)"))
    completed = models.BooleanField(_("course completed"), default=True)
    evidence = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("evidence")
    )

    class Meta:
        verbose_name = _("actual cost")
        verbose_name_plural = _("actual costs")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.trainee_name}: {self.amount} yen on {self.incurred_on}"
