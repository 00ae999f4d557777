from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

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


# The sign-in libraries' pages with their sections and computed columns in the admin's language
# (their models' and fields' names: library_names). Importing their admin modules registers
# their classes first, so these replace them.
FIELDSET_NAMES = {
    "Identity": _("Identity"),
    "Timestamps": _("Timestamps"),
    "Configuration": _("Configuration"),
    "State": _("State"),
    "Throttling": _("Throttling"),
}


class _DeviceAdminTranslated:
    search_help_text = _("Search by the user's username or email address")

    def get_fieldsets(self, request, obj=None):  # type: ignore[no-untyped-def]
        return [
            (FIELDSET_NAMES.get(name, name), options)
            for name, options in super().get_fieldsets(request, obj)  # type: ignore[misc]
        ]


class KofuTOTPDeviceAdmin(_DeviceAdminTranslated, TOTPDeviceAdmin):
    @admin.display(description=_("QR Code"))
    def qrcode_link(self, device):  # type: ignore[no-untyped-def]
        href = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">{}</a>', href, _("show the QR code"))


class KofuStaticDeviceAdmin(_DeviceAdminTranslated, StaticDeviceAdmin):
    pass


admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, KofuTOTPDeviceAdmin)
admin.site.unregister(StaticDevice)
admin.site.register(StaticDevice, KofuStaticDeviceAdmin)


class KofuAccessAttemptAdmin(AccessAttemptAdmin):
    @admin.display(description=_("Status"))
    def status(self, obj):  # type: ignore[no-untyped-def]
        return super().status(obj)


if admin.site.is_registered(AccessAttempt):  # AXES_ENABLE_ADMIN
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, KofuAccessAttemptAdmin)
