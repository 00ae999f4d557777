from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AuditEvent(models.Model):
    """One thing that happened: who (user and role), what, when (UTC), why, on what.

    Rows are only ever inserted; saving an existing row or deleting one raises. Right after
    the inserting transaction commits, each row is sealed once into a hash chain (``seq``,
    ``prev_hash``, ``entry_hash``; see ``audit.chain``).
    """

    occurred_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the system (timers, background jobs)."),
        verbose_name=_("actor"),
    )
    actor_role = models.CharField(_("role"), max_length=20)
    action = models.CharField(_("action"), max_length=60)
    subject_type = models.CharField(_("subject type"), max_length=60)
    subject_id = models.CharField(_("subject ID"), max_length=40)
    from_status = models.CharField(_("status before"), max_length=30, blank=True)
    to_status = models.CharField(_("status after"), max_length=30, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("event data"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    request_id = models.CharField(
        _("request"),
        max_length=64,
        blank=True,
        help_text=_("The web request (or background job) the event came from."),
    )
    seq = models.BigIntegerField(_("chain position"), unique=True, null=True, blank=True)
    prev_hash = models.CharField(_("previous entry's hash"), max_length=64, blank=True)
    entry_hash = models.CharField(_("entry hash"), max_length=64, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "occurred_at"]),
            models.Index(fields=["request_id"], name="audit_event_request"),
            # the sealer's lookup: few rows are ever unsealed, so the index stays tiny
            models.Index(fields=["id"], condition=Q(seq=None), name="audit_event_unsealed"),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.subject_type}#{self.subject_id}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")
