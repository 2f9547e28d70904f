from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
{%- if cookiecutter.jwt_algorithm[:2] != "HS" or cookiecutter.throttling %}
{% endif %}
{%- if cookiecutter.jwt_algorithm[:2] != "HS" %}
from jwt_auth.jwks import JSONWebKeySetView
{%- endif %}
{%- if cookiecutter.throttling %}
from jwt_auth.throttles import throttle_admin_login
{%- endif %}

urlpatterns = [
{%- if cookiecutter.throttling %}
    path("admin/login/", throttle_admin_login(admin.site.login)),
{%- endif %}
    path("admin/", admin.site.urls),
{%- if cookiecutter.jwt_algorithm[:2] != "HS" %}
    path(".well-known/jwks.json", JSONWebKeySetView.as_view(), name="jwks"),
{%- endif %}
    path("", include("health.urls")),
    path("api/auth/", include("jwt_auth.urls")),
    path("api/auth/", include("accounts.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
