from django.urls import path

from . import views

urlpatterns = [
    path(
        "passkeys/register/options/",
        views.RegistrationOptionsView.as_view(),
        name="passkey_register_options",
    ),
    path("passkeys/register/", views.RegistrationView.as_view(), name="passkey_register"),
    path("passkeys/", views.PasskeyListView.as_view(), name="passkeys"),
    path("passkeys/<int:id>/", views.PasskeyDetailView.as_view(), name="passkey"),
    path("passkeys/login/options/", views.LoginOptionsView.as_view(), name="passkey_login_options"),
    path("passkeys/login/", views.LoginView.as_view(), name="passkey_login"),
]
