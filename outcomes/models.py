from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts.permissions import company_member, role_required
from applications.models import MEASURE_VALUE_DIGITS, Application, OutcomeMeasure
from core.roles import Role


class OutcomeReport(ConcurrentTransitionMixin, models.Model):
    """The outcome report (効果報告) a paid company owes: the round's measures some months
    after payment, compared with the baselines it gave when applying."""

    class Status(models.TextChoices):
        DUE = "due", _("due")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for correction")
        ACCEPTED = "accepted", _("accepted")

    OPEN = (Status.DUE, Status.RETURNED)

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="outcome_reports",
        verbose_name=_("application"),
    )
    status = FSMField(_("status"), default=Status.DUE, choices=Status.choices, protected=True)
    paid_on = models.DateField(_("subsidy paid on"))
    due_on = models.DateField(_("due date"))
    comment = models.TextField(_("comment"), blank=True)
    return_reason = models.TextField(_("what to correct"), blank=True)
    opened_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("checked by"),
    )

    class Meta:
        verbose_name = _("outcome report")
        verbose_name_plural = _("outcome reports")
        ordering = ["due_on", "id"]
        permissions = [("check_outcome_report", "Can accept or return outcome reports")]
        constraints = [
            # One report per application for now; a later report (after a year, say) would
            # relax this to one per application and period.
            models.UniqueConstraint(
                fields=["application"], name="outcome_report_one_per_application"
            ),
            models.CheckConstraint(
                condition=Q(status="accepted", accepted_at__isnull=False) | ~Q(status="accepted"),
                name="outcome_report_accepted_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.reference} ({self.application})"

    def get_absolute_url(self) -> str:
        return f"/portal/outcomes/{self.pk}/"

    @property
    def reference(self) -> str:
        return f"OUT-{self.application.reference}" if self.application_id else "OUT-new"

    @property
    def company_id(self) -> int:
        """The applying company: ``company_member`` checks the user against it."""
        return self.application.company_id

    def is_overdue(self, today: object) -> bool:
        return self.status in self.OPEN and self.due_on < today  # type: ignore[operator]

    # Transitions change only this row's fields; services do everything else.

    @transition(status, source=list(OPEN), target=Status.SUBMITTED, permission=company_member)
    def submit(self, *, by_user: object, comment: str) -> None:
        self.comment = comment
        self.submitted_by = by_user
        self.submitted_at = timezone.now()

    @transition(
        status,
        source=Status.SUBMITTED,
        target=Status.RETURNED,
        permission=role_required(Role.STAFF),
    )
    def return_for_correction(self, *, by_user: object, return_reason: str) -> None:
        self.return_reason = return_reason
        self.checked_by = by_user

    @transition(
        status,
        source=Status.SUBMITTED,
        target=Status.ACCEPTED,
        permission=role_required(Role.STAFF),
    )
    def accept(self, *, by_user: object) -> None:
        self.checked_by = by_user
        self.accepted_at = timezone.now()


class OutcomeValue(models.Model):
    """One measure's value in an outcome report, with the baseline it is compared to (copied
    from the application when submitted, so the report reads on its own; empty if the round
    added the measure after the application was made)."""

    report = models.ForeignKey(
        OutcomeReport,
        on_delete=models.CASCADE,
        related_name="values",
        verbose_name=_("outcome report"),
    )
    measure = models.ForeignKey(
        OutcomeMeasure,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("outcome measure"),
    )
    baseline = models.DecimalField(_("baseline"), null=True, blank=True, **MEASURE_VALUE_DIGITS)
    value = models.DecimalField(_("value"), **MEASURE_VALUE_DIGITS)

    class Meta:
        verbose_name = _("outcome value")
        verbose_name_plural = _("outcome values")
        ordering = ["measure__position", "measure__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "measure"], name="outcome_value_one_per_measure"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0) & Q(baseline__gte=0), name="outcome_value_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure.code}: {self.baseline} → {self.value}"
