from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AwardRound, Nomination, NominationCorrection, NominationDocument


@admin.register(AwardRound)
class AwardRoundAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "fiscal_year",
        "nominations_open",
        "nominations_close",
        "quota",
        "requires_declaration",
        "ceremony_date",
    ]
    list_filter = ["fiscal_year", "requires_declaration"]
    fieldsets = [
        (None, {"fields": ["name", "award_name", "fiscal_year", "legal_basis"]}),
        (_("Window"), {"fields": ["nominations_open", "nominations_close", "ceremony_date"]}),
        (
            _("Rules"),
            {
                "fields": [
                    "quota",
                    "requires_declaration",
                    "correction_deadline_business_days",
                    "year_end_closure",
                ]
            },
        ),
    ]


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class NominationDocumentInline(_ReadOnlyInline):
    model = NominationDocument
    fields = ["original_name", "description", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


class NominationCorrectionInline(_ReadOnlyInline):
    model = NominationCorrection
    fields = ["items", "message", "deadline", "requested_by", "answer", "answered_at"]
    readonly_fields = fields


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    """Read-only: nominations change only through their services and flow."""

    list_display = [
        "id",
        "company",
        "round",
        "nominator_kind",
        "nominator_organisation",
        "status",
        "received_at",
        "commended_on",
    ]
    list_filter = ["status", "round", "nominator_kind"]
    list_select_related = ["company", "round"]
    search_fields = ["company__name", "company__corporate_number", "nominator_organisation"]
    inlines = [NominationDocumentInline, NominationCorrectionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
