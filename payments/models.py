from django.conf import settings
from django.db import models
from django.db.models import Q

from applications.models import Application


class Payment(models.Model):
    """The release of an application's confirmed amount. At most one per application."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="payment"
    )
    amount = models.PositiveBigIntegerField()
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive")]

    def __str__(self) -> str:
        return f"payment of {self.amount} yen for application {self.application_id}"
