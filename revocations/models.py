"""Revocation of a grant decision (交付決定取消) and the repayment it orders (返還命令).

A revocation is a new formal decision that refers to the grant decision it revokes; the original
``applications.Decision`` row is never touched. Programme staff prepare it, an approver who did not
prepare it decides it (the database refuses the same person, whatever wrote the row)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from accounts.permissions import role_required
from applications.models import Application, Decision
from core.roles import Role, has_role
from letters.models import Letter

approver_only = role_required(Role.APPROVER)
finance_only = role_required(Role.FINANCE)


def staff_or_approver(instance: Any, user: Any) -> bool:
    return has_role(user, Role.STAFF) or has_role(user, Role.APPROVER)


class Revocation(ConcurrentTransitionMixin, models.Model):
    """交付決定取消 (with 返還命令 when part of the subsidy was already paid).

    ``revoked_amount`` is taken from the amount in force (the confirmed amount once confirmed,
    else the granted amount); what the company keeps is the rest, so what it must repay is
    whatever it was paid beyond that rest (0 if nothing was paid).
    """

    class Status(models.TextChoices):
        PREPARED = "prepared", _("prepared, awaiting decision")
        ORDERED = "ordered", _("repayment ordered")
        SETTLED = "settled", _("settled")
        CANCELLED = "cancelled", _("cancelled before decision")

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="revocations",
        verbose_name=_("application"),
    )
    original = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        related_name="revocations",
        verbose_name=_("grant decision revoked"),
    )
    status = FSMField(_("status"), default=Status.PREPARED, choices=Status.choices, protected=True)
    reason = models.TextField(_("reason"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    revoked_amount = models.PositiveBigIntegerField(_("amount revoked (yen)"))
    paid_amount = models.PositiveBigIntegerField(_("amount the company was paid (yen)"))
    repayment_amount = models.PositiveBigIntegerField(_("amount to repay (yen)"))
    repayment_deadline = models.DateField(_("repay by"), null=True, blank=True)
    interest_from = models.DateField(
        _("subsidy received on"),
        null=True,
        blank=True,
        help_text=_("The 加算金 runs from this day; empty when nothing was paid."),
    )
    interest_percent = models.DecimalField(
        _("加算金 rate (% a year)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    interest_days_in_year = models.PositiveSmallIntegerField(
        _("days in the year (加算金)"), null=True, blank=True
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    letter = models.ForeignKey(
        Letter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("letter"),
    )
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("revocation")
        verbose_name_plural = _("revocations")
        ordering = ["-prepared_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decided_by=F("prepared_by")), name="revocation_four_eyes"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["prepared", "cancelled"])
                | (
                    Q(decided_by__isnull=False)
                    & Q(decided_at__isnull=False)
                    & Q(interest_percent__isnull=False)
                    & Q(interest_days_in_year__gt=0)
                ),
                name="revocation_decided_has_decider",
            ),
            models.CheckConstraint(
                condition=Q(revoked_amount__gt=0), name="revocation_revokes_something"
            ),
            models.CheckConstraint(
                condition=Q(repayment_amount__lte=F("revoked_amount"))
                & Q(repayment_amount__lte=F("paid_amount")),
                name="revocation_repays_at_most_revoked_and_paid",
            ),
            models.CheckConstraint(
                condition=Q(repayment_amount=0)
                | (Q(repayment_deadline__isnull=False) & Q(interest_from__isnull=False)),
                name="revocation_repayment_has_deadline_and_start",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=~Q(status="cancelled"),
                name="revocation_one_per_application",
            ),
        ]

    def __str__(self) -> str:
        return f"revocation {self.pk} of application {self.application_id}"

    @transition(
        status,
        source=Status.PREPARED,
        target=RETURN_VALUE(Status.ORDERED, Status.SETTLED),
        permission=approver_only,
    )
    def decide(self, *, by_user: Any, interest_percent: Any, days_in_year: int) -> str:
        """Nothing to repay leaves nothing to settle."""
        self.decided_by = by_user
        self.decided_at = timezone.now()
        self.interest_percent = interest_percent
        self.interest_days_in_year = days_in_year
        if self.repayment_amount:
            return self.Status.ORDERED
        self.settled_at = self.decided_at
        return self.Status.SETTLED

    @transition(status, source=Status.ORDERED, target=Status.SETTLED, permission=finance_only)
    def settle(self) -> None:
        self.settled_at = timezone.now()

    @transition(
        status, source=Status.PREPARED, target=Status.CANCELLED, permission=staff_or_approver
    )
    def cancel(self) -> None:
        pass


class RepaymentReceipt(models.Model):
    """Money the company repaid against a revocation, as finance saw it arrive. Never edited."""

    revocation = models.ForeignKey(
        Revocation, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("revocation")
    )
    amount = models.PositiveBigIntegerField(_("amount (yen)"))
    received_on = models.DateField(_("received on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("repayment receipt")
        verbose_name_plural = _("repayment receipts")
        ordering = ["received_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="repayment_receipt_positive")
        ]

    def __str__(self) -> str:
        return f"{self.amount} yen repaid on {self.received_on} (revocation {self.revocation_id})"
