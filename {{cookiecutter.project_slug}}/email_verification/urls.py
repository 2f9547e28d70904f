from django.urls import path

from . import views

urlpatterns = [
    path("email/verify/", views.EmailVerificationView.as_view(), name="email_verify"),
    path("email/verify/resend/", views.ResendView.as_view(), name="email_verify_resend"),
]
