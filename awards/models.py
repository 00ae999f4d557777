"""The reskilling award (リスキリング先進企業表彰): rounds, nominations and their documents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts.models import Company
from accounts.permissions import role_required, system_only
from accounts.selectors import company_id_of_user
from applications.models import Application
from core.models import CorrectionRequestBase, SubmissionTimes
from core.roles import Role, has_role
from core.uploads import blob_path, kind_label

DEFAULT_LEGAL_BASIS = "リスキリング先進企業表彰実施要領"
DEFAULT_AWARD_NAME = "リスキリング先進企業表彰"


def nomination_party(instance: Any, user: Any) -> bool:
    """A member of the nominating organisation or of the nominated company."""
    if not has_role(user, Role.APPLICANT):
        return False
    return company_id_of_user(user) in (instance.nominating_company_id, instance.company_id)


class AwardRound(models.Model):
    """One year's call for nominations: its window, how many companies may be commended."""

    name = models.CharField(_("name"), max_length=200)
    award_name = models.CharField(
        _("award name"),
        max_length=200,
        default=DEFAULT_AWARD_NAME,
        help_text=_("Printed on the certificate of commendation."),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    nominations_open = models.DateTimeField(_("nominations open"))
    nominations_close = models.DateTimeField(_("nominations close"))
    quota = models.PositiveSmallIntegerField(
        _("companies to commend at most"),
        default=20,
        help_text=_("The programme's target is 20 commended companies a year (2026–2027)."),
    )
    requires_declaration = models.BooleanField(
        _("nominee must hold a registered promotion declaration"), default=False
    )
    correction_deadline_business_days = models.PositiveSmallIntegerField(
        _("correction deadline (business days)"), default=10
    )
    year_end_closure = models.BooleanField(
        _("business days skip the year-end closure (12/29–1/3)"), default=True
    )
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=300,
        default=DEFAULT_LEGAL_BASIS,
        help_text=_("Cited on every letter of this round."),
    )
    ceremony_date = models.DateField(_("award ceremony"), null=True, blank=True)

    class Meta:
        verbose_name = _("award round")
        verbose_name_plural = _("award rounds")
        ordering = ["-fiscal_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nominations_close__gt=F("nominations_open")),
                name="award_round_window_ordered",
            ),
            models.CheckConstraint(condition=Q(quota__gt=0), name="award_round_quota_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_open(self, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.nominations_open <= at < self.nominations_close


class Nomination(ConcurrentTransitionMixin, SubmissionTimes):
    """A company nominated for the award, by itself or by a third party, and its lifecycle."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for correction")
        LAPSED = "lapsed", _("lapsed")
        WITHDRAWN = "withdrawn", _("withdrawn")
        IN_REVIEW = "in_review", _("in committee review")
        SELECTED = "selected", _("selected")
        NOT_SELECTED = "not_selected", _("not selected")
        COMMENDED = "commended", _("commended")

    class NominatorKind(models.TextChoices):
        SELF = "self", _("self-nomination")
        MUNICIPALITY = "municipality", _("municipality")
        CHAMBER = "chamber_of_commerce", _("chamber of commerce")
        OTHER = "other_organisation", _("other organisation")

    EDITABLE = (Status.DRAFT, Status.RETURNED)
    WITHDRAWABLE = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.IN_REVIEW)
    ENDED = (Status.WITHDRAWN, Status.LAPSED)
    CONCLUDED = (Status.SELECTED, Status.NOT_SELECTED, Status.COMMENDED)

    round = models.ForeignKey(
        AwardRound,
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("award round"),
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        related_name="award_nominations",
        verbose_name=_("nominee"),
    )
    nominating_company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        related_name="award_nominations_made",
        verbose_name=_("nominating organisation"),
        help_text=_("The nominee itself for a self-nomination."),
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    nominator_kind = models.CharField(
        _("nominated by"), max_length=30, choices=NominatorKind.choices
    )
    nominator_organisation = models.CharField(
        _("nominating organisation (as named on the nomination)"), max_length=200, blank=True
    )
    consent_given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent given by"),
    )
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    status = FSMField(_("status"), default=Status.DRAFT, choices=Status.choices, protected=True)
    summary = models.TextField(_("reskilling initiatives"), blank=True)
    achievements = models.TextField(_("achievements"), blank=True)
    cited_applications = models.ManyToManyField(
        Application,
        blank=True,
        related_name="award_nominations",
        verbose_name=_("completed subsidies cited"),
    )
    evidence_snapshot = models.JSONField(
        _("cited subsidies as recorded at submission"), default=list, blank=True
    )
    concluded_on = models.DateField(_("selection decided on"), null=True, blank=True)
    commended_on = models.DateField(_("commended on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("award nomination")
        verbose_name_plural = _("award nominations")
        ordering = ["-created_at", "-id"]
        permissions = [("check_nomination", "Can check award nominations")]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "company"],
                condition=~Q(status__in=["withdrawn", "lapsed"]),
                name="nomination_one_active_per_company_and_round",
            ),
            models.CheckConstraint(
                condition=Q(nominator_kind="self") | ~Q(nominator_organisation=""),
                name="nomination_third_party_names_its_organisation",
            ),
            models.CheckConstraint(
                condition=Q(nominator_kind="self", nominating_company=F("company"))
                | (~Q(nominator_kind="self") & ~Q(nominating_company=F("company"))),
                name="nomination_nominator_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.company}"

    def get_absolute_url(self) -> str:
        """The portal's page of the nomination (staff see it too)."""
        return f"/portal/nominations/{self.pk}/"

    @property
    def reference(self) -> str:
        return f"AWD-{self.round.fiscal_year}-{self.pk:06d}" if self.pk else "AWD-new"

    @property
    def is_self_nomination(self) -> bool:
        return self.nominator_kind == self.NominatorKind.SELF

    @property
    def has_consent(self) -> bool:
        return self.consent_at is not None

    # Transitions change only this row's fields; services do everything else.

    @transition(status, source=Status.DRAFT, target=Status.SUBMITTED, permission=nomination_party)
    def submit(self, *, evidence: list[dict[str, Any]], by_user: Any) -> None:
        self.evidence_snapshot = evidence
        self.submission_stamp()
        if self.is_self_nomination and not self.has_consent:
            # The nominee's own member submitting is the nominee's consent.
            self.consent_given_by = by_user
            self.consent_at = self.submitted_at

    @transition(
        status,
        source=Status.SUBMITTED,
        target=Status.RETURNED,
        permission=role_required(Role.STAFF),
    )
    def return_for_correction(self) -> None:
        pass

    @transition(
        status, source=Status.RETURNED, target=Status.SUBMITTED, permission=nomination_party
    )
    def resubmit(self, *, evidence: list[dict[str, Any]]) -> None:
        self.evidence_snapshot = evidence
        self.submission_stamp()

    @transition(status, source=Status.RETURNED, target=Status.LAPSED, permission=system_only)
    def lapse(self) -> None:
        pass

    @transition(
        status, source=list(WITHDRAWABLE), target=Status.WITHDRAWN, permission=nomination_party
    )
    def withdraw(self) -> None:
        pass

    @transition(
        status,
        source=Status.SUBMITTED,
        target=Status.IN_REVIEW,
        permission=role_required(Role.STAFF),
    )
    def accept_documents(self) -> None:
        pass

    @transition(status, source=Status.IN_REVIEW, target=Status.SELECTED, permission=system_only)
    def select(self, *, decided_on: dt.date) -> None:
        self.concluded_on = decided_on

    @transition(status, source=Status.IN_REVIEW, target=Status.NOT_SELECTED, permission=system_only)
    def not_select(self, *, decided_on: dt.date) -> None:
        self.concluded_on = decided_on

    @transition(
        status,
        source=Status.SELECTED,
        target=Status.COMMENDED,
        permission=role_required(Role.STAFF),
    )
    def commend(self, *, commended_on: dt.date) -> None:
        self.commended_on = commended_on


def _document_path(instance: NominationDocument, filename: str) -> str:
    return blob_path(instance.sha256)


class NominationDocument(models.Model):
    """A file supporting a nomination; never replaced, a new upload is a new row. Stored once
    under its SHA-256 (``core.uploads``); ``original_name`` is kept for display."""

    nomination = models.ForeignKey(
        Nomination,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("award nomination"),
    )
    file = models.FileField(_("file"), upload_to=_document_path)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256 hash"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(
        _("file type"), max_length=100, default="application/octet-stream"
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("nomination document")
        verbose_name_plural = _("nomination documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def kind(self) -> str:
        """The file's type as people name it: PDF, Excel (xlsx), …"""
        return kind_label(self.content_type)


class NominationCorrection(CorrectionRequestBase):
    nomination = models.ForeignKey(
        Nomination,
        on_delete=models.CASCADE,
        related_name="correction_requests",
        verbose_name=_("award nomination"),
    )

    class Meta(CorrectionRequestBase.Meta):
        verbose_name = _("nomination correction request")
        verbose_name_plural = _("nomination correction requests")

    def __str__(self) -> str:
        return f"correction of nomination {self.nomination_id} by {self.deadline}"
