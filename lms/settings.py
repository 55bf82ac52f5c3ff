"""Onramp settings: one file, every deployment difference read from the environment.

Defaults run a fresh clone with no servers (SQLite, an embedded Celery broker, local
files under var/, console e-mail). DEBUG is off unless asked for; with it off,
SECRET_KEY and ALLOWED_HOSTS must be given: production refuses to start without them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from lms.csp import Directives, origin_of, parse_extra_sources, with_extra_sources
from lms.env import (
    env_bool,
    env_choice,
    env_int,
    env_key,
    env_list,
    env_required,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY") or "django-insecure-onramp-development-only"
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
else:
    SECRET_KEY = env_required("SECRET_KEY", why="production needs a long random key.")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must be set: the host names this site answers to."
        )

SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")
ORGANISATION_NAME = env_str("ORGANISATION_NAME", "Onramp")

INSTALLED_APPS = [
    "lms",
    "lms.accounts",
    "lms.notifications",
    "media",
    "library",
    "courses",
    "courses.quizzes",
    "courses.scorm",
    "coaching",
    "certificates",
    "dashboards",
    "automation",
    "integrations",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "wagtail.contrib.settings",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail",
    "modelcluster",
    "treebeard",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_celery_beat",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "lms.middleware.UntrustedProxyWarningMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lms.csp.ContentSecurityPolicyMiddleware",
    "lms.lib.request_cache.RequestCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "lms.uploads.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lms.accounts.middleware.UserTimezoneMiddleware",
    "lms.accounts.middleware.UserLanguageMiddleware",
    "lms.middleware.LocalDigitsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

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
                "lms.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite under var/ by default; DATABASE_URL for PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'onramp.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # The web server, the worker and beat share one file: wait for locks instead of
    # failing, and take the write lock up front so that two writers never deadlock.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared rate limits across processes).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Per-person state kept between requests (lms.lib.person_cache) needs a cache every
# process shares: a change made in one process must reach the others at once. On by
# default with Redis; without it (one process's memory) each request reads afresh.
PERSON_CACHE = env_bool("PERSON_CACHE", default=bool(REDIS_URL))

# Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Django's password rules, worded in Onramp's catalogues (Django has no Bengali).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"lms.accounts.passwords.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)

ACCOUNT_ADAPTER = "lms.accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "lms.accounts.forms.SignInForm",
    "reset_password": "lms.accounts.forms.PasswordResetForm",
    "reset_password_from_key": "lms.accounts.forms.NewPasswordForm",
    "change_password": "lms.accounts.forms.PasswordChangeForm",
}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# "mandatory", "optional" or "none": whether a new or changed address must be confirmed.
ACCOUNT_EMAIL_VERIFICATION = env_choice(
    "ACCOUNT_EMAIL_VERIFICATION", "optional", ("mandatory", "optional", "none")
)
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{ORGANISATION_NAME}] "
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # Five wrong passwords for one address lock that address out for five minutes.
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# Behind a reverse proxy, how many X-Forwarded-For hops to trust: rate limits (sign-in,
# certificate verification) count per real client address, not per proxy.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
SOCIALACCOUNT_ADAPTER = "lms.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_PROVIDERS: dict[str, dict[str, object]] = {}
OIDC_SERVER_URL = env_str("OIDC_SERVER_URL")
if OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": env_str("OIDC_PROVIDER_ID", "sso"),
                "name": env_str("OIDC_NAME", "Single sign-on"),
                "client_id": env_required(
                    "OIDC_CLIENT_ID", why="OIDC_SERVER_URL is set."
                ),
                "secret": env_required(
                    "OIDC_CLIENT_SECRET", why="OIDC_SERVER_URL is set."
                ),
                "settings": {"server_url": OIDC_SERVER_URL},
            }
        ]
    }

# Internationalisation: the interface in English, Spanish and Bengali. A signed-in
# person's preference (User.language) wins; otherwise the language-switcher cookie,
# then the browser's Accept-Language. Catalogues live in each app's locale/ folder.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español"), ("bn", "বাংলা")]
LOCALE_PATHS = [BASE_DIR / "lms" / "locale"]
LANGUAGE_COOKIE_NAME = "onramp_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Dates in English read "2 March 2026" (Django's own English is "March 2, 2026");
# Spanish and Bengali keep Django's formats. Templates name formats ("DATE_FORMAT").
FORMAT_MODULE_PATH = ["lms.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files and user files (never in the media/ app: under var/ or object storage)
STATIC_URL = "/static/"
STATIC_ROOT: Path | None = VAR_DIR / "static"
MEDIA_URL = "/files/"
MEDIA_ROOT = VAR_DIR / "files"
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
default_storage: dict[str, Any]
if AWS_STORAGE_BUCKET_NAME:
    default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": MEDIA_URL},
    }
# Private files (recordings, uploads in progress): never given a public URL; served
# only through permission-checked views.
if AWS_STORAGE_BUCKET_NAME:
    private_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**default_storage["OPTIONS"], "location": "private"},
    }
else:
    private_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "private", "base_url": None},
    }
STORAGES = {
    "default": default_storage,
    "private": private_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Request bodies (lms/uploads.py): anything larger than UPLOAD_MAX_BYTES is refused
# with 413 before it is read, except by the tus endpoint, which checks each upload
# against the length it announced (MEDIA_MAX_UPLOAD_BYTES). A form's fields besides
# its files may hold DATA_UPLOAD_MAX_MEMORY_SIZE; files above
# FILE_UPLOAD_MAX_MEMORY_SIZE are streamed to a temporary file, not held in memory
# (both 2.5 MiB, Django's defaults).
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 100 * 1024**2)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
FILE_UPLOAD_HANDLERS = [
    "lms.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Media pipeline (uploads, transcoding, playback)
MEDIA_MAX_UPLOAD_BYTES = env_int("MEDIA_MAX_UPLOAD_BYTES", 2 * 1024**3)
MEDIA_USER_QUOTA_BYTES = env_int("MEDIA_USER_QUOTA_BYTES", 20 * 1024**3)
MEDIA_MAX_DURATION_SECONDS = env_int("MEDIA_MAX_DURATION_SECONDS", 2 * 3600)
# Hard limit of one transcode; the soft limit stops ffmpeg a little earlier.
MEDIA_TRANSCODE_TIME_LIMIT = env_int("MEDIA_TRANSCODE_TIME_LIMIT", 3 * 3600)
# Largest picture (width x height) of an uploaded video: 4096x2160 (4K) by default.
MEDIA_MAX_VIDEO_PIXELS = env_int("MEDIA_MAX_VIDEO_PIXELS", 4096 * 2160)
# Address space of each ffmpeg run, in MB (0: no limit). Transcoding a 4K upload was
# measured at about 0.7-1.05 GB (media/ffmpeg.py); the default leaves twice that.
MEDIA_FFMPEG_MEMORY_MB = env_int("MEDIA_FFMPEG_MEMORY_MB", 2048)
# 0 keeps files for ever.
MEDIA_RECORDING_RETENTION_DAYS = env_int("MEDIA_RECORDING_RETENTION_DAYS", 0)
MEDIA_ORIGINAL_RETENTION_DAYS = env_int("MEDIA_ORIGINAL_RETENTION_DAYS", 0)
MEDIA_ABANDONED_UPLOAD_DAYS = env_int("MEDIA_ABANDONED_UPLOAD_DAYS", 7)
# Conversation analytics of one call recording (decoding included): about 10 s for a
# 45-minute call on one core; past this limit the analysis is marked failed.
SPEECH_ANALYSIS_TIME_LIMIT = env_int("SPEECH_ANALYSIS_TIME_LIMIT", 900)
# Behind nginx: hand playback to an internal location (e.g. "/protected/") that maps
# to var/private/, so that nginx serves the bytes and the Range requests.
MEDIA_X_ACCEL_REDIRECT_PREFIX = env_str("MEDIA_X_ACCEL_REDIRECT_PREFIX")

# Recurring training: someone joining mid-cycle gets the cycle only with this many
# days left before it is due.
CAMPAIGN_MIN_DAYS_LEFT = env_int("CAMPAIGN_MIN_DAYS_LEFT", 7)

# Quizzes: answers still count this many seconds after a time limit (network lag).
QUIZ_GRACE_SECONDS = env_int("QUIZ_GRACE_SECONDS", 30)

# SCORM packages (courses/scorm/packaging.py): refused beyond these many files, these
# many bytes unpacked, or a compression ratio above this (a zip bomb).
SCORM_MAX_FILES = env_int("SCORM_MAX_FILES", 10_000)
SCORM_MAX_UNPACKED_BYTES = env_int("SCORM_MAX_UNPACKED_BYTES", 1024**3)
SCORM_MAX_COMPRESSION_RATIO = env_int("SCORM_MAX_COMPRESSION_RATIO", 100)
# How long a launch's content address keeps working (seconds).
SCORM_CONTENT_TOKEN_SECONDS = env_int("SCORM_CONTENT_TOKEN_SECONDS", 12 * 3600)

# Coaching: hours a coach has to review a request; reminded before, escalated after.
COACHING_TURNAROUND_HOURS = env_int("COACHING_TURNAROUND_HOURS", 48)

# Certificates are numbered <prefix>-<year>-<number>, e.g. NW-2026-000042.
CERTIFICATE_SERIAL_PREFIX = env_str("CERTIFICATE_SERIAL_PREFIX", "CERT")

# Public certificate verification: look-ups per client address per minute.
CERTIFICATE_VERIFY_RATE_PER_MINUTE = env_int("CERTIFICATE_VERIFY_RATE_PER_MINUTE", 30)
CALENDAR_FEED_RATE_PER_MINUTE = env_int("CALENDAR_FEED_RATE_PER_MINUTE", 60)
# Open Badges 3.0 credentials are signed with this Ed25519 key (32 bytes, base64url).
# Production refuses to start without it; development keeps one in var/.
OPEN_BADGES_SIGNING_KEY = env_key(
    "OPEN_BADGES_SIGNING_KEY",
    development_file=VAR_DIR / "open-badges-signing-key" if DEBUG else None,
    why="certificates are signed with it as Open Badges 3.0 credentials.",
)

# E-mail: the console by default, SMTP when EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Onramp <onramp@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
    EMAIL_TIMEOUT = 30
else:
    EMAIL_BACKEND = env_str(
        "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
    )
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH") or str(VAR_DIR / "mail")

# Celery: JSON only, late acks, time limits, one task at a time per worker process.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360)
# A task not acknowledged within this many seconds is delivered again (Redis): it must
# exceed the longest hard time limit of any task, or long jobs would run twice.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 4 * 3600)
if CELERY_BROKER_URL.startswith("filesystem://"):
    (VAR_DIR / "celery" / "queue").mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery" / "control").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
        # A worker looks for new messages this often (kombu's default is 1 s): a
        # tenth of a second keeps an upload from waiting up to a second for its
        # transcode, for the cost of listing one folder per queue ten times a second.
        "polling_interval": 0.1,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "media.tasks.asset_process_task": {"queue": "media"},
    "coaching.tasks.call_analyse_task": {"queue": "media"},
    "library.tasks.item_preview_task": {"queue": "media"},
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Beat copies these into its database schedule at start (editable in the Django admin).
CELERY_BEAT_SCHEDULE = {
    "send stuck invitations": {
        "task": "lms.accounts.tasks.invitations_send_stuck_task",
        "schedule": 600.0,
    },
    "re-queue stuck media": {
        "task": "media.tasks.assets_requeue_stuck_task",
        "schedule": 600.0,
    },
    "expire media": {
        "task": "media.tasks.assets_expire_task",
        "schedule": 24 * 3600.0,
    },
    "materialise training campaigns": {
        "task": "courses.tasks.campaigns_materialise_task",
        "schedule": 3600.0,
    },
    # Hourly, so that "today" starts at each person's own midnight; each notice is
    # sent once, so a run with nothing to do costs two queries.
    "send reminders": {
        "task": "courses.tasks.reminders_send_task",
        "schedule": 3600.0,
    },
    "close quiz attempts past their time limit": {
        "task": "courses.quizzes.tasks.attempts_close_expired_task",
        "schedule": 60.0,
    },
    "analyse calls missed, outdated or stuck": {
        "task": "coaching.tasks.call_analyses_backfill_task",
        "schedule": 3600.0,
    },
    "chase coaching reviews past their turnaround": {
        "task": "coaching.tasks.reviews_chase_overdue_task",
        "schedule": 900.0,
    },
    "send xAPI statements due to Learning Record Stores": {
        "task": "integrations.tasks.xapi_rounds_start_task",
        "schedule": 60.0,
    },
    "expire certificates and open renewals": {
        "task": "certificates.tasks.certificates_expire_and_renew_task",
        "schedule": 3600.0,
    },
    "e-mail library owners about review dates": {
        "task": "library.tasks.review_notices_send_task",
        "schedule": 3600.0,
    },
    "send weekly library owner digests": {
        "task": "library.tasks.owner_digests_send_task",
        "schedule": 3600.0,
    },
    "ask again for library previews stuck processing": {
        "task": "library.tasks.item_previews_requeue_stuck_task",
        "schedule": 600.0,
    },
    "send weekly manager digests": {
        "task": "dashboards.tasks.manager_digests_send_task",
        "schedule": 3600.0,
    },
    "sync CRM connections": {
        "task": "integrations.tasks.crm_sync_all_task",
        "schedule": 3600.0,
    },
    "send webhook deliveries that are due": {
        "task": "integrations.tasks.webhook_deliveries_sweep_task",
        "schedule": 60.0,
    },
    # Hourly, so that each person's digest goes out soon after their own 08:00.
    "send daily digests of queued notices": {
        "task": "automation.tasks.delivery_digests_send_task",
        "schedule": 3600.0,
    },
    "run the nudge sequences": {
        "task": "automation.tasks.sequences_tick_task",
        "schedule": 300.0,
    },
    "announce overdue and completed assignments to webhooks": {
        "task": "integrations.tasks.assignments_announce_task",
        "schedule": 3600.0,
    },
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# Wagtail
WAGTAIL_SITE_NAME = ORGANISATION_NAME
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# "Translate this page" makes a draft: a translation shows nothing to readers until a
# translator publishes it (wagtail-localize would otherwise publish the source's words
# at once in a live page's translation).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_PASSWORD_RESET_ENABLED = False
# No avatars fetched from a third party: nothing leaves the server.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does the admin ask wagtail.org for new releases (the policy would refuse it).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
# Addresses change only through allauth, which confirms them first.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# The content library (library/): how long an item stays current after it is
# written or reviewed, by kind or card kind (days); how long a past review-by date
# shows "Review due" before the item expires; how long a share link lasts.
LIBRARY_REVIEW_INTERVAL_DAYS = {
    "default": 180,
    "document": 180,
    "video": 365,
    "link": 180,
    "card": 90,
    "battlecard": 90,
    "talk_track": 180,
    "email_template": 180,
}
LIBRARY_REVIEW_GRACE_DAYS = env_int("LIBRARY_REVIEW_GRACE_DAYS", 14)
LIBRARY_FILE_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "csv", "txt"]
# A PDF's preview and text are read in a child process killed after this long.
LIBRARY_PDF_TIMEOUT_SECONDS = env_int("LIBRARY_PDF_TIMEOUT_SECONDS", 30)
LIBRARY_SHARE_DAYS = env_int("LIBRARY_SHARE_DAYS", 30)
# A shared PDF is read page by page from pictures of its first pages, made with
# its preview: at most this many.
LIBRARY_SHARE_PAGES_MAX = env_int("LIBRARY_SHARE_PAGES_MAX", 30)
# Opens of share links per client address per minute (429 above it).
LIBRARY_SHARE_RATE_PER_MINUTE = env_int("LIBRARY_SHARE_RATE_PER_MINUTE", 30)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Image uploads refuse files that only look like images with a form error.
WAGTAILIMAGES_IMAGE_FORM_BASE = "lms.images.ImageForm"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "csv", "txt", "zip"]
# Documents are served only to signed-in people (lms/wagtail_hooks.py), so every
# download goes through Wagtail's serve view: the file itself (local storage) or a
# short-lived signed URL (S3). Never "direct", which links straight to storage.
WAGTAILDOCS_SERVE_METHOD = "redirect" if AWS_STORAGE_BUCKET_NAME else "serve_view"

# REST API v1 (integrations/): bearer tokens, JSON only, problem details, cursor pages.
# The API's views set their own authentication, parsers and error format; Wagtail's
# admin API keeps DRF's defaults.
REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
SPECTACULAR_SETTINGS = {
    "TITLE": "Onramp API",
    "DESCRIPTION": "People, learning, coaching, certificates and sales outcomes of an "
    "Onramp organisation. Authenticate with `Authorization: Bearer <token>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["integrations.api.schema.only_api_v1"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "integrations.api.schema.add_problem_responses",
    ],
}
# Requests per API token per minute; beyond, 429 with Retry-After.
API_RATE_LIMIT_PER_MINUTE = env_int("API_RATE_LIMIT_PER_MINUTE", 600)
# Webhook targets on loopback, private, link-local or metadata addresses are refused
# unless this is set (a receiver on the same private network, tests).
WEBHOOK_ALLOW_PRIVATE_NETWORKS = env_bool(
    "WEBHOOK_ALLOW_PRIVATE_NETWORKS", default=False
)
# Encrypts CRM credentials (Fernet). Production refuses to start without it;
# development generates one into var/ once.
INTEGRATIONS_ENCRYPTION_KEY = env_key(
    "INTEGRATIONS_ENCRYPTION_KEY",
    development_file=VAR_DIR / "integrations-encryption.key" if DEBUG else None,
    why="it encrypts the stored CRM credentials.",
)
# Where the HubSpot client sends its requests (tests point it at a local fake).
CRM_HUBSPOT_API_URL = env_str("CRM_HUBSPOT_API_URL", "https://api.hubapi.com").rstrip(
    "/"
)
# Salesforce: where the OAuth web-server flow starts (a sandbox uses
# https://test.salesforce.com, a My Domain its own address; tests a local fake), the
# REST API version a new connection uses, and the share of the org's daily API
# allowance (Sforce-Limit-Info) past which a sync stops and leaves the rest.
CRM_SALESFORCE_LOGIN_URL = env_str(
    "CRM_SALESFORCE_LOGIN_URL", "https://login.salesforce.com"
).rstrip("/")
CRM_SALESFORCE_API_VERSION = env_str("CRM_SALESFORCE_API_VERSION", "62.0")
CRM_SALESFORCE_API_SHARE = env_int("CRM_SALESFORCE_API_SHARE_PERCENT", 80) / 100
# Slack and Microsoft Teams (README "Automation: channels and preferences"): where
# the Slack client sends its requests (tests point it at a local fake), how long a
# delivery waits when Slack answers "ratelimited" (Retry-After beyond it fails over
# to e-mail), and the hosts a Teams webhook address may name.
# OFFLINE_CHAT (`bin/run --offline-chat`): the demo's Slack app and Teams webhooks
# go to the local fakes `manage.py chat_fakes` serves on these ports, which print
# what they receive. A laptop's demo only: it admits http://127.0.0.1 webhooks.
OFFLINE_CHAT = env_bool("OFFLINE_CHAT", default=False)
if OFFLINE_CHAT and not DEBUG:
    raise ImproperlyConfigured(
        "OFFLINE_CHAT is for the demo on your own machine (DEBUG=true) only."
    )
OFFLINE_CHAT_SLACK_PORT = env_int("OFFLINE_CHAT_SLACK_PORT", 8001)
OFFLINE_CHAT_TEAMS_PORT = env_int("OFFLINE_CHAT_TEAMS_PORT", 8002)
SLACK_API_URL = env_str(
    "SLACK_API_URL",
    f"http://127.0.0.1:{OFFLINE_CHAT_SLACK_PORT}/api/"
    if OFFLINE_CHAT
    else "https://slack.com/api/",
)
SLACK_MAX_RETRY_AFTER_SECONDS = env_int("SLACK_MAX_RETRY_AFTER_SECONDS", 30)
SLACK_MAX_RETRIES = env_int("SLACK_MAX_RETRIES", 3)
TEAMS_WEBHOOK_HOST_SUFFIXES = env_list(
    "TEAMS_WEBHOOK_HOST_SUFFIXES",
    [".webhook.office.com", ".logic.azure.com", ".api.powerplatform.com"],
)
# Plain http to 127.0.0.1 for Teams webhooks: the local fakes (tests, offline demo).
TEAMS_WEBHOOK_ALLOW_LOCAL = env_bool("TEAMS_WEBHOOK_ALLOW_LOCAL", default=OFFLINE_CHAT)
TEAMS_TIMEOUT_SECONDS = float(env_int("TEAMS_TIMEOUT_SECONDS", 10))
# The currency ramp analytics report CRM revenue in; other currencies are converted
# with the rates enablement admins set (Integrations → CRM connections).
CRM_REPORTING_CURRENCY = env_str("CRM_REPORTING_CURRENCY", "USD")
# xAPI statements to Learning Record Stores (README "Standards"): who the actor is
# (their e-mail as mbox, or an account on a home page), and how Onramp calls an LRS.
XAPI_ACTOR_IDENTIFIER = env_choice("XAPI_ACTOR_IDENTIFIER", "mbox", ("mbox", "account"))
XAPI_ACCOUNT_HOME_PAGE = env_str("XAPI_ACCOUNT_HOME_PAGE") or SITE_URL
XAPI_TIMEOUT_SECONDS = float(env_int("XAPI_TIMEOUT_SECONDS", 10))
XAPI_ALLOW_PRIVATE_NETWORKS = env_bool("XAPI_ALLOW_PRIVATE_NETWORKS", default=False)

# Security: production runs behind a TLS-terminating proxy.
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy (lms/csp.py; the README says what each source is for).
# Pages run only scripts and styles served from this site: no inline script, no event
# handler attribute, no eval. The server-drawn SVG charts carry their own <style>,
# which the page's nonce allows.
CSP_SITE_DIRECTIVES: Directives = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF, NONCE],
    "img-src": [SELF],
    "media-src": [SELF, "blob:"],  # the preview of a take recorded in the browser
    "object-src": [NONE],
    "base-uri": [NONE],
    "form-action": [SELF],
    # Wagtail's live preview frames the page from the admin, on this origin.
    "frame-ancestors": [SELF],
}
# Wagtail's admin writes inline scripts and styles in its editors (inline panels, date
# pickers, the rich text editor) and has no nonce support: under /admin/ (enablement
# admins only) inline code may run; nothing else is relaxed. Django's admin
# (/django-admin/) works under the site policy.
CSP_ADMIN_URL_PREFIXES = ["/admin/"]
CSP_ADMIN_DIRECTIVES: Directives = {
    **CSP_SITE_DIRECTIVES,
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
}
# Operators add sources without changing code, e.g. object storage that serves images:
# CSP_EXTRA_SOURCES="img-src https://files.example.com".
_csp_extra = parse_extra_sources(env_str("CSP_EXTRA_SOURCES"))
if OIDC_SERVER_URL:
    # Signing in posts a form that redirects to the identity provider.
    _csp_extra.setdefault("form-action", []).append(origin_of(OIDC_SERVER_URL))
CSP_SITE_DIRECTIVES = with_extra_sources(CSP_SITE_DIRECTIVES, _csp_extra)
CSP_ADMIN_DIRECTIVES = with_extra_sources(CSP_ADMIN_DIRECTIVES, _csp_extra)
# Where browsers report what the policy refused (any CSP report collector).
if env_str("CSP_REPORT_URI"):
    CSP_SITE_DIRECTIVES["report-uri"] = [env_str("CSP_REPORT_URI")]
    CSP_ADMIN_DIRECTIVES["report-uri"] = [env_str("CSP_REPORT_URI")]
CONTENT_SECURITY_POLICY = {"DIRECTIVES": CSP_SITE_DIRECTIVES}

SILENCED_SYSTEM_CHECKS = [
    # Wagtail's live preview shows the page in a same-origin iframe, so framing is
    # allowed from this origin only (SAMEORIGIN) rather than refused outright (DENY).
    "security.W019",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail runs its search-index updates as tasks; one line per save is noise.
        "django_tasks": {"level": "WARNING"},
    },
}
