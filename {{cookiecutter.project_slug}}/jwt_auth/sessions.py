"""The signed-in user's sessions (ASVS 7.5.2): see them, and, having signed in recently, end them.

``current`` marks the session of the token making the request. Listing
costs one query; ending one goes through ``revocation.end_sessions``, as
every ending does. Another user's session is, to this user, no session: 404.
"""

from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api import openapi

from . import revocation
from .models import EndReason, LoginSession
from .permissions import SIGNED_IN_RECENTLY

NO_SUCH_SESSION = "No open session of yours has this id."


class SessionSerializer(serializers.ModelSerializer):
    created = serializers.DateTimeField(source="started_at", read_only=True)
    ip = serializers.IPAddressField(
        read_only=True, allow_null=True, help_text="As the rate limits see it (NUM_PROXIES)."
    )
    current = serializers.SerializerMethodField(help_text="The session of this request's token.")

    class Meta:
        model = LoginSession
        fields = ("id", "created", "last_used", "ip", "user_agent", "current")
        read_only_fields = fields

    def get_current(self, session) -> bool:
        return str(session.pk) == self.context["current_session"]


class UserSessionsMixin:
    permission_classes = SIGNED_IN_RECENTLY
    serializer_class = SessionSerializer
    pagination_class = None

    def get_queryset(self):
        return LoginSession.objects.open().filter(user=self.request.user)

    def current_session(self):
        return str(self.request.auth.get(revocation.SESSION_CLAIM))


@method_decorator(never_cache, name="dispatch")
class SessionsView(UserSessionsMixin, generics.ListAPIView):
    """List your open sessions, newest first; DELETE ends every one but this one."""

    def get_queryset(self):
        return super().get_queryset().order_by("-started_at", "-pk")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "current_session": self.current_session()}

    @extend_schema(operation_id="auth_sessions_destroy_others", responses={204: None})
    def delete(self, request):
        others = self.get_queryset().exclude(pk=self.current_session())
        revocation.end_sessions(others, reason=EndReason.ENDED_BY_USER)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    parameters=[OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
    responses={204: None, 404: openapi.error(NO_SUCH_SESSION)},
)
class SessionView(UserSessionsMixin, generics.GenericAPIView):
    """End one of your sessions: its tokens are refused (access tokens within the lag)."""

    def delete(self, request, id):  # the path names it as the list does
        session = revocation.sessions_named(id).filter(pk__in=self.get_queryset().values("pk"))
        if not revocation.end_sessions(session, reason=EndReason.ENDED_BY_USER):
            raise NotFound(NO_SUCH_SESSION)
        return Response(status=status.HTTP_204_NO_CONTENT)
