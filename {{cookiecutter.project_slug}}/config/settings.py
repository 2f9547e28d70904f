"""Settings of {{ cookiecutter.project_slug }}, read from the environment.

Every variable is documented in README.md and .env.example. Local
development reads them from ``.env``; a real environment variable always
wins over the file, and production sets real ones. There is no insecure
fallback: a missing secret stops the start with ImproperlyConfigured.
"""

import warnings
from datetime import timedelta
from pathlib import Path
from string import Formatter
{%- if cookiecutter.cache == "redis" %}
from urllib.parse import urlsplit
{%- endif %}

import environ
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

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
    # WhiteNoise serves the static files in development too, as in production.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "config.apps.ProjectConfig",
    "api",
    "accounts",
    "jwt_auth",
    "signing_keys",
    "security_events",
{%- if cookiecutter.email_verification != "none" %}
    "email_verification",
{%- endif %}
{%- if cookiecutter.passkeys %}
    "passkeys",
{%- endif %}
{%- if cookiecutter.mfa %}
    "mfa",
{%- endif %}
    "health",
]

MIDDLEWARE = [
    "security_events.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "api.middleware.HTTPSOnlyAPIMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jwt_auth.admin_sessions.AbsoluteSessionEndMiddleware",
    "api.middleware.PrivateAnswersMiddleware",
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

# Each worker keeps its connection open between requests, checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
{%- if cookiecutter.database == "postgresql" %}
# A database that cannot be reached costs a request this many seconds (libpq's
# least), then answers 503 instead of keeping the worker waiting. The URL may
# say otherwise (?connect_timeout=5).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
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
        # A Redis that is down or hangs costs a request half a second, not the
        # client's default 5 s per call: then the answer is a 503{% if cookiecutter.throttling %} (or, for the
        # limits that only ration capacity, no limit; see api/throttles.py){% endif %}.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    },
}
{%- elif cookiecutter.cache == "database" -%}
# A table in the project's database: every worker and host shares the cache,
# with no other service to run. `manage.py migrate` makes the table
# (config/migrations).
CACHES = {
    "default": {
        # Django's DatabaseCache, with an atomic incr for the rate-limit counters.
        "BACKEND": "config.cache.DatabaseCache",
        "LOCATION": "django_cache",
        # Past MAX_ENTRIES (300 by default) Django deletes a third of the live
        # entries, rate-limit counters among them: room for every client's.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
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

# Argon2id hashes new passwords at OWASP's parameters; PBKDF2 stays to check
# (and upgrade) old hashes.
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # The project's name and slug, the username, the email's name, common words.
    {"NAME": "accounts.validators.ContextWordsValidator"},
]


def link_url(variable, default):
    """A URL from ``variable`` that emails fill in: it holds {uid} and {token}, nothing else."""
    url = env.str(variable, default=default)
    try:
        placeholders = {name for _, name, _, _ in Formatter().parse(url) if name}
    except ValueError:
        placeholders = None
    if placeholders != {"uid", "token"}:
        raise ImproperlyConfigured(
            variable + " must hold {uid} and {token}, and no other {placeholder}"
        )
    return url


# Password reset: the email links to the client's page for choosing a new
# password, which posts uid, token and the password to the API. A token works
# once and expires after PASSWORD_RESET_TIMEOUT seconds.
PASSWORD_RESET_URL = link_url(
    "PASSWORD_RESET_URL", "http://localhost:3000/reset-password?uid={uid}&token={token}"
)
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60)
{%- if cookiecutter.email_verification != "none" %}

# Email verification: the link sent to a new address (at registration, or a
# change) opens the client's page, which posts uid and token to
# /api/auth/email/verify/. A link works once, for EMAIL_VERIFY_TIMEOUT_HOURS.
EMAIL_VERIFY_URL = link_url(
    "EMAIL_VERIFY_URL", "http://localhost:3000/verify-email?uid={uid}&token={token}"
)
EMAIL_VERIFY_TIMEOUT_HOURS = env.int("EMAIL_VERIFY_TIMEOUT_HOURS", default=48)
if EMAIL_VERIFY_TIMEOUT_HOURS <= 0:
    raise ImproperlyConfigured("EMAIL_VERIFY_TIMEOUT_HOURS must be a positive number of hours")
{%- endif %}

# Email, as a URL: consolemail:// prints messages (development); in production
# smtp+tls://user:password@host:587. The default is an SMTP server on localhost.
try:
    vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))
except ImproperlyConfigured as error:
    raise ImproperlyConfigured(f"EMAIL_URL is not an email URL: {error}") from error
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="webmaster@localhost")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# The admin's and Swagger UI's files. `make serve` collects them into
# STATIC_ROOT, each under a name that carries a hash of its content, with a
# compressed copy; WhiteNoise serves them, the hashed names cached for a year.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Source maps are fetched only by a browser's developer tools: compressing
# them would double the time `collectstatic` takes.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# HTTPS everywhere outside development. Each default can be relaxed through
# its variable, for example behind a proxy that already redirects to HTTPS.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
# Turning the redirect off is a decision (the proxy already redirects, or a
# try of `make serve` over plain http), so the deploy check stops warning.
SILENCED_SYSTEM_CHECKS = [] if SECURE_SSL_REDIRECT else ["security.W008"]
# The API is never redirected: a client that sends a password over plain
# http must fail and be fixed, not be quietly sent on. Wherever people's
# pages are redirected, api/middleware.py refuses the API's plain-http requests
# with a 403. Load balancers probe the health checks over plain http.
SECURE_REDIRECT_EXEMPT = [r"^api/(?!docs/)", r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = not DEBUG
# In production a cookie for the whole site is named __Host-...: browsers then
# take it only from this host, Secure, with Path=/ and no Domain, so a sibling
# subdomain can neither plant nor shadow it. Browsers refuse the prefix over
# plain http, so under `make run` (DEBUG) the names are plain.
HOST_COOKIE_PREFIX = "" if DEBUG else "__Host-"
SESSION_COOKIE_NAME = f"{HOST_COOKIE_PREFIX}sessionid"
CSRF_COOKIE_NAME = f"{HOST_COOKIE_PREFIX}csrftoken"
{%- if cookiecutter.throttling %}
# Device cookies: a client that has signed in keeps its own allowance of
# failed logins (api/devices.py).
DEVICE_COOKIE_NAME = f"{HOST_COOKIE_PREFIX}device"
{%- endif %}
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
# Browser apps may read when to try again (after a 503{% if cookiecutter.throttling %} or a 429{% endif %}) and
# which request an answer belongs to.
CORS_EXPOSE_HEADERS = ["Retry-After", "X-Request-ID"]
{%- if cookiecutter.token_storage != "header" %}
# The token cookies travel with the app's requests, which are CSRF-checked:
# the app's origins are trusted for that unless the variable says otherwise.
CORS_ALLOW_CREDENTIALS = True
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=CORS_ALLOWED_ORIGINS)
{%- else %}
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
{%- endif %}
CSRF_FAILURE_VIEW = "api.errors.csrf_failure"
{%- if cookiecutter.passkeys %}

# Passkeys (WebAuthn). A passkey belongs to one relying party ID, a domain:
# example.com serves app.example.com and example.com. It works only on pages
# of the origins listed, by default the browser apps' (CORS) origins, or a
# development server on localhost:3000. Production sets both (check --deploy
# warns when it keeps the development defaults).
WEBAUTHN_RP_ID = env.str("WEBAUTHN_RP_ID", default="localhost")
WEBAUTHN_RP_NAME = env.str(
    "WEBAUTHN_RP_NAME",
    default="{{ cookiecutter.project_name | replace('"', "'") | replace("\\", "") }}",
)
WEBAUTHN_ORIGINS = env.list(
    "WEBAUTHN_ORIGINS", default=CORS_ALLOWED_ORIGINS or ["http://localhost:3000"]
)
{%- endif %}

# How many reverse proxies stand in front of Django. Only then are their
# X-Forwarded-For and X-Forwarded-Proto headers believed; with 0 a client
# cannot forge its address to escape a rate limit, nor claim https. gunicorn
# follows the same setting (gunicorn.conf.py).
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
if NUM_PROXIES < 0:
    raise ImproperlyConfigured("NUM_PROXIES must be 0 or a positive number")
if NUM_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

{% if cookiecutter.throttling -%}
# Rate limits count an IPv6 client by its network, since one host usually
# holds a whole /64; an IPv4 client by its address.
THROTTLE_IPV6_PREFIX = env.int("THROTTLE_IPV6_PREFIX", default=64)
if not 0 < THROTTLE_IPV6_PREFIX <= 128:
    raise ImproperlyConfigured("THROTTLE_IPV6_PREFIX must be a prefix length from 1 to 128")

{% endif -%}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
{%- if cookiecutter.token_storage == "header" %}
        "jwt_auth.authentication.JWTAuthentication",
{%- elif cookiecutter.token_storage == "cookie" %}
        "jwt_auth.cookies.JWTCookieAuthentication",
{%- else %}
        "jwt_auth.authentication.JWTAuthentication",
        "jwt_auth.cookies.JWTCookieAuthentication",
{%- endif %}
    ],
{%- if cookiecutter.mfa %}
    # MFAEnrollment: with MFA_REQUIRED, a user who must have MFA but has none
    # may only turn it on (mfa/permissions.py).
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "mfa.permissions.MFAEnrollment",
    ],
{%- else %}
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
{%- endif %}
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["config.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
{%- if cookiecutter.throttling %}
    # The scoped limits first: while the cache is down, a login is refused
    # after one timeout, not after every limit's.
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttles.ScopedRateThrottle",
        "api.throttles.AnonRateThrottle",
        "api.throttles.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON_RATE", default="{{ cookiecutter.anon_throttle_rate }}"),
        "user": env.str("THROTTLE_USER_RATE", default="{{ cookiecutter.user_throttle_rate }}"),
        "login": env.str("THROTTLE_LOGIN_RATE", default="{{ cookiecutter.login_throttle_rate }}"),
        # Failed logins per account, from every address; empty turns the limit off.
        "login_account": env.str("THROTTLE_LOGIN_ACCOUNT_RATE", default="{{ cookiecutter.login_account_throttle_rate }}") or None,
        "refresh": env.str("THROTTLE_REFRESH_RATE", default="{{ cookiecutter.refresh_throttle_rate }}"),
{%- if cookiecutter.user_registration %}
        "register": env.str("THROTTLE_REGISTER_RATE", default="{{ cookiecutter.register_throttle_rate }}"),
{%- endif %}
        "password_change": env.str("THROTTLE_PASSWORD_CHANGE_RATE", default="{{ cookiecutter.password_change_throttle_rate }}"),
        "password_reset": env.str("THROTTLE_PASSWORD_RESET_RATE", default="{{ cookiecutter.password_reset_throttle_rate }}"),
{%- if cookiecutter.email_verification != "none" %}
        # New verification links asked for per client; mails to one unproved address.
        "email_verify": env.str("THROTTLE_EMAIL_VERIFY_RATE", default="10/hour"),
        "email_address": env.str("THROTTLE_EMAIL_ADDRESS_RATE", default="5/hour"),
{%- endif %}
    },
{%- endif %}
    "NUM_PROXIES": NUM_PROXIES,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

JWT_ALGORITHM = env.str("JWT_ALGORITHM", default="{{ cookiecutter.jwt_algorithm }}")
# The keys that sign and verify tokens (see signing_keys/keyset.py): a directory,
# keys/ here or a mounted secret in production, or the whole set in JWT_KEYS.
JWT_KEYS_DIR = BASE_DIR / env.str("JWT_KEYS_DIR", default="keys")
JWT_KEYS = env.str("JWT_KEYS", default="")

JWT_ACCESS_TOKEN_LIFETIME_MINUTES = env.int("JWT_ACCESS_TOKEN_LIFETIME_MINUTES", default={{ cookiecutter.access_token_lifetime_minutes | int }})
JWT_REFRESH_TOKEN_LIFETIME_DAYS = env.int("JWT_REFRESH_TOKEN_LIFETIME_DAYS", default={{ cookiecutter.refresh_token_lifetime_days | int }})
JWT_ROTATE_REFRESH_TOKENS = env.bool("JWT_ROTATE_REFRESH_TOKENS", default={{ "True" if cookiecutter.rotate_refresh_tokens else "False" }})
# Logout, deactivation, deletion and a new password refuse a session's tokens
# within this many seconds on every worker and host (0: checked on every request).
JWT_REVOCATION_LAG_SECONDS = env.int("JWT_REVOCATION_LAG_SECONDS", default=30)
if JWT_REVOCATION_LAG_SECONDS < 0:
    raise ImproperlyConfigured("JWT_REVOCATION_LAG_SECONDS must be 0 or a positive number")
# A session's absolute end, counted from login. Rotated refresh tokens never
# outlive it; by default it is the refresh lifetime, so rotation never extends
# a session. Longer lets an active client refresh past one refresh lifetime.
JWT_SESSION_LIFETIME_DAYS = env.int(
    "JWT_SESSION_LIFETIME_DAYS", default=JWT_REFRESH_TOKEN_LIFETIME_DAYS
)
if JWT_SESSION_LIFETIME_DAYS < JWT_REFRESH_TOKEN_LIFETIME_DAYS:
    raise ImproperlyConfigured(
        "JWT_SESSION_LIFETIME_DAYS must be at least JWT_REFRESH_TOKEN_LIFETIME_DAYS"
    )
JWT_SESSION_LIFETIME = timedelta(days=JWT_SESSION_LIFETIME_DAYS)
# A session nobody refreshed for this long ends (NIST SP 800-63B's 30 minutes
# at AAL2). An active client refreshes once per access lifetime, so the limit
# must be longer than that: by default at least twice the access lifetime.
JWT_SESSION_IDLE_MINUTES = env.int(
    "JWT_SESSION_IDLE_MINUTES", default=max(30, 2 * JWT_ACCESS_TOKEN_LIFETIME_MINUTES)
)
if JWT_SESSION_IDLE_MINUTES <= JWT_ACCESS_TOKEN_LIFETIME_MINUTES:
    raise ImproperlyConfigured(
        "JWT_SESSION_IDLE_MINUTES must be longer than JWT_ACCESS_TOKEN_LIFETIME_MINUTES"
    )
JWT_SESSION_IDLE = timedelta(minutes=JWT_SESSION_IDLE_MINUTES)
# A rotated-out refresh token presented again later than this ends its whole
# session (RFC 9700 4.14.2); sooner, it is only refused: two tabs refreshing
# at once. 0: no grace.
JWT_REFRESH_REUSE_GRACE_SECONDS = env.int("JWT_REFRESH_REUSE_GRACE_SECONDS", default=10)
if JWT_REFRESH_REUSE_GRACE_SECONDS < 0:
    raise ImproperlyConfigured("JWT_REFRESH_REUSE_GRACE_SECONDS must be 0 or a positive number")
# Open sessions a user may have at once (ASVS 7.1.2); a login past the limit
# ends the least recently used one. 0: no limit.
JWT_MAX_SESSIONS_PER_USER = env.int("JWT_MAX_SESSIONS_PER_USER", default=10)
if JWT_MAX_SESSIONS_PER_USER < 0:
    raise ImproperlyConfigured("JWT_MAX_SESSIONS_PER_USER must be 0 or a positive number")
# The admin's Django session keeps the same limits: idle (saved, so extended,
# on each request) and absolute (jwt_auth.admin_sessions).
SESSION_COOKIE_AGE = JWT_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
# Changes to how the account signs in or is recovered (its email address) need
# a credential proved within this many seconds (POST /api/auth/reauthenticate/).
JWT_REAUTH_MAX_AGE_SECONDS = env.int("JWT_REAUTH_MAX_AGE_SECONDS", default=300)
if JWT_REAUTH_MAX_AGE_SECONDS <= 0:
    raise ImproperlyConfigured("JWT_REAUTH_MAX_AGE_SECONDS must be a positive number of seconds")
{%- if cookiecutter.mfa %}

# Who must have a second factor: none, staff (staff and superusers) or all
# (what ASVS Level 2 asks). Until they turn one on, they may only do that.
MFA_REQUIRED = env.str("MFA_REQUIRED", default="none")
if MFA_REQUIRED not in ("none", "staff", "all"):
    raise ImproperlyConfigured("MFA_REQUIRED must be none, staff or all")
{%- endif %}

# signing_keys signs every token with the key set's signing key, naming it in kid.
SIMPLE_JWT = {
    # The algorithm is pinned: a token whose header names another is refused.
    "ALGORITHM": JWT_ALGORITHM,
    # Tokens say who issued them and for whom; a token for another audience is refused.
    "ISSUER": env.str("JWT_ISSUER", default="{{ cookiecutter.project_slug }}"),
    "AUDIENCE": env.str("JWT_AUDIENCE", default="{{ cookiecutter.project_slug }}"),
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=JWT_ACCESS_TOKEN_LIFETIME_MINUTES),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=JWT_REFRESH_TOKEN_LIFETIME_DAYS),
    "ROTATE_REFRESH_TOKENS": JWT_ROTATE_REFRESH_TOKENS,
    "BLACKLIST_AFTER_ROTATION": JWT_ROTATE_REFRESH_TOKENS,
    "UPDATE_LAST_LOGIN": True,
    # Tokens carry a hash of the password hash: a new password ends every session.
    "CHECK_REVOKE_TOKEN": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
    # This project's token classes (malformed claims are a 401) and revocation rule.
    "AUTH_TOKEN_CLASSES": ("jwt_auth.tokens.AccessToken",),
    "TOKEN_OBTAIN_SERIALIZER": "jwt_auth.serializers.LoginSerializer",
    "TOKEN_REFRESH_SERIALIZER": "jwt_auth.serializers.TokenRefreshSerializer",
    "TOKEN_VERIFY_SERIALIZER": "jwt_auth.serializers.TokenVerifySerializer",
    "TOKEN_BLACKLIST_SERIALIZER": "jwt_auth.serializers.TokenBlacklistSerializer",
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
# The access cookie is for the whole site (__Host-, unless a domain is set,
# which that prefix forbids); the refresh cookie has a path, so __Secure-.
SECURE_COOKIE_PREFIX = "" if DEBUG else "__Secure-"
JWT_ACCESS_COOKIE = (
    f"{SECURE_COOKIE_PREFIX if JWT_COOKIE_DOMAIN else HOST_COOKIE_PREFIX}access_token"
)
JWT_REFRESH_COOKIE = f"{SECURE_COOKIE_PREFIX}refresh_token"
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

# Security events (security_events/): rows the user reads at /api/auth/events/,
# deleted by `manage.py flushsecurityevents` after this many days. The JSON
# lines on standard output are the long record: keep them in a log collector.
SECURITY_EVENT_RETENTION_DAYS = env.int("SECURITY_EVENT_RETENTION_DAYS", default=90)
if SECURITY_EVENT_RETENTION_DAYS <= 0:
    raise ImproperlyConfigured("SECURITY_EVENT_RETENTION_DAYS must be a positive number of days")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # One JSON object a line, control characters escaped: nothing a client
        # sends (a username, a user agent) can start a line of its own.
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "{time}{levelname}{message}",
            "style": "{",
            "rename_fields": {"levelname": "level", "message": "event"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "security": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
    },
    "loggers": {
        "security": {"handlers": ["security"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}
