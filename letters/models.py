import datetime as dt

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Company


class LetterSequence(models.Model):
    """The last number drawn from a series in a fiscal year (gapless): a letter series (its
    printed prefix, e.g. 産人) in the fiscal year of issue, or another register such as the
    declarations' registration numbers."""

    series = models.CharField(_("series (printed prefix)"), max_length=30)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    last_number = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("letter number sequence")
        verbose_name_plural = _("letter number sequences")
        constraints = [
            models.UniqueConstraint(fields=["series", "fiscal_year"], name="letter_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.fiscal_year}: {self.last_number}"


def _letter_path(instance: "Letter", filename: str) -> str:
    return f"letters/{instance.fiscal_year}/{instance.programme}/{filename}"


class Letter(models.Model):
    """A numbered letter. Its content is the stored context; its PDF, once rendered, is never
    replaced: regenerating makes a new version with the same number.

    The number is the office's document register entry: ``series`` (the printed prefix, e.g.
    産人) and ``number`` counted in ``fiscal_year``, the fiscal year (April–March, JST) of the
    date printed on the letter — not the fiscal year of the round it is about. One letter per
    (series, fiscal_year, number); its versions (reprints of the same letter, same date and
    content) share the entry and differ by ``version``. A new decision (e.g. a correction of a
    decision) is a new letter with its own number."""

    class Kind(models.TextChoices):
        GRANT_DECISION = "grant_decision", _("grant decision notice (交付決定通知書)")
        NON_GRANT = "non_grant", _("non-grant notice (不交付決定通知書)")
        CORRECTION = "correction", _("return-for-correction notice (差戻し)")
        AMOUNT_CONFIRMATION = (
            "amount_confirmation",
            _("amount confirmation notice (額の確定通知書)"),
        )
        PAYMENT_NOTICE = "payment_notice", _("payment notice (支払通知書)")
        REVOCATION = "revocation", _("revocation notice (交付決定取消通知書)")
        REGISTRATION_CERTIFICATE = (
            "registration_certificate",
            _("declaration registration certificate (登録証)"),
        )
        AWARD_CERTIFICATE = "award_certificate", _("certificate of commendation (表彰状)")
        AWARD_SELECTED = "award_selected", _("selection notice (選定通知書)")
        AWARD_NOT_SELECTED = "award_not_selected", _("non-selection notice (非選定通知書)")

    class Status(models.TextChoices):
        PENDING = "pending", _("being generated")
        ISSUED = "issued", _("issued")

    kind = models.CharField(_("kind of letter"), max_length=40, choices=Kind.choices)
    programme = models.CharField(_("programme"), max_length=30)
    series = models.CharField(_("series (printed prefix)"), max_length=30)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year of issue"))  # not of the round
    number = models.PositiveIntegerField(_("number"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name=_("previous version"),
    )
    # Issued, before numbering by the fiscal year of issue, under a number another letter of the
    # same series and year carries: kept as sent, for the office to correct (migration 0003).
    number_clash_with = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("number clashes with"),
    )
    subject_type = models.CharField(_("subject type"), max_length=60)
    subject_id = models.CharField(_("subject ID"), max_length=40)
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="letters", verbose_name=_("company")
    )
    language = models.CharField(_("language"), max_length=2)
    context = models.JSONField(_("letter content"), encoder=DjangoJSONEncoder)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(_("file"), upload_to=_letter_path, null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 hash"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "fiscal_year", "number"],
                condition=Q(previous__isnull=True, number_clash_with__isnull=True),
                name="letter_number_unique",
            ),
            models.UniqueConstraint(
                fields=["series", "fiscal_year", "number", "version"],
                condition=Q(number_clash_with__isnull=True),
                name="letter_number_version_unique",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | ~Q(sha256=""), name="letter_issued_has_hash"
            ),
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return self.number_text

    @property
    def number_text(self) -> str:
        suffix = f"（第{self.version}版）" if self.version > 1 else ""
        return f"{self.series}第{self.number}号{suffix}"

    @property
    def issued_on(self) -> dt.date | None:
        """The date printed on the letter (its fiscal year is ``fiscal_year``)."""
        value = (self.context or {}).get("issued_on")
        return dt.date.fromisoformat(value) if value else None


def letter_series(programme: str) -> str:
    """The series (printed prefix) a programme's letters are numbered in."""
    return settings.KOFU_LETTER_PREFIXES.get(programme, programme)


class LetterBatch(models.Model):
    """Many letters regenerated in the background, with progress a person can watch."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    description = models.CharField(_("description"), max_length=200)
    letters = models.ManyToManyField(Letter, related_name="batches", verbose_name=_("letters"))
    total = models.PositiveIntegerField(_("letters in the batch"), default=0)
    done = models.PositiveIntegerField(_("letters done"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("letter batch")
        verbose_name_plural = _("letter batches")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")), name="letter_batch_progress_within_total"
            )
        ]

    def __str__(self) -> str:
        return f"{self.description} ({self.done}/{self.total})"

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 100
