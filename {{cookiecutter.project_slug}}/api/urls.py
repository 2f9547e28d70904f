from django.contrib import admin
from django.urls import path

from .throttles import throttle_admin_login

# Before the admin's own URLs: its login form counts against the API's login limits.
urlpatterns = [
    path("admin/login/", throttle_admin_login(admin.site.login)),
]
