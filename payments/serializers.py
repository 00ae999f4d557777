"""The shapes of the finance API: read-only views of the payments rows (account numbers masked
for finance), and the inputs each service takes."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from .exports import account_masked
from .models import AccountType, BatchItem, Payable, PayeeAccount, PaymentBatch


class PayeeAccountSerializer(serializers.ModelSerializer):
    """A company's own account, shown in full to its members."""

    class Meta:
        model = PayeeAccount
        fields = [
            "id",
            "bank_code",
            "branch_code",
            "bank_name",
            "branch_name",
            "account_type",
            "account_number",
            "holder_name",
            "created_at",
        ]
        read_only_fields = fields


class PayeeAccountInputSerializer(serializers.Serializer):
    bank_code = serializers.CharField(max_length=4, help_text="統一金融機関コード, 4 digits.")
    branch_code = serializers.CharField(max_length=3, help_text="支店コード, 3 digits.")
    account_type = serializers.ChoiceField(choices=AccountType.choices)
    account_number = serializers.CharField(max_length=7)
    holder_name = serializers.CharField(
        max_length=60, help_text="口座名義 in katakana, as the bank holds it."
    )


class MaskedAccountMixin(serializers.Serializer):
    account_number = serializers.SerializerMethodField(
        help_text="Masked but for the last three digits."
    )

    def get_account_number(self, record: Any) -> str:
        return account_masked(record.account_number)


class PayableSerializer(MaskedAccountMixin, serializers.ModelSerializer):
    application_reference = serializers.CharField(source="application.reference", read_only=True)
    company = serializers.CharField(source="company.name", read_only=True)

    class Meta:
        model = Payable
        fields = [
            "id",
            "application",
            "application_reference",
            "company",
            "amount",
            "status",
            "failure_reason",
            "bank_code",
            "branch_code",
            "account_type",
            "account_number",
            "holder_name",
            "claimed_at",
        ]
        read_only_fields = fields


class BatchItemSerializer(MaskedAccountMixin, serializers.ModelSerializer):
    customer_code = serializers.CharField(read_only=True)
    application = serializers.IntegerField(source="payable.application_id", read_only=True)
    application_reference = serializers.CharField(
        source="payable.application.reference", read_only=True
    )
    company = serializers.CharField(source="payable.company.name", read_only=True)

    class Meta:
        model = BatchItem
        fields = [
            "id",
            "customer_code",
            "payable",
            "application",
            "application_reference",
            "company",
            "amount",
            "bank_code",
            "branch_code",
            "account_type",
            "account_number",
            "holder_name",
            "result",
            "reason",
            "resulted_at",
        ]
        read_only_fields = fields


class PaymentBatchSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    prepared_by = serializers.CharField(source="prepared_by.get_username", read_only=True)
    released_by = serializers.CharField(
        source="released_by.get_username", read_only=True, allow_null=True, default=None
    )
    second_releaser = serializers.CharField(
        source="second_releaser.get_username", read_only=True, allow_null=True, default=None
    )
    awaiting_second_releaser = serializers.BooleanField(read_only=True)
    paid_count = serializers.IntegerField(read_only=True)
    failed_count = serializers.IntegerField(read_only=True)
    pending_count = serializers.IntegerField(read_only=True)
    paid_total = serializers.IntegerField(read_only=True)

    class Meta:
        model = PaymentBatch
        fields = [
            "id",
            "reference",
            "transfer_date",
            "status",
            "total",
            "item_count",
            "needs_second_releaser",
            "awaiting_second_releaser",
            "prepared_by",
            "prepared_at",
            "released_by",
            "released_at",
            "second_releaser",
            "second_released_at",
            "reconciled_at",
            "file_sha256",
            "file_generated_at",
            "paid_count",
            "failed_count",
            "pending_count",
            "paid_total",
        ]
        read_only_fields = fields


class PaymentBatchDetailSerializer(PaymentBatchSerializer):
    items = BatchItemSerializer(many=True, read_only=True)

    class Meta(PaymentBatchSerializer.Meta):
        fields = [*PaymentBatchSerializer.Meta.fields, "items"]
        read_only_fields = fields


class BatchPrepareSerializer(serializers.Serializer):
    transfer_date = serializers.DateField(help_text="A business day, today or later.")
    payable_ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


class BatchCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReconcileSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="The bank's result CSV: customer_code,result,reason (paid/failed or 済/不能)."
    )


class ReconciliationSummarySerializer(serializers.Serializer):
    batch_id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=PaymentBatch.Status.choices)
    paid = serializers.IntegerField()
    failed = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    paid_application_ids = serializers.ListField(child=serializers.IntegerField())
    failed_application_ids = serializers.ListField(child=serializers.IntegerField())
