"""Settings of {{ cookiecutter.project_slug }}, read from the environment.

Every variable is documented in README.md and .env.example. Local
development reads them from ``.env``; a real environment variable always
wins over the file, and production sets real ones. There is no insecure
fallback: a missing secret stops the start with ImproperlyConfigured.
"""

import warnings
from datetime import timedelta
from pathlib import Path
{%- if cookiecutter.cache == "redis" %}
from urllib.parse import urlsplit
{%- endif %}

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "jwt_auth",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def database_from_url(default):
    """DATABASES["default"] from DATABASE_URL, refusing a URL that names no database."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # django-environ only warns; refuse instead
        try:
            config = env.db("DATABASE_URL", default=default)
        except ValueError:
            config = {}
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(
{%- if cookiecutter.database == "postgresql" %}
            "DATABASE_URL is not a database URL: use postgres://user:password@host:5432/name"
{%- else %}
            "DATABASE_URL is not a database URL: use sqlite:////absolute/path/db.sqlite3"
{%- endif %}
        )
    return config


{% if cookiecutter.database == "postgresql" -%}
DATABASES = {"default": database_from_url("postgres:///{{ cookiecutter.project_slug }}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
{%- else -%}
DATABASES = {"default": database_from_url(f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Writers queue for the lock instead of failing, and readers never block them.
DATABASES["default"]["OPTIONS"] = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 5,
    "init_command": "PRAGMA journal_mode=WAL;",
}
# A file, not memory, for the tests too: threads then share one database, as
# the test of two simultaneous refreshes needs.
DATABASES["default"]["TEST"] = {"NAME": BASE_DIR / "test-db.sqlite3"}
{%- endif %}

{% if cookiecutter.cache == "redis" -%}
# Django's own Redis backend: every worker and host shares the cache{% if cookiecutter.throttling %}, so
# rate limits hold across all of them{% endif %}.
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
if urlsplit(REDIS_URL).scheme not in ("redis", "rediss", "unix"):
    raise ImproperlyConfigured("REDIS_URL is not a Redis URL: use redis://host:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "{{ cookiecutter.project_slug }}",
    },
}
{%- else -%}
# One cache per process by default. CACHE_URL points every worker at a
# shared one instead: dbcache://cache_table, or redis://host:6379/0.
try:
    CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
except ImproperlyConfigured as error:
    raise ImproperlyConfigured(f"CACHE_URL is not a cache URL: {error}") from error
{%- endif %}

AUTH_USER_MODEL = "accounts.User"

# Argon2 hashes new passwords; PBKDF2 stays to check (and upgrade) old hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# HTTPS everywhere outside development. Each default can be relaxed through
# its variable, for example behind a proxy that already redirects to HTTPS.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = not DEBUG
{%- if cookiecutter.token_storage == "header" %}
CSRF_COOKIE_SECURE = not DEBUG
{%- endif %}

# Browser apps on other origins (https://app.example.com) may call the API;
# with the list empty, no CORS header is ever sent and browsers allow none.
CORS_ALLOWED_ORIGINS = env.list("DJANGO_CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_HEADERS = (
    "accept",
    "content-type",
{%- if cookiecutter.token_storage != "cookie" %}
    "authorization",
{%- endif %}
{%- if cookiecutter.token_storage != "header" %}
    "x-csrftoken",
{%- endif %}
)
{%- if cookiecutter.throttling %}
CORS_EXPOSE_HEADERS = ("Retry-After",)
{%- endif %}
{%- if cookiecutter.token_storage != "header" %}
# The token cookies travel with the app's requests, which are CSRF-checked:
# the app's origins are trusted for that unless the variable says otherwise.
CORS_ALLOW_CREDENTIALS = True
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=CORS_ALLOWED_ORIGINS)
{%- else %}
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
{%- endif %}

# How many reverse proxies stand in front of Django. Only then are their
# X-Forwarded-For and X-Forwarded-Proto headers believed; with 0 a client
# cannot forge its address to escape a rate limit.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
if NUM_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
{%- if cookiecutter.token_storage == "header" %}
        "rest_framework_simplejwt.authentication.JWTAuthentication",
{%- elif cookiecutter.token_storage == "cookie" %}
        "jwt_auth.cookies.JWTCookieAuthentication",
{%- else %}
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "jwt_auth.cookies.JWTCookieAuthentication",
{%- endif %}
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "config.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.errors.exception_handler",
{%- if cookiecutter.throttling %}
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON_RATE", default="{{ cookiecutter.anon_throttle_rate }}"),
        "user": env.str("THROTTLE_USER_RATE", default="{{ cookiecutter.user_throttle_rate }}"),
        "login": env.str("THROTTLE_LOGIN_RATE", default="{{ cookiecutter.login_throttle_rate }}"),
        "refresh": env.str("THROTTLE_REFRESH_RATE", default="{{ cookiecutter.refresh_throttle_rate }}"),
{%- if cookiecutter.user_registration %}
        "register": env.str("THROTTLE_REGISTER_RATE", default="{{ cookiecutter.register_throttle_rate }}"),
{%- endif %}
    },
{%- endif %}
    "NUM_PROXIES": NUM_PROXIES,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

JWT_ALGORITHM = env.str("JWT_ALGORITHM", default="{{ cookiecutter.jwt_algorithm }}")
{%- if cookiecutter.jwt_algorithm[:2] == "HS" %}

# HMAC: one random secret signs and verifies. It is not SECRET_KEY, so
# rotating one never invalidates the other.
JWT_SIGNING_KEY = env.str("JWT_SIGNING_KEY")
{%- else %}


def read_key_file(variable):
    """Return the PEM text of the key file named by an environment variable."""
    path = BASE_DIR / env.str(variable)
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        message = f"{variable}: cannot read the key file {path} ({error.strerror})"
        raise ImproperlyConfigured(message) from error


# The private key signs, the public key verifies; both are PEM files that
# stay out of version control.
JWT_SIGNING_KEY = read_key_file("JWT_PRIVATE_KEY_FILE")
JWT_VERIFYING_KEY = read_key_file("JWT_PUBLIC_KEY_FILE")
{%- endif %}

JWT_ACCESS_TOKEN_LIFETIME_MINUTES = env.int("JWT_ACCESS_TOKEN_LIFETIME_MINUTES", default={{ cookiecutter.access_token_lifetime_minutes | int }})
JWT_REFRESH_TOKEN_LIFETIME_DAYS = env.int("JWT_REFRESH_TOKEN_LIFETIME_DAYS", default={{ cookiecutter.refresh_token_lifetime_days | int }})
JWT_ROTATE_REFRESH_TOKENS = env.bool("JWT_ROTATE_REFRESH_TOKENS", default={{ "True" if cookiecutter.rotate_refresh_tokens else "False" }})

SIMPLE_JWT = {
    # The algorithm is pinned: a token whose header names another is refused.
    "ALGORITHM": JWT_ALGORITHM,
    # Tokens say who issued them and for whom; a token for another audience is refused.
    "ISSUER": env.str("JWT_ISSUER", default="{{ cookiecutter.project_slug }}"),
    "AUDIENCE": env.str("JWT_AUDIENCE", default="{{ cookiecutter.project_slug }}"),
    "SIGNING_KEY": JWT_SIGNING_KEY,
{%- if cookiecutter.jwt_algorithm[:2] != "HS" %}
    "VERIFYING_KEY": JWT_VERIFYING_KEY,
{%- endif %}
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=JWT_ACCESS_TOKEN_LIFETIME_MINUTES),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=JWT_REFRESH_TOKEN_LIFETIME_DAYS),
    "ROTATE_REFRESH_TOKENS": JWT_ROTATE_REFRESH_TOKENS,
    "BLACKLIST_AFTER_ROTATION": JWT_ROTATE_REFRESH_TOKENS,
    "UPDATE_LAST_LOGIN": True,
    # Tokens carry a hash of the password hash: a new password ends every session.
    "CHECK_REVOKE_TOKEN": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "TOKEN_REFRESH_SERIALIZER": "jwt_auth.serializers.TokenRefreshSerializer",
    "TOKEN_VERIFY_SERIALIZER": "jwt_auth.serializers.TokenVerifySerializer",
}

{% if cookiecutter.token_storage != "header" -%}
# Token cookies: HttpOnly always, Secure outside development. SameSite=Lax
# keeps them off cross-site POSTs; CSRF checks guard the rest. None lets an
# app on another site send them; browsers accept it only on Secure cookies.
JWT_COOKIE_SAMESITE = env.str("JWT_COOKIE_SAMESITE", default="Lax")
if JWT_COOKIE_SAMESITE not in ("Lax", "Strict", "None"):
    raise ImproperlyConfigured("JWT_COOKIE_SAMESITE must be Lax, Strict or None")
JWT_COOKIE_SECURE = not DEBUG or JWT_COOKIE_SAMESITE == "None"
JWT_COOKIE_DOMAIN = env.str("JWT_COOKIE_DOMAIN", default=None)
# The CSRF cookie goes wherever the token cookies go: the checks need both.
CSRF_COOKIE_SAMESITE = JWT_COOKIE_SAMESITE
CSRF_COOKIE_SECURE = JWT_COOKIE_SECURE

{% endif -%}
SPECTACULAR_SETTINGS = {
    "TITLE": "{{ cookiecutter.project_name | replace('"', "'") | replace("\\", "") }}",
    "DESCRIPTION": "{{ cookiecutter.description | replace('"', "'") | replace("\\", "") }}",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and docs are public: a stale token cookie or header must not
    # turn them into a 401.
    "SERVE_AUTHENTICATION": [],
    # Swagger UI's files come from this project (drf-spectacular-sidecar), not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
{%- if cookiecutter.token_storage == "both" %}
    # Sending credentials "include" (same-origin ones anyway), drf-spectacular's
    # Swagger UI adds no X-CSRFToken, so "Try it out" runs the bearer flow: login
    # answers with the tokens, to paste into "Authorize".
    "SWAGGER_UI_SETTINGS": {"withCredentials": True},
{%- endif %}
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}
