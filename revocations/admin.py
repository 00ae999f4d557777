from django.contrib import admin

from .models import RepaymentReceipt, Revocation


class ReadOnlyAdmin(admin.ModelAdmin):
    """Revocations and repayments change only through their services (four eyes, audit)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RepaymentReceiptInline(admin.TabularInline):
    model = RepaymentReceipt
    extra = 0
    fields = ["received_on", "amount", "recorded_by", "recorded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Revocation)
class RevocationAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "application",
        "status",
        "revoked_amount",
        "repayment_amount",
        "repayment_deadline",
        "prepared_by",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status"]
    list_select_related = ["application__company", "application__round"]
    search_fields = ["application__company__name"]
    inlines = [RepaymentReceiptInline]


@admin.register(RepaymentReceipt)
class RepaymentReceiptAdmin(ReadOnlyAdmin):
    list_display = ["revocation", "received_on", "amount", "recorded_by", "recorded_at"]
