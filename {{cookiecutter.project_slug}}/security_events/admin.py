from django.contrib import admin

from .models import SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """The security events, to read and filter: nobody edits or adds a record of what happened."""

    list_display = ("time", "event", "outcome", "reason", "user", "username", "ip", "session")
    list_filter = ("event", "outcome", "reason", "time")
    search_fields = ("user__username", "username", "ip", "session", "request_id")
    date_hierarchy = "time"
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
