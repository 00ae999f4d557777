from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from applications.serializers import OutcomeMeasureSerializer
from core.policy import actions_field

from .models import OutcomeReport
from .policy import outcome_report_actions
from .selectors import report_improvements


class MeasureResultSerializer(serializers.Serializer):
    measure = OutcomeMeasureSerializer()
    baseline = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    value = serializers.DecimalField(max_digits=18, decimal_places=2)
    gain = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        allow_null=True,
        help_text="How far the value moved in the measure's better direction.",
    )
    percent = serializers.DecimalField(
        max_digits=12,
        decimal_places=1,
        allow_null=True,
        help_text="The gain as a percentage of the baseline (null from a baseline of 0).",
    )
    improved = serializers.BooleanField(help_text="Improved under the productivity rule.")


class OutcomeReportSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    application_reference = serializers.CharField(source="application.reference", read_only=True)
    company = serializers.CharField(source="application.company.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    measures = OutcomeMeasureSerializer(
        source="application.round.outcome_measures", many=True, read_only=True
    )
    results = serializers.SerializerMethodField()
    actions = actions_field(
        outcome_report_actions,
        "What the requesting user may do with the report now (submit), and why not.",
    )

    class Meta:
        model = OutcomeReport
        fields = [
            "id",
            "reference",
            "application",
            "application_reference",
            "company",
            "status",
            "status_display",
            "paid_on",
            "due_on",
            "comment",
            "return_reason",
            "submitted_at",
            "accepted_at",
            "measures",
            "results",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(MeasureResultSerializer(many=True))
    def get_results(self, report: OutcomeReport) -> list[dict]:
        return MeasureResultSerializer(report_improvements(report), many=True).data


class OutcomeReportSubmitSerializer(serializers.Serializer):
    values = serializers.DictField(
        child=serializers.CharField(),
        help_text='Every measure of the round by code, e.g. {"overtime_hours": "18.5"}.',
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class OutcomeReturnSerializer(serializers.Serializer):
    reason = serializers.CharField()
