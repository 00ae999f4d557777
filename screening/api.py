"""The reviewer's API: their assignments (score, recuse) and their declared conflicts.

A conflicted reviewer gets 404 for the item, exactly as for one that does not exist, and the
attempt is in the audit trail (see ``committee.assignment_for_reviewer``).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from . import committee
from .models import ConflictOfInterest, ReviewAssignment, ReviewPanel
from .selectors import assignments_for_reviewer, conflicts_of_reviewer, scores_visible_to


class CriterionSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    weight = serializers.DecimalField(max_digits=6, decimal_places=2)


class VisibleScoreSerializer(serializers.Serializer):
    reviewer = serializers.CharField(source="assignment.reviewer.get_username")
    criterion = serializers.CharField(source="criterion.code")
    value = serializers.IntegerField()


class ReviewAssignmentSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="item.label")
    committee = serializers.CharField(source="item.panel.name")
    deadline = serializers.DateTimeField(source="item.panel.review_deadline")
    scale_min = serializers.IntegerField(source="item.panel.rubric.scale_min")
    scale_max = serializers.IntegerField(source="item.panel.rubric.scale_max")
    criteria = serializers.SerializerMethodField()
    scores = serializers.SerializerMethodField()

    class Meta:
        model = ReviewAssignment
        fields = [
            "id",
            "label",
            "committee",
            "deadline",
            "status",
            "comment",
            "assigned_at",
            "submitted_at",
            "scale_min",
            "scale_max",
            "criteria",
            "scores",
        ]
        read_only_fields = fields

    @extend_schema(responses=CriterionSerializer(many=True))
    def get_criteria(self, assignment: ReviewAssignment) -> list[dict[str, Any]]:
        criteria = assignment.item.panel.rubric.criteria.all()
        return CriterionSerializer(criteria, many=True).data

    @extend_schema(responses=VisibleScoreSerializer(many=True))
    def get_scores(self, assignment: ReviewAssignment) -> list[dict[str, Any]]:
        """Every reviewer's scores on the item, once the user has submitted their own."""
        visible = scores_visible_to(self.context["request"].user, assignment.item)
        return VisibleScoreSerializer(visible, many=True).data


class ScoresInputSerializer(serializers.Serializer):
    scores = serializers.DictField(child=serializers.IntegerField())
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class RecuseInputSerializer(serializers.Serializer):
    reason = serializers.CharField()


class RecusedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


def _valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The current user's committee reviews; never one on a company they are conflicted with."""

    serializer_class = ReviewAssignmentSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is built without a user
            return ReviewAssignment.objects.none()
        return assignments_for_reviewer(self.request.user).prefetch_related(
            "item__panel__rubric__criteria"
        )

    def get_object(self) -> ReviewAssignment:
        return committee.assignment_for_reviewer(
            user=self.request.user, assignment_id=int(self.kwargs["pk"])
        )

    @extend_schema(request=ScoresInputSerializer, responses=ReviewAssignmentSerializer)
    @action(detail=True, methods=["post"])
    def scores(self, request: Request, pk: str | None = None) -> Response:
        data = _valid(ScoresInputSerializer, request.data)
        assignment = committee.scores_submit(
            assignment_id=int(pk), by=request.user, scores=data["scores"], comment=data["comment"]
        )
        return Response(self.get_serializer(assignment).data)

    @extend_schema(request=RecuseInputSerializer, responses=RecusedSerializer)
    @action(detail=True, methods=["post"])
    def recuse(self, request: Request, pk: str | None = None) -> Response:
        data = _valid(RecuseInputSerializer, request.data)
        committee.assignment_recuse(assignment_id=int(pk), by=request.user, reason=data["reason"])
        recused = ReviewAssignment.objects.get(pk=int(pk))
        return Response({"id": recused.pk, "status": recused.status})


class ConflictSerializer(serializers.ModelSerializer):
    company = serializers.CharField(source="company.name", default="", read_only=True)
    panel = serializers.PrimaryKeyRelatedField(
        queryset=ReviewPanel.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = ConflictOfInterest
        fields = ["id", "corporate_number", "company", "reason", "source", "panel", "created_at"]
        read_only_fields = ["id", "company", "source", "created_at"]
        extra_kwargs = {"corporate_number": {"validators": []}}


class ConflictViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The conflicts of interest the current reviewer declared (or that were recorded for them)."""

    serializer_class = ConflictSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ConflictOfInterest.objects.none()
        return conflicts_of_reviewer(self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _valid(ConflictSerializer, request.data)
        conflict = committee.conflict_declare(
            reviewer=request.user,
            by=request.user,
            reason=data["reason"],
            corporate_number=data.get("corporate_number", ""),
            panel=data.get("panel"),
        )
        return Response(ConflictSerializer(conflict).data, status=status.HTTP_201_CREATED)
