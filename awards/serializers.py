"""Input and read shapes of the award API; views translate them to one service call."""

from rest_framework import serializers

from applications.models import Application
from core.policy import actions_field

from .models import AwardRound, Nomination, NominationCorrection, NominationDocument
from .policy import nomination_actions


class AwardRoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = AwardRound
        fields = [
            "id",
            "name",
            "award_name",
            "fiscal_year",
            "nominations_open",
            "nominations_close",
            "quota",
            "requires_declaration",
            "correction_deadline_business_days",
            "ceremony_date",
        ]
        read_only_fields = fields


class CitableApplicationSerializer(serializers.ModelSerializer):
    """A completed subsidy the nominee may cite."""

    reference = serializers.CharField(read_only=True)
    round = serializers.CharField(source="round.name", read_only=True)
    fiscal_year = serializers.IntegerField(source="round.fiscal_year", read_only=True)

    class Meta:
        model = Application
        fields = ["id", "reference", "round", "fiscal_year", "status", "confirmed_amount"]
        read_only_fields = fields


class NominationDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = NominationDocument
        fields = ["id", "original_name", "description", "sha256", "size", "uploaded_at"]
        read_only_fields = fields


class NominationCorrectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = NominationCorrection
        fields = ["id", "items", "message", "deadline", "requested_at", "answer", "answered_at"]
        read_only_fields = fields


class NominationSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    round_name = serializers.CharField(source="round.name", read_only=True)
    company_name = serializers.CharField(source="company.name", read_only=True)
    nominating_company_name = serializers.CharField(
        source="nominating_company.name", read_only=True
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    nominator_kind_display = serializers.CharField(
        source="get_nominator_kind_display", read_only=True
    )
    cited_applications = CitableApplicationSerializer(many=True, read_only=True)
    documents = NominationDocumentSerializer(many=True, read_only=True)
    correction_requests = NominationCorrectionSerializer(many=True, read_only=True)
    actions = actions_field(
        nomination_actions,
        "What the requesting user may do with the nomination now, and why not.",
    )

    class Meta:
        model = Nomination
        fields = [
            "id",
            "reference",
            "round",
            "round_name",
            "company",
            "company_name",
            "nominating_company",
            "nominating_company_name",
            "nominator_kind",
            "nominator_kind_display",
            "nominator_organisation",
            "status",
            "status_display",
            "consent_at",
            "summary",
            "achievements",
            "cited_applications",
            "evidence_snapshot",
            "received_at",
            "submitted_at",
            "concluded_on",
            "commended_on",
            "created_at",
            "documents",
            "correction_requests",
            "actions",
        ]
        read_only_fields = fields


class NominationCreateSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    nominator_kind = serializers.ChoiceField(choices=Nomination.NominatorKind.choices)
    company = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="The nominee; omit for self."
    )
    nominator_organisation = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    achievements = serializers.CharField(required=False, allow_blank=True, default="")


class NominationUpdateSerializer(serializers.Serializer):
    """Fields left out stay as they are."""

    summary = serializers.CharField(required=False, allow_blank=True)
    achievements = serializers.CharField(required=False, allow_blank=True)
    nominator_organisation = serializers.CharField(max_length=200, required=False)


class CiteApplicationsSerializer(serializers.Serializer):
    application_ids = serializers.ListField(child=serializers.IntegerField(min_value=1))


class NominationDocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)  # core.uploads refuses it with a code
    description = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )


class ResubmitSerializer(serializers.Serializer):
    answer = serializers.CharField(required=False, allow_blank=True, default="")


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class PublicCommendationSerializer(serializers.ModelSerializer):
    """What the prefecture publishes about a commended company, and nothing more."""

    company = serializers.CharField(source="company.name", read_only=True)
    round = serializers.CharField(source="round.name", read_only=True)
    award_name = serializers.CharField(source="round.award_name", read_only=True)
    fiscal_year = serializers.IntegerField(source="round.fiscal_year", read_only=True)

    class Meta:
        model = Nomination
        fields = ["id", "company", "round", "award_name", "fiscal_year", "commended_on"]
        read_only_fields = fields
