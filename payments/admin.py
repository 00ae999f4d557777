from django.contrib import admin

from .models import BatchItem, Payable, PayeeAccount, Payment, PaymentBatch


class ReadOnlyAdmin(admin.ModelAdmin):
    """Money rows change only through the payments services (four eyes, audit)."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PayeeAccount)
class PayeeAccountAdmin(ReadOnlyAdmin):
    list_display = ["company", "bank_code", "branch_code", "account_number", "holder_name"]
    search_fields = ["company__name", "holder_name"]


@admin.register(Payable)
class PayableAdmin(ReadOnlyAdmin):
    list_display = ["application", "company", "amount", "status", "claimed_at"]
    list_filter = ["status"]


class BatchItemInline(admin.TabularInline):
    model = BatchItem
    extra = 0
    can_delete = False
    fields = ["payable", "amount", "result", "reason", "live"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "transfer_date",
        "status",
        "item_count",
        "total",
        "prepared_by",
        "released_by",
        "second_releaser",
    ]
    list_filter = ["status"]
    inlines = [BatchItemInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["application", "amount", "released_by", "released_at"]
