"""Settings for Cocon, read from the environment (12-factor).

Every variable is documented in docs/configuration.md. With no environment at all the
project runs on the embedded default: SQLite and the in-process channel layer, which is
what `make run` uses. Production sets DATABASE_URL (PostgreSQL) and REDIS_URL.
"""

from pathlib import Path

import environ
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="") or (
    "insecure-development-key-do-not-use-in-production" if DEBUG else ""
)
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Public base URL used in the QR code when the request's own host is not the one phones
# should use (e.g. behind a proxy or on a LAN address). Empty: built from the request.
PUBLIC_URL = env.str("PUBLIC_URL", default="").rstrip("/")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "dsfr",
    "widget_tweaks",
    "csp",
    "ateliers",
    "participation",
    "realtime",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (see below).
    "csp.middleware.CSPMiddleware",
    "config.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Daphne runs ORM calls from several threads: wait for the write lock instead of
    # failing, and take it at BEGIN so two writers never deadlock on an upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
    DATABASES["default"].setdefault("TEST", {})["NAME"] = str(BASE_DIR / "test-db.sqlite3")
else:
    # A pool per process, not persistent connections: under ASGI every HTTP request runs
    # in a thread of its own, and a connection kept per thread piles up until PostgreSQL
    # refuses more (measured in bench/RESULTS.md). Closing returns it to the pool.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DB_POOL_MIN_SIZE", default=2),
        "max_size": env.int("DB_POOL_MAX_SIZE", default=20),
        "timeout": env.int("DB_POOL_TIMEOUT", default=10),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # No read timeout: redis-py's would cut the layer's 5 s blocking reads
                # (and a finite one leaves cancelled receives retrying). Writers never
                # wait on Redis anyway (realtime.sender); see docs/adr/0002.
                "hosts": [
                    {"address": REDIS_URL, "socket_timeout": None, "socket_connect_timeout": 2}
                ],
                "capacity": env.int("CHANNEL_CAPACITY", default=1000),
                "expiry": env.int("CHANNEL_EXPIRY", default=30),
                "group_expiry": env.int("CHANNEL_GROUP_EXPIRY", default=86400),
                "prefix": env.str("CHANNEL_PREFIX", default="cocon"),
            },
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": 1000, "expiry": 30},
        }
    }

# Shared between processes when Redis is there (join-code throttling must count across
# workers); per process otherwise.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "cocon-cache",
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production collects once (`collectstatic`) and serves the hashed, compressed copies;
# `make run` and the test servers serve straight from the app directories instead.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=False)
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles") if STATIC_MANIFEST else None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
# whitenoise's manifest rewrites the DSFR CSS, which breaks the bundled SRI hashes.
DSFR_USE_INTEGRITY_CHECKSUMS = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# No script reads the CSRF cookie: pages and Swagger UI take the token from the form.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
)
# HTTPS only where cookies are: a site whose cookies need HTTPS is an HTTPS site. Plain
# HTTP is redirected, and browsers are told to come back over HTTPS only (HSTS). The
# health check is answered over HTTP: Docker and load balancers call it from inside.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SECURE_COOKIES)
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if SECURE_COOKIES else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# "preload" in the header only allows a later submission to the browsers' list (a
# deliberate act, hstspreload.org); SECURE_HSTS_PRELOAD=false removes it.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp; docs/deployment.md, "Content-Security-Policy and
# security headers").
# Every script and stylesheet is a file under /static/: no inline script, no event
# handler attribute, no inline style, no eval. The WebSocket is same-origin, and 'self'
# matches ws:/wss: on the page's own host (CSP level 3). QR codes are inline SVG; the
# only data: URIs are the DSFR icons inside its stylesheet. No nonce is needed: nothing
# is inline (tests/test_security_headers.py walks every page to keep it so).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF],
        "style-src": [CSP_SELF],
        "img-src": [CSP_SELF, "data:"],
        "font-src": [CSP_SELF],
        "connect-src": [CSP_SELF],
        "manifest-src": [CSP_SELF],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_NONE],
        "frame-ancestors": [CSP_NONE],
        "form-action": [CSP_SELF],
        "report-uri": env.list("CSP_REPORT_URI", default=[]) or None,
    },
}
# Browser features no page uses (the QR code is shown, never scanned): denied to the
# page and to anything it could embed. config.security.PermissionsPolicyMiddleware.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# Participants: a signed device token in an HttpOnly cookie, set by the join POST.
PARTICIPANT_COOKIE_NAME = env.str("PARTICIPANT_COOKIE_NAME", default="cocon_device")
PARTICIPANT_COOKIE_MAX_AGE = env.int("PARTICIPANT_COOKIE_MAX_AGE", default=7 * 24 * 3600)

# Live path limits (see docs/protocol.md).
WS_MAX_MESSAGE_BYTES = env.int("WS_MAX_MESSAGE_BYTES", default=16 * 1024)
# Daphne's --websocket-max-message-size bounds outgoing messages too (see docs/protocol.md).
WS_MAX_OUTGOING_BYTES = env.int("WS_MAX_OUTGOING_BYTES", default=1024 * 1024)

# Socket caps, per server process (realtime/limits.py, docs/hostile-inputs.md). Over
# either, the socket gets a `too_many_connections` error and close code 4429. A venue's
# 300 phones may share one NAT address, hence the high per-address cap; the proxy's
# limit_conn is the cap across processes.
WS_MAX_SOCKETS_PER_PARTICIPANT = env.int("WS_MAX_SOCKETS_PER_PARTICIPANT", default=8)
WS_MAX_SOCKETS_PER_ADDRESS = env.int("WS_MAX_SOCKETS_PER_ADDRESS", default=1000)

# Personal data of a workshop is kept this long after it closes, then anonymised by
# `manage.py purge_personal_data` (docs/privacy.md); each workshop may set its own.
PERSONAL_DATA_RETENTION_DAYS = env.int("PERSONAL_DATA_RETENTION_DAYS", default=365)

REPLAY_MAX_EVENTS = env.int("REPLAY_MAX_EVENTS", default=500)
# Garbage-collector thresholds of a server process (config/asgi.py). Python's defaults
# (700, 10, 10) ran a full collection every ~3 s with 500 sockets, each pausing every
# socket for ~100 ms; ADR 8 has the measurements.
GC_THRESHOLDS = [int(n) for n in env.list("GC_THRESHOLDS", default=["10000", "50", "100"])]
CONTRIBUTION_MAX_LENGTH = 500

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Integrations: `Authorization: Token <key>` (keys made in the admin or with
        # `manage.py drf_create_token <username>`).
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ateliers.api.domain_exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Cocon API",
    "DESCRIPTION": "Défis, ateliers, leurs résultats et les preuves de co-construction.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from the app itself (no CDN): drf-spectacular-sidecar.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.channels.server": {"level": "WARNING"},
        "daphne": {"level": "WARNING"},
    },
}
