from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from applications.models import Application


def application_content_type() -> ContentType:
    return ContentType.objects.get_for_model(Application)


class SubsidyProcess(Process):
    """The viewflow process of one training-subsidy application.

    A proxy: the application is the process's artifact, so viewflow loads one row per
    activation instead of a base and a child row.
    """

    class Meta:
        proxy = True
        verbose_name = _("subsidy process")
        verbose_name_plural = _("subsidy processes")

    def __str__(self) -> str:
        return str(self.application) if self.application_id else f"process {self.pk}"

    @property
    def application_id(self) -> int | None:
        return self.artifact_object_id

    @application_id.setter
    def application_id(self, value: int) -> None:
        self.artifact_content_type = application_content_type()
        self.artifact_object_id = value

    @cached_property
    def application(self) -> Application:
        return Application.objects.select_related("company", "round").get(pk=self.application_id)


class LetterBatchProcess(Process):
    """The viewflow process of one letter batch; the batch id is kept in the process data."""

    class Meta:
        proxy = True
        verbose_name = _("letter batch")
        verbose_name_plural = _("letter batches")

    @property
    def batch_id(self) -> int:
        return self.data["batch_id"]
