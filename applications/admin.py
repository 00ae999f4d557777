from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Application, CostType, Decision, DocumentType, OutcomeMeasure, SubsidyRound


@admin.register(SubsidyRound)
class SubsidyRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "fiscal_year", "opens_at", "closes_at", "budget", "committed_total"]
    readonly_fields = ["committed_total"]
    filter_horizontal = ["eligible_cost_types", "required_document_types", "outcome_measures"]
    fieldsets = [
        (None, {"fields": ["name", "fiscal_year", "legal_basis"]}),
        (_("Window"), {"fields": ["opens_at", "closes_at", "results_report_deadline"]}),
        (
            _("Money"),
            {
                "fields": [
                    "budget",
                    "committed_total",
                    "rate_numerator",
                    "rate_denominator",
                    "cap_per_trainee",
                    "cap_per_company",
                    "rounding_unit",
                ]
            },
        ),
        (
            _("Rules"),
            {
                "fields": [
                    "eligible_cost_types",
                    "required_document_types",
                    "outcome_measures",
                    "correction_deadline_business_days",
                    "year_end_closure",
                    "requires_declaration",
                ]
            },
        ),
    ]


@admin.register(CostType, DocumentType)
class NamedAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ja", "name_en"]


@admin.register(OutcomeMeasure)
class OutcomeMeasureAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ja", "name_en", "unit_ja", "better", "decimal_places", "position"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: applications change only through their workflow."""

    list_display = [
        "id",
        "company",
        "round",
        "status",
        "requested_amount",
        "decided_amount",
        "confirmed_amount",
    ]
    list_filter = ["status", "round"]
    list_select_related = ["company", "round"]
    search_fields = ["company__name", "company__corporate_number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "application",
        "kind",
        "amount",
        "prepared_by",
        "decided_by",
        "decided_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
