from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """A request under an Idempotency-Key: written before the work starts, so a repeat while
    it runs is refused, and given the first response when it ends, so a repeat replays it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("user")
    )
    key = models.CharField(_("idempotency key"), max_length=200)
    method = models.CharField(_("HTTP method"), max_length=10, default="POST")
    endpoint = models.CharField(_("endpoint"), max_length=300)
    request_fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    # Empty while the first request is in flight.
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    response_body = models.JSONField(_("response body"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.method} {self.endpoint})"

    @property
    def in_flight(self) -> bool:
        return self.response_status is None


class CorrectionRequestBase(models.Model):
    """A return for correction (差戻し): what to fix and by when. Each programme's concrete
    model adds the foreign key to what was returned."""

    items = models.JSONField(_("items to correct"))
    message = models.TextField(_("message"), blank=True)
    deadline = models.DateField(_("answer by"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["requested_at", "id"]


class SubmissionTimes(models.Model):
    """When a record first reached the office (受付日) and when it was last submitted. A
    resubmission after a correction moves only the second: the first receipt is the legal
    record of arrival. The submit and resubmit transitions call ``submission_stamp``."""

    received_at = models.DateTimeField(
        _("first received"),
        null=True,
        blank=True,
        help_text=_(
            "When the application first reached the office (受付日), kept on resubmission."
        ),
    )
    submitted_at = models.DateTimeField(
        _("last submitted"),
        null=True,
        blank=True,
        help_text=_("The latest submission: the first, or the resubmission after a correction."),
    )

    class Meta:
        abstract = True

    def submission_stamp(self) -> None:
        """Stamp a submission now: the latest submission always, the first receipt once."""
        self.submitted_at = timezone.now()
        if self.received_at is None:
            self.received_at = self.submitted_at
