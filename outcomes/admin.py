from django.contrib import admin

from .models import OutcomeReport, OutcomeValue


class OutcomeValueInline(admin.TabularInline):
    model = OutcomeValue
    fields = ["measure", "baseline", "value"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(OutcomeReport)
class OutcomeReportAdmin(admin.ModelAdmin):
    """Read-only: reports change only through their services."""

    list_display = ["id", "application", "status", "paid_on", "due_on", "accepted_at"]
    list_filter = ["status"]
    list_select_related = ["application__company", "application__round"]
    search_fields = ["application__company__name"]
    inlines = [OutcomeValueInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
