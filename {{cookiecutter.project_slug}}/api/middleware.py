"""Answers to an authenticated request are never kept by a cache."""

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
