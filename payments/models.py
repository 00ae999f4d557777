"""Money out: the payee's bank account, the claim that makes an application payable, the batch
finance releases to the bank (four eyes), its items, and the payment the bank confirmed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts.models import Company
from accounts.permissions import company_member, role_required
from applications.models import Application
from core.roles import Role

finance_only = role_required(Role.FINANCE)


class AccountType(models.IntegerChoices):
    """預金種目 as the Zengin format codes it."""

    ORDINARY = 1, _("ordinary (普通)")
    CURRENT = 2, _("current (当座)")
    SAVINGS = 4, _("savings (貯蓄)")
    OTHER = 9, _("other (その他)")


class AccountFields(models.Model):
    """A bank account as the transfer file needs it; copied, never referred to, once claimed."""

    bank_code = models.CharField(_("bank code"), max_length=4)
    branch_code = models.CharField(_("branch code"), max_length=3)
    account_type = models.PositiveSmallIntegerField(_("account type"), choices=AccountType.choices)
    account_number = models.CharField(_("account number"), max_length=7)
    holder_name = models.CharField(_("account holder (kana)"), max_length=60)

    class Meta:
        abstract = True

    def account_snapshot(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in ACCOUNT_FIELD_NAMES}


ACCOUNT_FIELD_NAMES = ("bank_code", "branch_code", "account_type", "account_number", "holder_name")


class PayeeAccount(AccountFields):
    """A company's account for subsidy transfers (振込先口座). Its account fields are never
    edited: a change of account is a new row, and an account no longer used is retired, so
    what a claim or a batch used stays as it was. A company has each active account once."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="payee_accounts", verbose_name=_("company")
    )
    bank_name = models.CharField(_("bank (kana)"), max_length=30, blank=True)
    branch_name = models.CharField(_("branch (kana)"), max_length=30, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retired by"),
    )

    class Meta:
        verbose_name = _("payee account")
        verbose_name_plural = _("payee accounts")
        ordering = ["company", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "bank_code", "branch_code", "account_type", "account_number"],
                condition=Q(retired_at__isnull=True),
                name="payee_account_active_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank_code}-{self.branch_code} {self.account_number} {self.holder_name}"

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class Payable(ConcurrentTransitionMixin, AccountFields):
    """A payment claim (精算払請求) for an application's confirmed amount, with a snapshot of the
    account to pay into. It joins a batch, and returns to payable if the bank fails it."""

    class Status(models.TextChoices):
        PAYABLE = "payable", _("awaiting a payment batch")
        BATCHED = "batched", _("in a payment batch")
        PAID = "paid", _("paid")

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="payable", verbose_name=_("application")
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="payables", verbose_name=_("company")
    )
    account = models.ForeignKey(
        PayeeAccount,
        on_delete=models.PROTECT,
        related_name="payables",
        verbose_name=_("payee account"),
    )
    amount = models.PositiveBigIntegerField(_("amount (yen)"))
    status = FSMField(_("status"), default=Status.PAYABLE, choices=Status.choices, protected=True)
    failure_reason = models.TextField(_("reason the last transfer failed"), blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("claimed by"),
    )
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payable")
        verbose_name_plural = _("payables")
        ordering = ["claimed_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payable_positive"),
        ]

    def __str__(self) -> str:
        return f"payable {self.amount} yen for application {self.application_id}"

    @transition(status, source=Status.PAYABLE, target=Status.PAYABLE, permission=company_member)
    def account_change(self, *, account: PayeeAccount) -> None:
        self.account = account
        for name in ACCOUNT_FIELD_NAMES:
            setattr(self, name, getattr(account, name))

    @transition(status, source=Status.PAYABLE, target=Status.BATCHED, permission=finance_only)
    def batch(self) -> None:
        self.failure_reason = ""

    @transition(status, source=Status.BATCHED, target=Status.PAYABLE, permission=finance_only)
    def unbatch(self) -> None:
        pass

    @transition(status, source=Status.BATCHED, target=Status.PAYABLE, permission=finance_only)
    def fail(self, *, failure_reason: str) -> None:
        self.failure_reason = failure_reason

    @transition(status, source=Status.BATCHED, target=Status.PAID, permission=finance_only)
    def pay(self) -> None:
        pass


def _batch_file_path(instance: PaymentBatch, filename: str) -> str:
    return f"payments/batches/{instance.transfer_date:%Y}/{instance.pk:06d}/{filename}"


class PaymentBatch(ConcurrentTransitionMixin, models.Model):
    """Payables sent to the bank together for one transfer date. One finance user prepares it,
    another releases it; above the threshold a third signs too. The database refuses a batch
    whose releaser is its preparer, whatever wrote the row."""

    class Status(models.TextChoices):
        PREPARED = "prepared", _("prepared")
        RELEASED = "released", _("released")
        RECONCILED = "reconciled", _("reconciled")
        CANCELLED = "cancelled", _("cancelled")

    transfer_date = models.DateField(_("transfer date"))
    status = FSMField(_("status"), default=Status.PREPARED, choices=Status.choices, protected=True)
    total = models.PositiveBigIntegerField(_("total (yen)"))
    item_count = models.PositiveIntegerField(_("transfers"))
    needs_second_releaser = models.BooleanField(_("needs a second releaser"))
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    second_releaser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second releaser"),
    )
    second_released_at = models.DateTimeField(_("second release at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    reconciled_at = models.DateTimeField(_("reconciled at"), null=True, blank=True)
    file = models.FileField(_("transfer file"), upload_to=_batch_file_path, blank=True)
    file_sha256 = models.CharField(_("transfer file SHA-256 hash"), max_length=64, blank=True)
    file_generated_at = models.DateTimeField(_("transfer file made at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["-transfer_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(released_by=F("prepared_by")), name="batch_releaser_not_preparer"
            ),
            models.CheckConstraint(
                condition=~Q(second_releaser=F("prepared_by"))
                & ~Q(second_releaser=F("released_by")),
                name="batch_second_releaser_distinct",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["prepared", "cancelled"]) | Q(released_by__isnull=False),
                name="batch_released_has_releaser",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["prepared", "cancelled"])
                | Q(needs_second_releaser=False)
                | Q(second_releaser__isnull=False),
                name="batch_released_has_second_releaser_when_needed",
            ),
            models.CheckConstraint(
                condition=Q(total__gt=0) & Q(item_count__gt=0), name="batch_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"batch {self.pk} for {self.transfer_date:%Y-%m-%d}: {self.total} yen"

    @property
    def reference(self) -> str:
        return f"PAY-{self.transfer_date:%Y%m%d}-{self.pk:06d}"

    @property
    def awaiting_second_releaser(self) -> bool:
        return (
            self.status == self.Status.PREPARED
            and self.needs_second_releaser
            and self.released_by_id is not None
        )

    @transition(status, source=Status.PREPARED, target=Status.PREPARED, permission=finance_only)
    def release_first(self, *, by_user: object) -> None:
        """The first of two releasers signs; the batch waits for the second."""
        self.released_by = by_user
        self.released_at = timezone.now()

    @transition(status, source=Status.PREPARED, target=Status.RELEASED, permission=finance_only)
    def release(self, *, by_user: object) -> None:
        if self.needs_second_releaser:
            self.second_releaser = by_user
            self.second_released_at = timezone.now()
        else:
            self.released_by = by_user
            self.released_at = timezone.now()

    @transition(status, source=Status.PREPARED, target=Status.CANCELLED, permission=finance_only)
    def cancel(self, *, by_user: object) -> None:
        self.cancelled_by = by_user

    @transition(status, source=Status.RELEASED, target=Status.RECONCILED, permission=finance_only)
    def reconcile(self) -> None:
        self.reconciled_at = timezone.now()


class BatchItem(AccountFields):
    """One transfer of a batch: the payable, its amount and the account as sent to the bank.

    ``live`` is true while the item can still pay its payable (pending or paid); a payable has
    at most one live item, so it can never be in two batches that may both pay it."""

    class Result(models.TextChoices):
        PENDING = "pending", _("awaiting the bank")
        PAID = "paid", _("paid")
        FAILED = "failed", _("transfer failed")

    batch = models.ForeignKey(
        PaymentBatch,
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name=_("payment batch"),
    )
    payable = models.ForeignKey(
        Payable, on_delete=models.PROTECT, related_name="items", verbose_name=_("payable")
    )
    amount = models.PositiveBigIntegerField(_("amount (yen)"))
    result = models.CharField(
        _("result"), max_length=10, choices=Result.choices, default=Result.PENDING
    )
    reason = models.TextField(_("reason"), blank=True)
    live = models.BooleanField(_("can still pay"), default=True)
    resulted_at = models.DateTimeField(_("bank result at"), null=True, blank=True)

    class Meta:
        verbose_name = _("batch item")
        verbose_name_plural = _("batch items")
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["payable"], condition=Q(live=True), name="batch_item_one_live_per_payable"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="batch_item_positive"),
            models.CheckConstraint(
                condition=~Q(result="failed", live=True), name="batch_item_failed_not_live"
            ),
            models.CheckConstraint(
                condition=~Q(result="paid", live=False), name="batch_item_paid_stays_live"
            ),
        ]

    def __str__(self) -> str:
        return f"item {self.customer_code} of batch {self.batch_id}: {self.amount} yen"

    @property
    def customer_code(self) -> str:
        """顧客コード1 in the transfer file and the bank's result file: this item's id."""
        return f"{self.pk:010d}"


class Payment(models.Model):
    """The release of an application's confirmed amount. At most one per application."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="payment", verbose_name=_("application")
    )
    amount = models.PositiveBigIntegerField(_("amount (yen)"))
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("released by"),
    )
    released_at = models.DateTimeField(_("released at"), auto_now_add=True)
    item = models.OneToOneField(
        BatchItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment",
        help_text=_("The bank transfer that paid it; empty for a payment released directly."),
        verbose_name=_("batch item"),
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive")]

    def __str__(self) -> str:
        return f"payment of {self.amount} yen for application {self.application_id}"
