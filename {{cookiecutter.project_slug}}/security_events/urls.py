from django.urls import path

from . import views

urlpatterns = [
    path("events/", views.SecurityEventListView.as_view(), name="security_events"),
]
