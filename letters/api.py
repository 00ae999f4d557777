from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action

from core.roles import is_staff_side

from .models import Letter, LetterBatch
from .selectors import letter_get_for_user, letter_list_for_user
from .views import letter_file_response


class LetterSerializer(serializers.ModelSerializer):
    """A letter is identified by (series, fiscal_year, number): the series' printed prefix, the
    fiscal year of its issue date and its number in that year; ``version`` counts reprints."""

    number_text = serializers.CharField(
        read_only=True, help_text="The number as printed, e.g. 産人第12号（第2版）."
    )
    series = serializers.CharField(
        read_only=True, help_text="The document number series: its printed prefix, e.g. 産人."
    )
    fiscal_year = serializers.IntegerField(
        read_only=True,
        help_text="The fiscal year (April–March, JST) of the issue date the number counts in.",
    )
    issued_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="The date printed on the letter."
    )
    company = serializers.CharField(source="company.name", read_only=True)

    class Meta:
        model = Letter
        fields = [
            "id",
            "kind",
            "programme",
            "series",
            "fiscal_year",
            "number",
            "number_text",
            "issued_on",
            "version",
            "previous",
            "company",
            "language",
            "status",
            "sha256",
            "size",
            "subject_type",
            "subject_id",
            "created_at",
            "issued_at",
        ]
        read_only_fields = fields


class LetterBatchSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = LetterBatch
        fields = [
            "id",
            "description",
            "total",
            "done",
            "percent",
            "status",
            "error",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class LetterBatchViewSet(viewsets.ReadOnlyModelViewSet):
    """Background letter batches and their progress (staff-side roles)."""

    serializer_class = LetterBatchSerializer

    def get_queryset(self):
        if not is_staff_side(self.request.user):
            return LetterBatch.objects.none()
        return LetterBatch.objects.all()


class LetterViewSet(viewsets.ReadOnlyModelViewSet):
    """Decision letters the user may read: their company's, or all for staff-side roles."""

    serializer_class = LetterSerializer

    def get_queryset(self):
        return letter_list_for_user(self.request.user)

    def get_object(self):
        return letter_get_for_user(self.request.user, int(self.kwargs["pk"]))

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """The PDF itself; its SHA-256 is in the X-Content-SHA256 header and the audit trail."""
        return letter_file_response(self.get_object())
