"""The Django admin asks for the second factor too: its login is no way around MFA.

Its login form takes a code beside the password; a user with MFA on needs
a right one (wrong ones are limited and counted as for the API), and with
MFA_REQUIRED a user who must have MFA but has none is refused until they
turn it on through the API.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from rest_framework.exceptions import Throttled

from . import factors
from .models import RecoveryCode, TOTPDevice
from .permissions import must_have_mfa


class MFAAdminAuthenticationForm(AdminAuthenticationForm):
    code = forms.CharField(
        label="Authentication code",
        required=False,
        max_length=64,
        help_text="With MFA on: the code of your authenticator app, or a recovery code.",
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "wrong_code": "Enter the code of your authenticator app, or a recovery code.",
        "too_many_codes": "Too many wrong codes: wait a minute before the next.",
        "enrol": "Your account must have MFA: turn it on through /api/auth/mfa/totp/ first.",
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if factors.has_mfa(user):
            self.check_code(user)
        elif must_have_mfa(user):
            raise ValidationError(self.error_messages["enrol"], code="enrol")

    def check_code(self, user):
        code = factors.normalized(self.cleaned_data.get("code") or "")
        try:
            proved = factors.looks_like_a_code(code) and factors.prove(self.request, user, code)
        except Throttled as error:
            raise ValidationError(
                self.error_messages["too_many_codes"], code="throttled"
            ) from error
        if not proved:
            raise ValidationError(self.error_messages["wrong_code"], code="wrong_code")


admin.site.login_form = MFAAdminAuthenticationForm
admin.site.login_template = "admin/mfa_login.html"


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """Staff may see who has an authenticator and remove one (a lost phone); never its secret."""

    list_display = ("user", "confirmed_at", "created_at")
    fields = ("user", "confirmed_at", "created_at")
    readonly_fields = fields
    search_fields = ("user__username",)

    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        """Removing an authenticator turns MFA off as the API does: codes gone, the user told."""
        factors.turn_off(request, obj.user)

    def delete_queryset(self, request, queryset):
        for device in queryset.select_related("user"):
            factors.turn_off(request, device.user)


@admin.register(RecoveryCode)
class RecoveryCodeAdmin(admin.ModelAdmin):
    list_display = ("user", "used_at")
    fields = ("user", "used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
