"""Applicant drafting endpoints: HTTP in, one service call, HTTP out."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from . import services
from .selectors import application_get_for_user, application_list_for_user, round_list_for_user
from .serializers import (
    ApplicationCreateSerializer,
    ApplicationSerializer,
    BaselinesInputSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    SubsidyRoundSerializer,
    TrainingLineInputSerializer,
    TrainingLineSerializer,
)


class RoundWindowSerializer(serializers.Serializer):
    window = serializers.ChoiceField(choices=["open", "all"], default="open", required=False)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "window",
                str,
                enum=["open", "all"],
                description="open (default): rounds open for applications now; all: every round "
                "you may read (staff: all; a company member: the open ones and those their "
                "company has an application on).",
            )
        ]
    )
)
class RoundViewSet(viewsets.ReadOnlyModelViewSet):
    """Subsidy rounds: staff-side roles read any round; a company member the open rounds and any
    round their company has an application on. The list shows open rounds unless
    ``?window=all``."""

    serializer_class = SubsidyRoundSerializer

    def get_queryset(self):
        open_only = False
        if self.action == "list":
            query = RoundWindowSerializer(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            open_only = query.validated_data["window"] == "open"
        return round_list_for_user(self.request.user, open_only=open_only).prefetch_related(
            "eligible_cost_types", "required_document_types", "outcome_measures"
        )


class ApplicationDraftViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Applications the user may see: their company's, or all for staff-side roles."""

    serializer_class = ApplicationSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return application_list_for_user(self.request.user).prefetch_related(
            "training_lines__cost_type",
            "documents__document_type",
            "correction_requests",
            "decisions",
            "actual_costs__cost_type",
            "baselines__measure",
        )

    def get_object(self):
        return application_get_for_user(self.request.user, int(self.kwargs["pk"]))

    def _detail(self, application_id: int, code: int = status.HTTP_200_OK) -> Response:
        application = application_get_for_user(self.request.user, application_id)
        return Response(ApplicationSerializer(application).data, status=code)

    @extend_schema(request=ApplicationCreateSerializer, responses={201: ApplicationSerializer})
    def create(self, request: Request) -> Response:
        data = _valid(ApplicationCreateSerializer, request.data)
        application = services.application_create_with_baselines(
            round_id=data["round"],
            by=request.user,
            plan_summary=data["plan_summary"],
            baselines=data["baselines"],
        )
        return self._detail(application.pk, status.HTTP_201_CREATED)

    @extend_schema(request=BaselinesInputSerializer, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"])
    def baselines(self, request: Request, pk: str) -> Response:
        """The baselines (現状値) of the round's outcome measures; codes left out keep theirs."""
        application = self.get_object()
        data = _valid(BaselinesInputSerializer, request.data)
        services.baselines_set(
            application_id=application.pk, values=data["values"], by=request.user
        )
        return self._detail(application.pk)

    @extend_schema(request=TrainingLineInputSerializer, responses={201: TrainingLineSerializer})
    @action(detail=True, methods=["post"], url_path="training-lines")
    def training_lines(self, request: Request, pk: str) -> Response:
        application = self.get_object()
        data = _valid(TrainingLineInputSerializer, request.data)
        line = services.training_line_add(
            application_id=application.pk, line=services.TrainingLineInput(**data), by=request.user
        )
        return Response(TrainingLineSerializer(line).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"training-lines/(?P<line_id>\d+)")
    def training_line_delete(self, request: Request, pk: str, line_id: str) -> Response:
        application = self.get_object()
        services.training_line_remove(
            application_id=application.pk, line_id=int(line_id), by=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=DocumentUploadSerializer, responses={201: DocumentSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def documents(self, request: Request, pk: str) -> Response:
        application = self.get_object()
        data = _valid(DocumentUploadSerializer, request.data)
        document = services.document_upload(
            application_id=application.pk,
            document_type=data["document_type"],
            file=data["file"],
            by=request.user,
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
