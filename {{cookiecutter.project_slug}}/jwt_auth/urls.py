from django.urls import path

from . import sessions, views
{%- if cookiecutter.token_storage != "header" %}
from .csrf import CsrfView
{%- endif %}

urlpatterns = [
    path("token/", views.LoginView.as_view(), name="token_obtain"),
    path("token/refresh/", views.RefreshView.as_view(), name="token_refresh"),
    path("token/verify/", views.VerifyView.as_view(), name="token_verify"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("reauthenticate/", views.ReauthenticateView.as_view(), name="reauthenticate"),
    path("sessions/", sessions.SessionsView.as_view(), name="sessions"),
    path("sessions/<str:id>/", sessions.SessionView.as_view(), name="session"),
{%- if cookiecutter.token_storage != "header" %}
    path("csrf/", CsrfView.as_view(), name="csrf"),
{%- endif %}
]
