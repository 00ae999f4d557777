from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts.models import Company
from accounts.permissions import company_member, role_required, system_only
from core.dates import JST, fiscal_year_of
from core.models import CorrectionRequestBase, SubmissionTimes
from core.roles import Role


class Declaration(ConcurrentTransitionMixin, SubmissionTimes):
    """A company's promotion declaration (リスキリング推進宣言): its reskilling goals and measures
    for a period, registered by programme staff and, with consent, published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for correction")
        REGISTERED = "registered", _("registered")
        WITHDRAWN = "withdrawn", _("withdrawn")
        LAPSED = "lapsed", _("lapsed")
        EXPIRED = "expired", _("expired")

    # A company holds at most one declaration in these statuses (see the constraint below).
    ACTIVE = (Status.SUBMITTED, Status.RETURNED, Status.REGISTERED)
    EDITABLE = (Status.DRAFT, Status.RETURNED)
    WITHDRAWABLE = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.REGISTERED)

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="declarations", verbose_name=_("company")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    status = FSMField(_("status"), default=Status.DRAFT, choices=Status.choices, protected=True)
    goals = models.TextField(_("reskilling goals"))
    measures = models.TextField(_("concrete measures"))
    responsible_name = models.CharField(_("person responsible"), max_length=100)
    responsible_title = models.CharField(
        _("title of the person responsible"), max_length=100, blank=True
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    publish_consent = models.BooleanField(_("consent to appear on the public list"), default=False)
    consent_changed_at = models.DateTimeField(_("consent changed at"), null=True, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year of registration"), null=True, blank=True
    )
    registration_number = models.CharField(
        _("registration number"), max_length=20, unique=True, null=True, blank=True
    )
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("promotion declaration")
        verbose_name_plural = _("promotion declarations")
        ordering = ["-created_at", "-id"]
        permissions = [("check_declaration", "Can check promotion declarations")]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")), name="declaration_period_ordered"
            ),
            models.UniqueConstraint(
                fields=["company"],
                condition=Q(status__in=["submitted", "returned", "registered"]),
                name="declaration_one_active_per_company",
            ),
        ]
        indexes = [models.Index(fields=["status", "publish_consent"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.company}"

    def get_absolute_url(self) -> str:
        """The applicant portal's page of the declaration (staff see it too)."""
        return f"/portal/declarations/{self.pk}/"

    @property
    def reference(self) -> str:
        """Stable from creation: the fiscal year the declaration was started in, and its id."""
        if not self.pk:
            return "DEC-new"
        created = self.created_at or timezone.now()
        return f"DEC-{fiscal_year_of(created.astimezone(JST).date())}-{self.pk:06d}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_withdrawable(self) -> bool:
        return self.status in self.WITHDRAWABLE

    # Transitions change only this row's fields; services do everything else.

    @transition(status, source=Status.DRAFT, target=Status.SUBMITTED, permission=company_member)
    def submit(self) -> None:
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
    def resubmit(self) -> None:
        self.submission_stamp()

    @transition(status, source=Status.RETURNED, target=Status.LAPSED, permission=system_only)
    def lapse(self) -> None:
        pass

    @transition(
        status,
        source=Status.SUBMITTED,
        target=Status.REGISTERED,
        permission=role_required(Role.STAFF),
    )
    def register(self, *, number: str, fiscal_year: int, by_user: object) -> None:
        self.registration_number = number
        self.fiscal_year = fiscal_year
        self.registered_at = timezone.now()
        self.registered_by = by_user

    @transition(
        status, source=list(WITHDRAWABLE), target=Status.WITHDRAWN, permission=company_member
    )
    def withdraw(self) -> None:
        pass

    @transition(status, source=Status.REGISTERED, target=Status.EXPIRED, permission=system_only)
    def expire(self) -> None:
        pass


class DeclarationCorrection(CorrectionRequestBase):
    declaration = models.ForeignKey(
        Declaration,
        on_delete=models.CASCADE,
        related_name="correction_requests",
        verbose_name=_("promotion declaration"),
    )

    class Meta(CorrectionRequestBase.Meta):
        verbose_name = _("declaration correction request")
        verbose_name_plural = _("declaration correction requests")

    def __str__(self) -> str:
        return f"correction of declaration {self.declaration_id} by {self.deadline}"
