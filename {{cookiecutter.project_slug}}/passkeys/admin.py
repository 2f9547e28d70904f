from django.contrib import admin

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
