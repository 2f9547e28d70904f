from django.urls import path

from . import views

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
{%- if cookiecutter.user_registration %}
    path("register/", views.RegistrationView.as_view(), name="register"),
{%- endif %}
]
