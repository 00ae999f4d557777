from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from applications.models import Application


class SubsidyProcess(Process):
    """The viewflow process of one training-subsidy application."""

    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        related_name="process",
        null=True,
        verbose_name=_("application"),
    )

    class Meta:
        verbose_name = _("subsidy process")
        verbose_name_plural = _("subsidy processes")

    def __str__(self) -> str:
        return str(self.application) if self.application_id else f"process {self.pk}"


class LetterBatchProcess(Process):
    """The viewflow process of one letter batch; the batch id is kept in the process data."""

    class Meta:
        proxy = True
        verbose_name = _("letter batch")
        verbose_name_plural = _("letter batches")

    @property
    def batch_id(self) -> int:
        return self.data["batch_id"]
