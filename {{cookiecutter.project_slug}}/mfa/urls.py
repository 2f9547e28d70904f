from django.urls import path

from . import views

urlpatterns = [
    path("mfa/", views.MFAStatusView.as_view(), name="mfa"),
    path("mfa/totp/", views.TOTPView.as_view(), name="mfa_totp"),
    path("mfa/totp/confirm/", views.TOTPConfirmView.as_view(), name="mfa_totp_confirm"),
    path("mfa/recovery-codes/", views.RecoveryCodesView.as_view(), name="mfa_recovery_codes"),
    path("mfa/verify/", views.MFAVerifyView.as_view(), name="mfa_verify"),
]
