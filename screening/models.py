from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Application


class StaffScreening(models.Model):
    """Programme staff's screening (審査) of one application: eligibility and a recommendation."""

    class Recommendation(models.TextChoices):
        GRANT = "grant", _("grant")
        REJECT = "reject", _("do not grant")

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="staff_screenings"
    )
    eligible = models.BooleanField(_("eligible"))
    recommendation = models.CharField(
        _("recommendation"), max_length=10, choices=Recommendation.choices
    )
    reason = models.TextField(_("reason"))
    recommended_amount = models.PositiveBigIntegerField(null=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    screened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["screened_at", "id"]

    def __str__(self) -> str:
        return f"screening of application {self.application_id}: {self.recommendation}"
