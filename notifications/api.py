from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import services
from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "subject",
            "body",
            "link",
            "language",
            "created_at",
            "read_at",
            "email_status",
            "legally_required",
        ]
        read_only_fields = fields


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The user's in-app inbox."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is built without a user
            return Notification.objects.none()
        return services.inbox_for(self.request.user)

    @extend_schema(
        responses=inline_serializer("UnreadCount", {"unread": serializers.IntegerField()})
    )
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"unread": services.unread_count(request.user)})

    @extend_schema(
        request=None, responses=inline_serializer("Marked", {"marked": serializers.IntegerField()})
    )
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        return Response(
            {"marked": services.notification_mark_read(notification_id=int(pk), by=request.user)}
        )

    @extend_schema(
        request=None,
        responses=inline_serializer("MarkedAll", {"marked": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notification_mark_read(by=request.user)})
