from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Preference(models.Model):
    """How a user wants to hear from Kofu. Notices the law requires are always emailed."""

    class Email(models.TextChoices):
        IMMEDIATE = "immediate", _("each message as it happens")
        DIGEST = "digest", _("one daily digest")
        OFF = "off", _("no email (legally required notices still arrive)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    email = models.CharField(
        _("email"), max_length=10, choices=Email.choices, default=Email.IMMEDIATE
    )
    in_app = models.BooleanField(_("show in the in-app inbox"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.email}"


class Notification(models.Model):
    """One message to one person: the in-app inbox entry and the email outbox row in one.

    Written in the transaction of its event; a task sends the email after commit. The email
    status moves pending → sending → sent (or failed). ``claimed_at`` is the sender's lease: a
    row still "sending" (or "pending" with no task left to send it) when the lease runs out is
    sent again by the sweep, with the same Message-ID so the receiving side can drop a copy.
    A legally required notice still undelivered after a few attempts or hours is escalated to
    staff once (``escalated_at``).
    """

    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        DIGEST = "digest", _("waiting for the daily digest")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("not emailed (the user opted out)")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind of message"), max_length=60)
    language = models.CharField(_("language"), max_length=2)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    link = models.CharField(_("link"), max_length=300, blank=True)
    legally_required = models.BooleanField(_("legally required notice"), default=False)
    in_app = models.BooleanField(_("shown in the inbox"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    email_status = models.CharField(
        _("email status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    claimed_at = models.DateTimeField(_("sending claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("email attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    escalated_at = models.DateTimeField(_("escalated to staff at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["email_status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient}"


class Attempt(models.Model):
    """One try at emailing a notification (or a digest containing it)."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        related_name="attempt_log",
        verbose_name=_("notification"),
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    error = models.TextField(_("error"), blank=True)
    digest = models.BooleanField(_("daily digest"), default=False)

    class Meta:
        verbose_name = _("email attempt")
        verbose_name_plural = _("email attempts")
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.notification_id}: {self.outcome}"


class ReminderSent(models.Model):
    """A reminder already sent, by a key such as "correction_due:42:2026-12-08"."""

    key = models.CharField(_("reminder key"), max_length=200, unique=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")

    def __str__(self) -> str:
        return self.key
