"""Settings for the mentorship platform, read from the environment.

Every value has a default that runs on one machine with no server: SQLite and
the Celery broker in files under ``var/``, email printed by the worker.
Production differs only in environment variables (see README, "Configuration").
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from xstatic.pkg import bootstrap as xstatic_bootstrap

from mentorship_site.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY", allow_file=True)
if SECRET_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY (or SECRET_KEY_FILE) is required when DEBUG is false"
        )
    SECRET_KEY = "local-development-only-key-never-use-in-production-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# The name people see in the header of emails; empty means "Mentorship", translated.
PLATFORM_NAME = env_str("PLATFORM_NAME", "")

INSTALLED_APPS = [
    "mentorship_site.accounts",
    "mentorship_site.mail",
    "mentorship_site.notifications",
    "programs",
    "matching",
    "journals",
    "evaluation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_celery_beat",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mentorship_site.accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "mentorship_site.urls"
WSGI_APPLICATION = "mentorship_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mentorship_site.accounts.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite under var/ by default; PostgreSQL in production through DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
try:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            # Persistent connections: without them every request pays for a new
            # PostgreSQL connection (authentication, and a round trip on a real network).
            conn_max_age=env_int("CONN_MAX_AGE", 600 if DATABASE_URL.startswith("postgres") else 0),
            conn_health_checks=True,
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # web, worker and beat share the file: wait for locks and let readers run beside a writer.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the figures' aggregate queries are estimated costly enough to
    # trigger it, and compiling took longer than running them (benchmarks/kpis.py).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = env_str("CACHE_URL")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured(f"CACHE_URL: expected a redis:// address, got {CACHE_URL!r}")
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "mentorship_site.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "mentorship_site.accounts.forms.SignupDetailsForm"
ACCOUNT_FORMS = {"reset_password": "mentorship_site.accounts.allauth_forms.QuietResetPasswordForm"}
ACCOUNT_UNIQUE_EMAIL = True
# Sign-up says plainly when an address already has an account (rate limits curb probing).
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_RATE_LIMITS_ENABLED = env_bool("ACCOUNT_RATE_LIMITS_ENABLED", True)
if not ACCOUNT_RATE_LIMITS_ENABLED:
    ACCOUNT_RATE_LIMITS = False

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Internationalisation: stored in UTC, shown in each viewer's own time zone and language.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# Static files: our own under static/, Bootstrap from the XStatic package, htmx from django-htmx.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", xstatic_bootstrap.BASE_DIR)]
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

# Email: every message is stored and handed to a Celery task after the transaction
# commits; the task delivers it through EMAIL_DELIVERY (smtp, file, console or locmem).
EMAIL_BACKEND = "mentorship_site.mail.backends.QueuedEmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_DELIVERY = env_choice(
    "EMAIL_DELIVERY",
    "smtp" if env_str("EMAIL_HOST") else "console",
    ("smtp", "file", "console", "locmem"),
)
EMAIL_DELIVERY_BACKEND = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}[EMAIL_DELIVERY]
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "", allow_file=True)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL: set at most one of them")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 15, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Mentorship <mentorship@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# How many times a failed delivery is retried, minutes apart, before it is left for an admin.
EMAIL_DELIVERY_ATTEMPTS = env_int("EMAIL_DELIVERY_ATTEMPTS", 5, minimum=1)

# Celery: an SQLite-backed broker needs no server; production points at Redis.
CELERY_BROKER_URL = env_str(
    "CELERY_BROKER_URL", f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Periodic work; django-celery-beat copies these into the database at start-up, where
# administrators see and pause them, and the clock page lists them. Every job is safe to
# run twice, so the intervals only set how soon things happen. CLOCK_TICK_SECONDS scales
# them all (tests run the clock fast).
CLOCK_TICK_SECONDS = env_int("CLOCK_TICK_SECONDS", 300, minimum=1)
CELERY_BEAT_SCHEDULE = {
    "mail-redeliver-stalled": {
        "task": "mentorship_site.mail.tasks.redeliver_stalled_emails",
        "schedule": float(CLOCK_TICK_SECONDS),
    },
    "matching-expire-overdue-requests": {
        "task": "matching.tasks.expire_overdue_requests",
        "schedule": 2.0 * CLOCK_TICK_SECONDS,
    },
    "matching-remind-requests": {
        "task": "matching.tasks.remind_requests",
        "schedule": 2.0 * CLOCK_TICK_SECONDS,
    },
    "matching-complete-due-matches": {
        "task": "matching.tasks.complete_due_matches",
        "schedule": float(CLOCK_TICK_SECONDS),
    },
    "journals-remind-meetings": {
        "task": "journals.tasks.remind_meetings",
        "schedule": 2.0 * CLOCK_TICK_SECONDS,
    },
    "journals-send-weekly-prompts": {
        "task": "journals.tasks.send_weekly_prompts",
        "schedule": 3.0 * CLOCK_TICK_SECONDS,
    },
    "journals-nudge-journals": {
        "task": "journals.tasks.nudge_journals",
        "schedule": 12.0 * CLOCK_TICK_SECONDS,
    },
    "journals-remind-reviews": {
        "task": "journals.tasks.remind_reviews",
        "schedule": 12.0 * CLOCK_TICK_SECONDS,
    },
    "journals-flag-quiet-pairs": {
        "task": "journals.tasks.flag_quiet_pairs",
        "schedule": 12.0 * CLOCK_TICK_SECONDS,
    },
    "evaluation-send-surveys": {
        "task": "evaluation.tasks.send_surveys",
        "schedule": 3.0 * CLOCK_TICK_SECONDS,
    },
    "evaluation-send-weekly-digests": {
        "task": "evaluation.digest.send_weekly_digests",
        "schedule": 3.0 * CLOCK_TICK_SECONDS,
    },
}
# One-click unsubscribe links in emails stop working after this many seconds.
UNSUBSCRIBE_LINK_MAX_AGE = env_int("UNSUBSCRIBE_LINK_MAX_AGE", 180 * 24 * 3600, minimum=3600)

# Security: production is behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Container health checks call /healthz over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
