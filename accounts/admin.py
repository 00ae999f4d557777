from django.contrib import admin

from .models import ApiToken, Company, Profile


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "corporate_number", "employee_count"]
    search_fields = ["name", "name_kana", "corporate_number"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "company", "language"]
    list_select_related = ["user", "company"]
    autocomplete_fields = ["company"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by their owners; the admin sees them and may revoke (set revoked)."""

    list_display = ["name", "user", "prefix", "created_at", "expires_at", "revoked_at"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username", "prefix"]
    fields = ["user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "created_at", "expires_at", "last_used_at"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
