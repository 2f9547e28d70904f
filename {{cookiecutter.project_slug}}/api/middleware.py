"""What the API's middleware adds to every answer.

- Answers to an authenticated request are never kept by a cache.
- The API over plain http is refused, never redirected. A redirect would
  keep a misconfigured client working: its password and tokens would still
  cross the network in clear on every first request, and nobody would learn
  of it (ASVS 4.1.2). Pages for people, the admin and the API's docs at
  /api/docs/, are still redirected by Django's SecurityMiddleware
  (settings.SECURE_REDIRECT_EXEMPT lists what is not).
"""

from django.conf import settings
from django.http import JsonResponse
from django.utils.cache import patch_cache_control{% if cookiecutter.token_storage != "header" %}, patch_vary_headers{% endif %}


class PrivateAnswersMiddleware:
    """Mark every answer to an authenticated request ``Cache-Control: private, no-store``.

    A shared cache could otherwise hand one user's answer to another. A view
    opts out by setting its own Cache-Control (Django's ``cache_control``
    decorator); DRF's authentication sets ``request.user`` for this to see.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
{%- if cookiecutter.token_storage == "header" %}
        if request.user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
{%- else %}
        if request.user.is_authenticated:
            # The access cookie decides whom the answer is for.
            patch_vary_headers(response, ("Cookie",))
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True, no_store=True)
{%- endif %}
        return response


API_PREFIX = "/api/"
DOCS_PREFIX = "/api/docs/"  # Swagger UI, a page for people


class HTTPSOnlyAPIMiddleware:
    """Answer a plain-http API request with 403 ``https_required`` wherever https is the rule.

    403 rather than a 3xx: clients follow or retry neither, so the mistake
    surfaces at once. The rule is SECURE_SSL_REDIRECT's: where people's pages
    are redirected to https, the API refuses plain http instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.SECURE_SSL_REDIRECT
            and request.path_info.startswith(API_PREFIX)
            and not request.path_info.startswith(DOCS_PREFIX)
            and not request.is_secure()
        ):
            return JsonResponse(
                {
                    "detail": "This API answers only over HTTPS: send the request to https://.",
                    "code": "https_required",
                },
                status=403,
            )
        return self.get_response(request)
