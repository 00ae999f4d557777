from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.dates import JST
from core.policy import actions_field

from .models import Declaration, DeclarationCorrection
from .policy import declaration_actions


class DeclarationInputSerializer(serializers.Serializer):
    """What an applicant writes on create and update; the service checks the rules."""

    goals = serializers.CharField(help_text="The reskilling goals (取組目標).")
    measures = serializers.CharField(help_text="The concrete measures the company will take.")
    responsible_name = serializers.CharField(max_length=100)
    responsible_title = serializers.CharField(max_length=100, required=False, allow_blank=True)
    period_start = serializers.DateField()
    period_end = serializers.DateField(help_text="After period_start; at most 5 years later.")
    publish_consent = serializers.BooleanField(
        required=False, help_text="Consent to appear on the public list once registered."
    )


class DeclarationConsentSerializer(serializers.Serializer):
    publish = serializers.BooleanField()


class DeclarationCorrectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeclarationCorrection
        fields = ["id", "items", "message", "deadline", "requested_at", "answer", "answered_at"]
        read_only_fields = fields


class DeclarationSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    company = serializers.CharField(source="company.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    correction_requests = DeclarationCorrectionSerializer(many=True, read_only=True)
    actions = actions_field(
        declaration_actions,
        "What the requesting user may do with the declaration now, and why not.",
    )

    class Meta:
        model = Declaration
        fields = [
            "id",
            "reference",
            "company",
            "status",
            "status_display",
            "goals",
            "measures",
            "responsible_name",
            "responsible_title",
            "period_start",
            "period_end",
            "publish_consent",
            "consent_changed_at",
            "fiscal_year",
            "registration_number",
            "registered_at",
            "received_at",
            "submitted_at",
            "created_at",
            "updated_at",
            "correction_requests",
            "actions",
        ]
        read_only_fields = fields


class PublicDeclarationSerializer(serializers.ModelSerializer):
    """What the public list shows of a registered declaration its company agreed to publish."""

    company = serializers.CharField(source="company.name", read_only=True)
    registered_on = serializers.SerializerMethodField()

    class Meta:
        model = Declaration
        fields = [
            "id",
            "registration_number",
            "company",
            "period_start",
            "period_end",
            "goals",
            "measures",
            "registered_on",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.DATE)
    def get_registered_on(self, declaration: Declaration) -> str | None:
        if declaration.registered_at is None:
            return None
        return declaration.registered_at.astimezone(JST).date().isoformat()
