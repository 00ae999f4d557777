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
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.CharField(
        _("email"), max_length=10, choices=Email.choices, default=Email.IMMEDIATE
    )
    in_app = models.BooleanField(_("show in the in-app inbox"), default=True)

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
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=60)
    language = models.CharField(max_length=2)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    link = models.CharField(max_length=300, blank=True)
    legally_required = models.BooleanField(default=False)
    in_app = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    email_status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
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
        Notification, on_delete=models.CASCADE, related_name="attempt_log"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    error = models.TextField(blank=True)
    digest = models.BooleanField(default=False)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.notification_id}: {self.outcome}"


class ReminderSent(models.Model):
    """A reminder already sent, by a key such as "correction_due:42:2026-12-08"."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
