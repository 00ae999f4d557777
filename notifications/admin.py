from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "language", "sent_at", "attempts", "read_at"]
    list_filter = ["kind", "language"]
    readonly_fields = [f.name for f in Notification._meta.fields]
