from django.contrib import admin

from .models import Declaration, DeclarationCorrection


class DeclarationCorrectionInline(admin.TabularInline):
    model = DeclarationCorrection
    extra = 0
    can_delete = False
    fields = ["items", "message", "deadline", "requested_by", "requested_at", "answer"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Declaration)
class DeclarationAdmin(admin.ModelAdmin):
    """Read-only: declarations change only through their services (and so their audit trail)."""

    list_display = [
        "id",
        "registration_number",
        "company",
        "status",
        "period_start",
        "period_end",
        "publish_consent",
        "fiscal_year",
    ]
    list_filter = ["status", "publish_consent", "fiscal_year"]
    list_select_related = ["company"]
    search_fields = ["registration_number", "company__name", "company__corporate_number"]
    inlines = [DeclarationCorrectionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
