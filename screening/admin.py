"""Rubrics are reference data kept in the admin; everything else is written by the services
(with its audit trail), so the admin only shows it."""

from django.contrib import admin

from .models import (
    CommitteeDecision,
    CommitteeDecisionEntry,
    ConflictOfInterest,
    Criterion,
    Descriptor,
    ReviewAssignment,
    ReviewItem,
    ReviewPanel,
    Rubric,
    Score,
    StaffScreening,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["name", "scale_min", "scale_max"]
    inlines = [CriterionInline]


class DescriptorInline(admin.TabularInline):
    model = Descriptor
    extra = 0


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    """A criterion's descriptors: what each score on the rubric's scale means to a reviewer."""

    list_display = ["label_ja", "rubric", "code", "weight", "order"]
    list_filter = ["rubric"]
    list_select_related = ["rubric"]
    inlines = [DescriptorInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewPanel)
class ReviewPanelAdmin(ReadOnlyAdmin):
    list_display = ["name", "chair", "reviewers_per_item", "quota", "review_deadline"]
    list_select_related = ["chair"]


@admin.register(ReviewItem)
class ReviewItemAdmin(ReadOnlyAdmin):
    list_display = ["label", "panel", "company", "created_at"]
    list_filter = ["panel"]
    list_select_related = ["panel", "company"]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    can_delete = False
    readonly_fields = ["criterion", "value"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["item", "reviewer", "status", "assigned_at", "submitted_at"]
    list_filter = ["status", "item__panel"]
    list_select_related = ["item", "reviewer"]
    inlines = [ScoreInline]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(ReadOnlyAdmin):
    list_display = ["reviewer", "company", "corporate_number", "source", "panel", "created_at"]
    list_filter = ["source"]
    list_select_related = ["reviewer", "company", "panel"]


class EntryInline(admin.TabularInline):
    model = CommitteeDecisionEntry
    extra = 0
    can_delete = False
    fields = ["rank", "item", "weighted_mean", "normalised_mean", "selected", "departure_reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CommitteeDecision)
class CommitteeDecisionAdmin(ReadOnlyAdmin):
    list_display = ["panel", "status", "recorded_by", "recorded_at", "approved_by"]
    list_filter = ["status"]
    inlines = [EntryInline]


@admin.register(StaffScreening)
class StaffScreeningAdmin(ReadOnlyAdmin):
    list_display = ["application", "recommendation", "screened_by", "screened_at"]
