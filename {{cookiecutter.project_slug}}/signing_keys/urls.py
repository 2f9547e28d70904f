from django.urls import path

from .jwks import JSONWebKeySetView

urlpatterns = [
    path(".well-known/jwks.json", JSONWebKeySetView.as_view(), name="jwks"),
]
