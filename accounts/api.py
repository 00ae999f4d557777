"""API tokens over the API: a user lists, creates and revokes their own."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from core.errors import NotAllowed

from .authentication import ApiTokenAuthentication
from .models import ApiToken
from .selectors import api_token_list_for_user
from .services import api_token_create, api_token_revoke


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]


class ApiTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    lifetime_days = serializers.IntegerField(required=False)


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    token = serializers.CharField(help_text="The token itself: shown this once, never again.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]


class ApiTokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ApiTokenSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return ApiToken.objects.none()
        return api_token_list_for_user(self.request.user)

    @extend_schema(request=ApiTokenCreateSerializer, responses={201: ApiTokenCreatedSerializer})
    def create(self, request: Request) -> Response:
        if isinstance(request.successful_authenticator, ApiTokenAuthentication):
            # a leaked token must not be able to mint fresh ones that outlive it
            raise NotAllowed(_("Create API tokens signed in with your password, not a token."))
        data = ApiTokenCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, plain = api_token_create(
            user=request.user,
            name=data.validated_data["name"],
            lifetime_days=data.validated_data.get(
                "lifetime_days", settings.KOFU_API_TOKEN_DEFAULT_DAYS
            ),
        )
        token.token = plain  # type: ignore[attr-defined]
        return Response(ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ApiTokenSerializer})
    def destroy(self, request: Request, pk: str) -> Response:
        """Revoke the token (it stays in the list, marked revoked)."""
        token = api_token_revoke(token_id=int(pk), by=request.user)
        return Response(ApiTokenSerializer(token).data)
