"""The published list of commended companies, open to anyone (no login)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets

from .models import Nomination
from .selectors import commended_companies
from .serializers import PublicCommendationSerializer


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "fiscal_year", OpenApiTypes.INT, description="Only this fiscal year (e.g. 2026)."
            )
        ]
    )
)
class PublicCommendationViewSet(viewsets.ReadOnlyModelViewSet):
    """Companies commended by the reskilling award (リスキリング先進企業), newest year first."""

    serializer_class = PublicCommendationSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self) -> QuerySet[Nomination]:
        fiscal_year = self.request.query_params.get("fiscal_year", "")
        return commended_companies(int(fiscal_year) if fiscal_year.isdigit() else None)
