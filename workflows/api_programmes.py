"""Flow-moving endpoints of the declaration and award programmes and of the committee.

Each endpoint validates its input, calls one service and returns the record: the same services
the web pages and the flows call."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from applications.api import _valid
from awards import services as award_services
from awards.models import Nomination
from awards.selectors import nomination_list_for_user
from awards.serializers import (
    CiteApplicationsSerializer,
    NominationCreateSerializer,
    NominationDocumentUploadSerializer,
    NominationSerializer,
    NominationUpdateSerializer,
)
from core.errors import NotAllowed
from core.roles import Role, has_role
from declarations import services as declaration_services
from declarations.models import Declaration
from declarations.selectors import declaration_list_for_user
from declarations.serializers import (
    DeclarationConsentSerializer,
    DeclarationInputSerializer,
    DeclarationSerializer,
)
from screening.api import CommitteeDetailSerializer, CommitteeSerializer
from screening.models import ReviewPanel
from screening.selectors import committees_for_user, may_act_on_decision

from . import services, steps
from .api import AnswerSerializer, CheckDocumentsSerializer, ReasonSerializer
from .flows import CommitteeFlow, DeclarationFlow, NominationFlow


class CommendSerializer(serializers.Serializer):
    commended_on = serializers.DateField()


class CommitteeDecisionSerializer(serializers.Serializer):
    selected_item_ids = serializers.ListField(child=serializers.IntegerField())
    rationale = serializers.CharField()
    departures = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        default=dict,
        help_text="The reason for each departure from the ranking, by item id.",
    )

    def validate_departures(self, value: dict[str, str]) -> dict[int, str]:
        try:
            return {int(key): text for key, text in value.items()}
        except ValueError:
            raise serializers.ValidationError(_("Key each departure by its item id.")) from None


class ApproveSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DeclarationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Promotion declarations: the company's own, or all for staff-side roles."""

    serializer_class = DeclarationSerializer

    def get_queryset(self):
        return declaration_list_for_user(self.request.user)

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(DeclarationSerializer(Declaration.objects.get(pk=pk)).data, status=code)

    @extend_schema(request=DeclarationInputSerializer, responses={201: DeclarationSerializer})
    def create(self, request: Request) -> Response:
        data = _valid(DeclarationInputSerializer, request.data)
        declaration = declaration_services.declaration_create(by=request.user, **data)
        return self._detail(declaration.pk, status.HTTP_201_CREATED)

    @extend_schema(request=DeclarationInputSerializer, responses={200: DeclarationSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        declaration = self.get_object()
        serializer = DeclarationInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        declaration_services.declaration_update(
            declaration_id=declaration.pk, by=request.user, **data
        )
        return self._detail(declaration.pk)

    @extend_schema(request=None, responses={200: DeclarationSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        declaration = self.get_object()
        services.declaration_process_submit(declaration_id=declaration.pk, by=request.user)
        return self._detail(declaration.pk)

    @extend_schema(request=AnswerSerializer, responses={200: DeclarationSerializer})
    @action(detail=True, methods=["post"])
    def resubmit(self, request: Request, pk: str) -> Response:
        declaration = self.get_object()
        data = _valid(AnswerSerializer, request.data)
        services.declaration_process_resubmit(
            declaration_id=declaration.pk, by=request.user, answer=data["answer"]
        )
        return self._detail(declaration.pk)

    @extend_schema(request=ReasonSerializer, responses={200: DeclarationSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        declaration = self.get_object()
        data = _valid(ReasonSerializer, request.data)
        services.declaration_process_withdraw(
            declaration_id=declaration.pk, by=request.user, reason=data["reason"]
        )
        return self._detail(declaration.pk)

    @extend_schema(request=DeclarationConsentSerializer, responses={200: DeclarationSerializer})
    @action(detail=True, methods=["post"])
    def consent(self, request: Request, pk: str) -> Response:
        """Publish on the public list, or stop publishing."""
        declaration = self.get_object()
        data = _valid(DeclarationConsentSerializer, request.data)
        declaration_services.declaration_consent_set(
            declaration_id=declaration.pk, by=request.user, publish=data["publish"]
        )
        return self._detail(declaration.pk)

    @extend_schema(request=CheckDocumentsSerializer, responses={200: DeclarationSerializer})
    @action(detail=True, methods=["post"])
    def check(self, request: Request, pk: str) -> Response:
        """Staff: register the declaration, or return it for correction with items to fix."""
        declaration = self.get_object()
        data = _valid(CheckDocumentsSerializer, request.data)
        services.step_complete(
            application_id=declaration.pk,
            step=steps.CHECK_DECLARATION,
            by=request.user,
            data=data,
            flow_class=DeclarationFlow,
        )
        return self._detail(declaration.pk)


class NominationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Award nominations: by or for the user's company, or all for staff-side roles."""

    serializer_class = NominationSerializer

    def get_queryset(self):
        return nomination_list_for_user(self.request.user).select_related("company", "round")

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(NominationSerializer(Nomination.objects.get(pk=pk)).data, status=code)

    def _step(self, request: Request, step: steps.Step, serializer_class: Any) -> Response:
        nomination = self.get_object()
        data = _valid(serializer_class, request.data)
        services.step_complete(
            application_id=nomination.pk,
            step=step,
            by=request.user,
            data=data,
            flow_class=NominationFlow,
        )
        return self._detail(nomination.pk)

    @extend_schema(request=NominationCreateSerializer, responses={201: NominationSerializer})
    def create(self, request: Request) -> Response:
        """Nominate: your own company, or (a municipality, a chamber) another by its id."""
        data = _valid(NominationCreateSerializer, request.data)
        nomination = award_services.nomination_create(
            by=request.user,
            round_id=data.pop("round"),
            company_id=data.pop("company", None),
            **data,
        )
        return self._detail(nomination.pk, status.HTTP_201_CREATED)

    @extend_schema(request=NominationUpdateSerializer, responses={200: NominationSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        nomination = self.get_object()
        data = _valid(NominationUpdateSerializer, request.data)
        award_services.nomination_update(nomination_id=nomination.pk, by=request.user, **data)
        return self._detail(nomination.pk)

    @extend_schema(
        request=NominationDocumentUploadSerializer, responses={200: NominationSerializer}
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def documents(self, request: Request, pk: str) -> Response:
        nomination = self.get_object()
        data = _valid(NominationDocumentUploadSerializer, request.data)
        award_services.document_upload(nomination_id=nomination.pk, by=request.user, **data)
        return self._detail(nomination.pk)

    @extend_schema(request=None, responses={200: NominationSerializer})
    @action(detail=True, methods=["post"])
    def consent(self, request: Request, pk: str) -> Response:
        """A member of the nominated company records its consent."""
        nomination = self.get_object()
        award_services.nomination_consent_record(nomination_id=nomination.pk, by=request.user)
        return self._detail(nomination.pk)

    @extend_schema(request=CiteApplicationsSerializer, responses={200: NominationSerializer})
    @action(detail=True, methods=["post"])
    def cite(self, request: Request, pk: str) -> Response:
        """Cite the company's completed subsidies as evidence, from our own records."""
        nomination = self.get_object()
        data = _valid(CiteApplicationsSerializer, request.data)
        award_services.nomination_cite_applications(
            nomination_id=nomination.pk, by=request.user, application_ids=data["application_ids"]
        )
        return self._detail(nomination.pk)

    @extend_schema(request=None, responses={200: NominationSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        nomination = self.get_object()
        services.nomination_process_submit(nomination_id=nomination.pk, by=request.user)
        return self._detail(nomination.pk)

    @extend_schema(request=AnswerSerializer, responses={200: NominationSerializer})
    @action(detail=True, methods=["post"])
    def resubmit(self, request: Request, pk: str) -> Response:
        nomination = self.get_object()
        data = _valid(AnswerSerializer, request.data)
        services.nomination_process_resubmit(
            nomination_id=nomination.pk, by=request.user, answer=data["answer"]
        )
        return self._detail(nomination.pk)

    @extend_schema(request=ReasonSerializer, responses={200: NominationSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        nomination = self.get_object()
        data = _valid(ReasonSerializer, request.data)
        services.nomination_process_withdraw(
            nomination_id=nomination.pk, by=request.user, reason=data["reason"]
        )
        return self._detail(nomination.pk)

    @extend_schema(request=CheckDocumentsSerializer, responses={200: NominationSerializer})
    @action(detail=True, methods=["post"])
    def check(self, request: Request, pk: str) -> Response:
        """Staff: accept for committee review, or return for correction."""
        return self._step(request, steps.CHECK_NOMINATION, CheckDocumentsSerializer)

    @extend_schema(request=CommendSerializer, responses={200: NominationSerializer})
    @action(detail=True, methods=["post"])
    def commend(self, request: Request, pk: str) -> Response:
        """Staff: record the commendation; the certificate (表彰状) is issued."""
        return self._step(request, steps.COMMEND, CommendSerializer)


class CommitteeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Committees as the user may see them, and their decision: staff open it, the chair
    records it, an approver approves it. Each action answers with the committee's status and
    selection."""

    serializer_class = CommitteeSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is built without a user
            return ReviewPanel.objects.none()
        user = self.request.user
        if not any(has_role(user, role) for role in (Role.STAFF, Role.APPROVER, Role.REVIEWER)):
            raise NotAllowed(
                _("Only programme staff, approvers and reviewers can look at committees.")
            )
        return committees_for_user(user)

    def get_serializer_class(self):
        return CommitteeSerializer if self.action == "list" else CommitteeDetailSerializer

    def _detail(self, panel: ReviewPanel) -> Response:
        panel = ReviewPanel.objects.select_related("rubric", "chair").get(pk=panel.pk)
        return Response(
            CommitteeDetailSerializer(panel, context=self.get_serializer_context()).data
        )

    def _acting_on(self) -> ReviewPanel:
        """The committee, for those who may act on its decision: a reviewer sees it but is
        refused here, before their input is read."""
        panel = self.get_object()
        if not may_act_on_decision(self.request.user, panel):
            raise NotAllowed(_("Only programme staff, approvers and the chair act on a committee."))
        return panel

    def _step(self, request: Request, step: steps.Step, serializer_class: Any) -> Response:
        panel = self._acting_on()
        data = _valid(serializer_class, request.data)
        services.step_complete(
            application_id=panel.pk, step=step, by=request.user, data=data, flow_class=CommitteeFlow
        )
        return self._detail(panel)

    @extend_schema(request=None, responses={200: CommitteeDetailSerializer})
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str) -> Response:
        """Staff: open the decision once the reviews are in or their deadline has passed."""
        panel = self._acting_on()
        services.committee_process_start(panel_id=panel.pk, by=request.user)
        return self._detail(panel)

    @extend_schema(request=CommitteeDecisionSerializer, responses={200: CommitteeDetailSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        """The chair: the selection, its rationale, and a reason for each departure."""
        return self._step(request, steps.RECORD_DECISION, CommitteeDecisionSerializer)

    @extend_schema(request=ApproveSerializer, responses={200: CommitteeDetailSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        """An approver who reviewed nothing in the round: approve, or return to the chair."""
        return self._step(request, steps.APPROVE_DECISION, ApproveSerializer)
