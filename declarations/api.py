"""The public list of promotion declarations as JSON (no login)."""

from rest_framework import permissions, viewsets

from .selectors import published_declarations
from .serializers import PublicDeclarationSerializer


class PublicDeclarationViewSet(viewsets.ReadOnlyModelViewSet):
    """Registered promotion declarations whose companies consented to publication, by number."""

    serializer_class = PublicDeclarationSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    def get_queryset(self):
        return published_declarations()
