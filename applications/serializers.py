from rest_framework import serializers

from core.policy import actions_field

from .models import (
    ActualCost,
    Application,
    Baseline,
    CorrectionRequest,
    Decision,
    Document,
    DocumentType,
    OutcomeMeasure,
    SubsidyRound,
    TrainingLine,
)
from .policy import application_actions
from .services import amount_to_confirm


class OutcomeMeasureSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    unit = serializers.CharField(read_only=True)

    class Meta:
        model = OutcomeMeasure
        fields = ["code", "name", "unit", "better", "decimal_places"]


class BaselineSerializer(serializers.ModelSerializer):
    measure = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Baseline
        fields = ["measure", "value"]


class BaselinesInputSerializer(serializers.Serializer):
    values = serializers.DictField(
        child=serializers.CharField(),
        help_text='By measure code, e.g. {"overtime_hours": "22.5", "annual_sales": "180000000"}.',
    )


class RequiredDocumentSerializer(serializers.ModelSerializer):
    """A document the round requires, and the stage it is due at."""

    stage_display = serializers.CharField(source="get_stage_display", read_only=True)

    class Meta:
        model = DocumentType
        fields = ["code", "name", "stage", "stage_display"]
        read_only_fields = fields


class SubsidyRoundSerializer(serializers.ModelSerializer):
    eligible_cost_types = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    required_document_types = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="code",
        help_text="Codes of all required documents; `required_documents` says each one's stage.",
    )
    required_documents = RequiredDocumentSerializer(
        source="required_document_types", many=True, read_only=True
    )
    outcome_measures = OutcomeMeasureSerializer(many=True, read_only=True)

    class Meta:
        model = SubsidyRound
        fields = [
            "id",
            "name",
            "fiscal_year",
            "opens_at",
            "closes_at",
            "budget",
            "committed_total",
            "rate_numerator",
            "rate_denominator",
            "cap_per_trainee",
            "cap_per_company",
            "rounding_unit",
            "eligible_cost_types",
            "required_document_types",
            "required_documents",
            "outcome_measures",
            "correction_deadline_business_days",
            "results_report_deadline",
            "requires_declaration",
        ]


class TrainingLineSerializer(serializers.ModelSerializer):
    cost_type = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = TrainingLine
        fields = [
            "id",
            "trainee_name",
            "course_name",
            "provider",
            "start_date",
            "end_date",
            "cost_type",
            "amount",
        ]


class TrainingLineInputSerializer(serializers.Serializer):
    trainee_name = serializers.CharField(max_length=100)
    course_name = serializers.CharField(max_length=200)
    provider = serializers.CharField(max_length=200)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    cost_type = serializers.SlugField()
    amount = serializers.IntegerField(min_value=1, help_text="Yen, excluding consumption tax.")


class DocumentSerializer(serializers.ModelSerializer):
    document_type = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Document
        fields = ["id", "document_type", "original_name", "sha256", "size", "uploaded_at"]


class DocumentUploadSerializer(serializers.Serializer):
    document_type = serializers.SlugField()
    file = serializers.FileField(allow_empty_file=True)  # core.uploads refuses it with a code


class CorrectionRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = CorrectionRequest
        fields = ["id", "items", "message", "deadline", "requested_at", "answer", "answered_at"]


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = [
            "id",
            "kind",
            "amount",
            "computation",
            "terms",
            "reason",
            "conditions",
            "legal_basis",
            "decided_at",
            "supersedes",
        ]


class ActualCostSerializer(serializers.ModelSerializer):
    cost_type = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ActualCost
        fields = [
            "id",
            "trainee_name",
            "course_name",
            "cost_type",
            "incurred_on",
            "amount",
            "completed",
            "evidence",
        ]


class ActualCostInputSerializer(serializers.Serializer):
    trainee_name = serializers.CharField(max_length=100)
    course_name = serializers.CharField(max_length=200)
    cost_type = serializers.SlugField()
    incurred_on = serializers.DateField()
    amount = serializers.IntegerField(min_value=1)
    completed = serializers.BooleanField(default=True)
    evidence_document_id = serializers.IntegerField(required=False, allow_null=True)


class ApplicationSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    company = serializers.CharField(source="company.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    training_lines = TrainingLineSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    correction_requests = CorrectionRequestSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    actual_costs = ActualCostSerializer(many=True, read_only=True)
    baselines = BaselineSerializer(many=True, read_only=True)
    amount_to_confirm = serializers.SerializerMethodField(
        help_text="While the results are checked: the amount 額の確定 would confirm, to send back "
        "as expected_amount."
    )
    actions = actions_field(
        application_actions,
        "What the requesting user may do with the application now, and why not: edit, upload, "
        "submit, resubmit, report_results, withdraw.",
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "reference",
            "round",
            "company",
            "status",
            "status_display",
            "plan_summary",
            "requested_amount",
            "decided_amount",
            "confirmed_amount",
            "received_at",
            "submitted_at",
            "decided_on",
            "created_at",
            "training_lines",
            "documents",
            "correction_requests",
            "decisions",
            "actual_costs",
            "baselines",
            "amount_to_confirm",
            "actions",
        ]
        read_only_fields = fields

    def get_amount_to_confirm(self, application: Application) -> int | None:
        if application.status != Application.Status.RESULTS_CHECKED:
            return None
        return amount_to_confirm(application)


class ApplicationCreateSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    plan_summary = serializers.CharField(required=False, allow_blank=True, default="")
    baselines = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        default=dict,
        help_text="The baselines of the round's outcome measures, by measure code.",
    )
