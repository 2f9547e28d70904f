from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
{%- if cookiecutter.__key_family != "hmac" or cookiecutter.throttling %}
{% endif %}
{%- if cookiecutter.throttling %}
from api.throttles import throttle_admin_login
{%- endif %}
{%- if cookiecutter.__key_family != "hmac" %}
from signing_keys.jwks import JSONWebKeySetView
{%- endif %}

urlpatterns = [
{%- if cookiecutter.throttling %}
    path("admin/login/", throttle_admin_login(admin.site.login)),
{%- endif %}
    path("admin/", admin.site.urls),
{%- if cookiecutter.__key_family != "hmac" %}
    path(".well-known/jwks.json", JSONWebKeySetView.as_view(), name="jwks"),
{%- endif %}
    path("", include("health.urls")),
    path("api/auth/", include("jwt_auth.urls")),
    path("api/auth/", include("accounts.urls")),
    path("api/auth/", include("security_events.urls")),
{%- if cookiecutter.email_verification != "none" %}
    path("api/auth/", include("email_verification.urls")),
{%- endif %}
{%- if cookiecutter.passkeys %}
    path("api/auth/", include("passkeys.urls")),
{%- endif %}
{%- if cookiecutter.mfa %}
    path("api/auth/", include("mfa.urls")),
{%- endif %}
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
