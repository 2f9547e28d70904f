from django.contrib import admin

from . import ceremonies
from .models import Passkey


@admin.register(Passkey)
class PasskeyAdmin(admin.ModelAdmin):
    """Passkeys are listed, renamed or removed here; only a browser can make one."""

    list_display = ("name", "user", "created", "last_used")
    search_fields = ("name", "user__username")
    readonly_fields = ("user", "credential_id", "sign_count", "transports", "created", "last_used")
    exclude = ("public_key",)

    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        """Removed as through the API: the security log records it."""
        ceremonies.remove_passkey(request, obj)

    def delete_queryset(self, request, queryset):
        for passkey in queryset.select_related("user"):
            ceremonies.remove_passkey(request, passkey)
