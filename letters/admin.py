from django.contrib import admin

from .models import Letter, LetterSequence


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "programme",
        "series",
        "fiscal_year",
        "number",
        "version",
        "company",
        "status",
        "issued_at",
    ]
    list_filter = [
        "kind",
        "status",
        "programme",
        "series",
        "fiscal_year",
        ("number_clash_with", admin.EmptyFieldListFilter),
    ]
    readonly_fields = [field.name for field in Letter._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LetterSequence)
class LetterSequenceAdmin(admin.ModelAdmin):
    list_display = ["series", "fiscal_year", "last_number"]
    readonly_fields = ["last_number"]
