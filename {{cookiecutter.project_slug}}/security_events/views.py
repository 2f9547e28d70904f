from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.pagination import PageNumberPagination

from api.openapi import error

from .models import SecurityEvent
from .serializers import SecurityEventSerializer


class SecurityEventPagination(PageNumberPagination):
    page_size = 20


@extend_schema(responses={200: SecurityEventSerializer(many=True), 404: error("No such page.")})
class SecurityEventListView(generics.ListAPIView):
    """The signed-in user's own security events, newest first, 20 a page."""

    serializer_class = SecurityEventSerializer
    pagination_class = SecurityEventPagination

    def get_queryset(self):
        return SecurityEvent.objects.filter(user_id=self.request.user.pk)
