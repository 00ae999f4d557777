from django.contrib import admin

from .models import Attempt, Notification, Preference


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    readonly_fields = ["started_at", "outcome", "error", "digest"]
    can_delete = False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "recipient",
        "kind",
        "language",
        "email_status",
        "attempts",
        "read_at",
    ]
    list_filter = ["kind", "language", "email_status"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    inlines = [AttemptInline]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "in_app"]
