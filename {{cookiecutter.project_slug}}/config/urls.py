from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
{%- if cookiecutter.throttling %}
    path("", include("api.urls")),
{%- endif %}
    path("admin/", admin.site.urls),
{%- if cookiecutter.__key_family != "hmac" %}
    path("", include("signing_keys.urls")),
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

handler400 = "api.errors.bad_request"
handler403 = "api.errors.permission_denied"
handler404 = "api.errors.page_not_found"
handler500 = "api.errors.server_error"
