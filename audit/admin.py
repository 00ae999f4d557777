from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = [
        "seq",
        "occurred_at",
        "actor",
        "actor_role",
        "action",
        "subject_type",
        "subject_id",
        "from_status",
        "to_status",
    ]
    list_filter = ["action", "actor_role", "subject_type"]
    search_fields = ["subject_id", "reason", "request_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
