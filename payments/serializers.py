"""The shapes of the finance API: read-only views of the payments rows (account numbers masked
for finance), and the inputs each service takes."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from core.policy import actions_field

from .exports import account_masked
from .labels import trail_action_label
from .models import AccountType, BatchItem, Payable, PayeeAccount, PaymentBatch
from .policy import batch_actions


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
            "retired_at",
        ]
        read_only_fields = fields


class PayeeAccountRetireSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


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
    actions = actions_field(
        batch_actions,
        "What the requesting user may do with the batch now, and why not: release (four eyes), "
        "cancel, reconcile.",
    )

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
            "actions",
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


class TrailEventSerializer(serializers.Serializer):
    """One act of an application's audit trail: what was done to which record, by whom, in
    which role, when and why."""

    at = serializers.DateTimeField(source="occurred_at", help_text="When it happened (UTC).")
    record = serializers.CharField(
        source="subject_type",
        help_text="The record acted on: applications.application, payments.payable, "
        "payments.payeeaccount or payments.paymentbatch.",
    )
    record_id = serializers.CharField(source="subject_id")
    action = serializers.CharField(help_text="The act's stable code, e.g. batch_prepare.")
    label = serializers.SerializerMethodField(help_text="The act, named in the user's language.")
    actor = serializers.SerializerMethodField(
        help_text="Who did it (user name); null for the system (timers, jobs)."
    )
    actor_name = serializers.SerializerMethodField(help_text="Their full name, if recorded.")
    role = serializers.CharField(source="actor_role", help_text="The role they acted in.")
    from_status = serializers.CharField(
        source="from_status", help_text="The record's status before, if it changed."
    )
    to_status = serializers.CharField(
        source="to_status", help_text="The record's status after, if it changed."
    )
    reason = serializers.CharField()
    data = serializers.SerializerMethodField(
        help_text="What the act recorded (amounts, ids, file hashes). Empty for a batch's acts "
        "unless the reader is staff: a batch carries other companies' transfers."
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        # the names the endpoint has always used for the status change
        fields["from"] = fields.pop("from_status")
        fields["to"] = fields.pop("to_status")
        fields["reason"] = fields.pop("reason")
        fields["data"] = fields.pop("data")
        return fields

    def get_label(self, event: Any) -> str:
        return trail_action_label(event.subject_type, event.action)

    def get_actor(self, event: Any) -> str | None:
        return event.actor.get_username() if event.actor else None

    def get_actor_name(self, event: Any) -> str:
        return event.actor.get_full_name().strip() if event.actor else ""

    def get_data(self, event: Any) -> dict[str, Any]:
        if event.subject_type == PaymentBatch._meta.label_lower and not self.context.get("staff"):
            return {}
        return event.data
