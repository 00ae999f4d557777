"""The reviewer's API: their assignments (score, recuse) and their declared conflicts.

A conflicted reviewer gets 404 for the item, exactly as for one that does not exist, and the
attempt is in the audit trail (see ``committee.assignment_for_reviewer``).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from . import committee
from .models import ConflictOfInterest, ReviewAssignment, ReviewItem, ReviewPanel
from .selectors import (
    PanelStatus,
    assignments_for_reviewer,
    conflicts_of_reviewer,
    decision_standing,
    panel_items_for_user,
    panel_selection_for_user,
    panel_status,
    reads_results,
    review_items_for_user,
    scores_visible_to,
)


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


# --- committees and their items, as the user may see them -------------------------------------


class CommitteeItemSerializer(serializers.Serializer):
    """An item in the committee; the ranking and selection are null for a reviewer."""

    id = serializers.IntegerField()
    label = serializers.CharField()
    company = serializers.CharField()
    withdrawn = serializers.BooleanField()
    rank = serializers.IntegerField(allow_null=True)
    mean_raw = serializers.FloatField(allow_null=True, help_text="Weighted mean on the scale.")
    mean_z = serializers.FloatField(allow_null=True, help_text="Mean of the reviewers' z-scores.")
    within_quota = serializers.BooleanField(allow_null=True)
    tied_at_quota = serializers.BooleanField(allow_null=True)
    selected = serializers.BooleanField(
        allow_null=True, help_text="In the standing decision; null before one."
    )
    departure_reason = serializers.CharField(allow_null=True)


class CommitteeDecisionReadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    rationale = serializers.CharField()
    recorded_by = serializers.CharField(source="recorded_by.get_username")
    recorded_at = serializers.DateTimeField()
    approved_by = serializers.CharField(source="approved_by.get_username", default=None)
    approved_at = serializers.DateTimeField(allow_null=True)
    approval_note = serializers.CharField()


class CommitteeSerializer(serializers.ModelSerializer):
    """A committee with its status; the selection only for those who read its results."""

    round = serializers.CharField(source="round.__str__", read_only=True)
    chair = serializers.CharField(source="chair.get_username", read_only=True)
    status = serializers.SerializerMethodField()
    items_count = serializers.SerializerMethodField()
    selected_item_ids = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()

    class Meta:
        model = ReviewPanel
        fields = [
            "id",
            "name",
            "round",
            "chair",
            "reviewers_per_item",
            "review_deadline",
            "quota",
            "status",
            "items_count",
            "selected_item_ids",
            "decision",
        ]
        read_only_fields = fields

    def _user(self) -> Any:
        return self.context["request"].user

    @extend_schema_field(serializers.ChoiceField(choices=PanelStatus.choices))
    def get_status(self, panel: ReviewPanel) -> str:
        return panel_status(panel).value

    def get_items_count(self, panel: ReviewPanel) -> int:
        return review_items_for_user(self._user(), panel).count()

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField(), allow_null=True))
    def get_selected_item_ids(self, panel: ReviewPanel) -> list[int] | None:
        return panel_selection_for_user(self._user(), panel)

    @extend_schema_field(CommitteeDecisionReadSerializer(allow_null=True))
    def get_decision(self, panel: ReviewPanel) -> dict[str, Any] | None:
        decision = decision_standing(panel)
        if decision is None or not reads_results(self._user(), panel):
            return None
        return CommitteeDecisionReadSerializer(decision).data


class CommitteeDetailSerializer(CommitteeSerializer):
    """The committee with its items, in rank order for those who read its results."""

    items = serializers.SerializerMethodField()

    class Meta(CommitteeSerializer.Meta):
        fields = [*CommitteeSerializer.Meta.fields, "items"]
        read_only_fields = fields

    @extend_schema_field(CommitteeItemSerializer(many=True))
    def get_items(self, panel: ReviewPanel) -> list[dict[str, Any]]:
        return CommitteeItemSerializer(panel_items_for_user(self._user(), panel), many=True).data


class ItemAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reviewer = serializers.CharField(source="reviewer.get_username")
    status = serializers.CharField()


class ReviewItemSerializer(serializers.ModelSerializer):
    """An item: its assignments (all for those who read results, else the reviewer's own) and
    the scores the user may see (blind scoring: others' only after submitting one's own)."""

    committee = serializers.IntegerField(source="panel_id", read_only=True)
    company = serializers.CharField(source="company.name", read_only=True)
    withdrawn = serializers.SerializerMethodField()
    assignments = serializers.SerializerMethodField()
    scores = serializers.SerializerMethodField()

    class Meta:
        model = ReviewItem
        fields = ["id", "committee", "label", "company", "withdrawn", "assignments", "scores"]
        read_only_fields = fields

    def get_withdrawn(self, item: ReviewItem) -> bool:
        return item.withdrawn_at is not None

    @extend_schema_field(ItemAssignmentSerializer(many=True))
    def get_assignments(self, item: ReviewItem) -> list[dict[str, Any]]:
        user = self.context["request"].user
        assignments = item.assignments.select_related("reviewer").order_by("pk")
        if not reads_results(user, item.panel):
            assignments = assignments_for_reviewer(user, item.panel).filter(item=item)
        return ItemAssignmentSerializer(assignments, many=True).data

    @extend_schema_field(VisibleScoreSerializer(many=True))
    def get_scores(self, item: ReviewItem) -> list[dict[str, Any]]:
        visible = scores_visible_to(self.context["request"].user, item)
        return VisibleScoreSerializer(visible, many=True).data


class ReviewItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Committee items: all for staff and approvers, a chair's committee's, a reviewer's own;
    never one a reviewer is conflicted with (404, and the attempt is audited)."""

    serializer_class = ReviewItemSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReviewItem.objects.none()
        items = review_items_for_user(self.request.user).order_by("panel_id", "pk")
        committee_id = self.request.query_params.get("committee", "")
        if not committee_id:
            return items
        return items.filter(panel_id=int(committee_id)) if committee_id.isdigit() else items.none()

    @extend_schema(
        parameters=[OpenApiParameter("committee", int, description="Only this committee's items.")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_object(self) -> ReviewItem:
        return committee.review_item_get(user=self.request.user, item_id=int(self.kwargs["pk"]))
