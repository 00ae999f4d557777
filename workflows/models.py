from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from applications.models import Application
from awards.models import Nomination
from declarations.models import Declaration
from screening.models import ReviewPanel


def application_content_type() -> ContentType:
    return ContentType.objects.get_for_model(Application)


class ArtifactProcess:
    """A process whose subject (the application, declaration, … it moves) is its artifact.

    The process classes are proxies: viewflow loads one row per activation instead of a base
    and a child row, and the subject is found through the artifact's generic key.
    """

    subject_model: type[models.Model]
    subject_related: tuple[str, ...] = ()

    artifact_content_type: Any
    artifact_object_id: Any

    @property
    def subject_id(self) -> int | None:
        return self.artifact_object_id

    @subject_id.setter
    def subject_id(self, value: int) -> None:
        self.artifact_content_type = ContentType.objects.get_for_model(self.subject_model)
        self.artifact_object_id = value

    @cached_property
    def subject(self) -> Any:
        return self.subject_model.objects.select_related(*self.subject_related).get(
            pk=self.subject_id
        )

    def __str__(self) -> str:
        return str(self.subject) if self.subject_id else f"process {self.pk}"  # type: ignore[attr-defined]


class SubsidyProcess(ArtifactProcess, Process):
    """The viewflow process of one training-subsidy application."""

    subject_model = Application
    subject_related = ("company", "round")

    class Meta:
        proxy = True
        verbose_name = _("subsidy process")
        verbose_name_plural = _("subsidy processes")

    @property
    def application_id(self) -> int | None:
        return self.subject_id

    @application_id.setter
    def application_id(self, value: int) -> None:
        self.subject_id = value

    @property
    def application(self) -> Application:
        return self.subject


class DeclarationProcess(ArtifactProcess, Process):
    """The viewflow process of one promotion declaration, from submission to its end."""

    subject_model = Declaration
    subject_related = ("company",)

    class Meta:
        proxy = True
        verbose_name = _("declaration process")
        verbose_name_plural = _("declaration processes")


class NominationProcess(ArtifactProcess, Process):
    """The viewflow process of one award nomination, from submission to commendation."""

    subject_model = Nomination
    subject_related = ("company", "round")

    class Meta:
        proxy = True
        verbose_name = _("nomination process")
        verbose_name_plural = _("nomination processes")


class CommitteeProcess(ArtifactProcess, Process):
    """The viewflow process of one committee's decision: record, approve, conclude."""

    subject_model = ReviewPanel
    subject_related = ("chair",)

    class Meta:
        proxy = True
        verbose_name = _("committee process")
        verbose_name_plural = _("committee processes")


class LetterBatchProcess(Process):
    """The viewflow process of one letter batch; the batch id is kept in the process data."""

    class Meta:
        proxy = True
        verbose_name = _("letter batch")
        verbose_name_plural = _("letter batches")

    @property
    def batch_id(self) -> int:
        return self.data["batch_id"]
