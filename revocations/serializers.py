"""The shapes of the revocations API: a revocation with the decision it revokes, what is due
today and the repayments received; and the inputs each service takes."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.dates import today_jst
from core.policy import actions_field

from .exports import original_decision
from .models import RepaymentReceipt, Revocation
from .policy import revocation_actions
from .selectors import repayment_due


class RepaymentReceiptSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.get_username", read_only=True)

    class Meta:
        model = RepaymentReceipt
        fields = ["id", "amount", "received_on", "recorded_by", "recorded_at"]
        read_only_fields = fields


class OriginalDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    amount = serializers.IntegerField(allow_null=True)
    decided_on = serializers.DateField(allow_null=True)
    number = serializers.CharField(help_text="The grant notice's number, e.g. 産人第12号.")
    date = serializers.CharField(help_text="The grant notice's date of issue (ISO).")
    letter_id = serializers.IntegerField(allow_null=True)


class DueSerializer(serializers.Serializer):
    on = serializers.DateField()
    principal_outstanding = serializers.IntegerField()
    interest = serializers.IntegerField(help_text="加算金 accrued and not yet paid, in yen.")
    total = serializers.IntegerField()


class RevocationSerializer(serializers.ModelSerializer):
    application_reference = serializers.CharField(source="application.reference", read_only=True)
    company = serializers.CharField(source="application.company.name", read_only=True)
    prepared_by = serializers.CharField(source="prepared_by.get_username", read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.get_username", read_only=True, allow_null=True, default=None
    )
    original = serializers.SerializerMethodField()
    due = serializers.SerializerMethodField()
    receipts = RepaymentReceiptSerializer(many=True, read_only=True)
    letter_url = serializers.SerializerMethodField()
    actions = actions_field(
        revocation_actions,
        "What the requesting user may do with the revocation now, and why not: decide (four "
        "eyes), cancel, record_repayment.",
    )

    class Meta:
        model = Revocation
        fields = [
            "id",
            "application",
            "application_reference",
            "company",
            "status",
            "original",
            "reason",
            "legal_basis",
            "revoked_amount",
            "paid_amount",
            "repayment_amount",
            "repayment_deadline",
            "interest_from",
            "interest_percent",
            "interest_days_in_year",
            "prepared_by",
            "prepared_at",
            "decided_by",
            "decided_at",
            "settled_at",
            "letter",
            "letter_url",
            "due",
            "receipts",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(OriginalDecisionSerializer)
    def get_original(self, revocation: Revocation) -> dict[str, Any]:
        return OriginalDecisionSerializer(original_decision(revocation)).data

    @extend_schema_field(DueSerializer)
    def get_due(self, revocation: Revocation) -> dict[str, Any]:
        today = today_jst()
        return DueSerializer({"on": today, **repayment_due(revocation, today)}).data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_letter_url(self, revocation: Revocation) -> str | None:
        return (
            reverse("letter_download", args=[revocation.letter_id])
            if revocation.letter_id
            else None
        )


class RevocationPrepareSerializer(serializers.Serializer):
    application_id = serializers.IntegerField()
    reason = serializers.CharField()
    revoked_amount = serializers.IntegerField(help_text="Whole yen, at most the amount in force.")
    repayment_deadline = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Required when the company was already paid; after today.",
    )


class RevocationCancelSerializer(serializers.Serializer):
    reason = serializers.CharField()


class RepaymentRecordSerializer(serializers.Serializer):
    amount = serializers.IntegerField(help_text="Whole yen received.")
    received_on = serializers.DateField()
