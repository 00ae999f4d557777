from django.contrib import admin

from .models import Company, Profile


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "corporate_number", "employee_count"]
    search_fields = ["name", "name_kana", "corporate_number"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "company", "language"]
    list_select_related = ["user", "company"]
    autocomplete_fields = ["company"]
