"""Kofu settings. Everything that differs between machines comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path
from tempfile import gettempdir

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Production must set SECRET_KEY: a key generated per process would differ between gunicorn
# workers, and each worker would reject the others' sessions. Only DEBUG=1 generates one.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Kofu refuses to start with DEBUG off and no SECRET_KEY: set "
            "SECRET_KEY in the environment to a long random value shared by all web and worker "
            "processes (python -c 'from django.core.management.utils import "
            "get_random_secret_key as k; print(k())'), or run with DEBUG=1 for development."
        )
    SECRET_KEY = get_random_secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    # web/ first: its base layout, error pages and login page win over viewflow's templates
    "web",
    "django.forms",  # its form templates, under web/'s own (FORM_RENDERER below)
    "viewflow",
    "viewflow.workflow",
    "core",
    "accounts",
    "audit",
    "notifications",
    "letters",
    "declarations",
    "applications",
    "screening",
    "payments",
    "revocations",
    "awards",
    "outcomes",
    "workflows",
    "portal",
    "workspace",
    "history",
    "traces",
    "kpis",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "audit.middleware.AuditContextMiddleware",
    "history.middleware.HistoryContextMiddleware",
    "accounts.middleware.ProfileLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "notifications.context_processors.inbox",
                "core.context_processors.roles",
                "workspace.context_processors.workspace",
            ]
        },
    }
]
# Every form renders through the project's templates (web/templates/django/forms/): label,
# requirement, hint, the error next to the field, tied by aria-describedby.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# SQLite is the embedded default. IMMEDIATE transactions make concurrent writers wait for
# the write lock instead of failing with "database is locked" halfway through a transition.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'kofu.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 30}
    )
    # A file, not memory, so that threads and live-server tests share it; one per test process.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env.str(
        "SQLITE_TEST_NAME", default=str(Path(gettempdir()) / f"kofu-test-{os.getpid()}.sqlite3")
    )
else:
    # One test database per test process, so two suites on one server never collide.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = (
        f"test_{DATABASES['default']['NAME']}_{os.getpid()}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = ["core.auth.RoleModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Tokyo"  # shown to people; the database stores UTC
# one way to write dates per language, on every page (config/formats/ja: 2026年12月2日 8:39)
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
# `manage.py collectstatic` copies every app's files here; WhiteNoise serves them (see below)
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="127.0.0.1")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# the folder the file backend (django.core.mail.backends.filebased.EmailBackend) writes to
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="kofu@example.jp")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
KOFU_MAIL_DOMAIN = env.str("KOFU_MAIL_DOMAIN", default="kofu.example.jp")

# Celery: unset broker = tasks run in-process, synchronously, right after the transaction commits.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Tokyo"
CELERY_BEAT_SCHEDULE = {
    "fire-workflow-timers": {"task": "workflows.tasks.fire_timers", "schedule": 60.0},
    "send-reminders": {
        "task": "workflows.tasks.send_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    "send-digests": {
        "task": "notifications.tasks.digests_send",
        "schedule": crontab(hour=7, minute=30),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.authentication.ApiTokenAuthentication",
        # inert unless KOFU_API_BASIC_AUTH is on (see "Sign-in and API tokens" below)
        "accounts.authentication.LockoutBasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kofu API",
    "DESCRIPTION": "Subsidy and award applications: applicants, programme staff, approvers, "
    "finance and auditors.",
    "VERSION": "0.1.0",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "applications.models.Application.Status",
        "PaymentBatchStatusEnum": "payments.models.PaymentBatch.Status",
    },
}

# The issuing authority and document-number prefixes printed on letters.
KOFU_ISSUER = {
    "title": env.str("KOFU_ISSUER_TITLE", default="茨城県知事"),
    "title_en": env.str("KOFU_ISSUER_TITLE_EN", default="Governor of Ibaraki Prefecture"),
    "name": env.str("KOFU_ISSUER_NAME", default=""),
    "office": env.str("KOFU_ISSUER_OFFICE", default="産業戦略部 労働政策課"),
    "office_en": env.str("KOFU_ISSUER_OFFICE_EN", default="Labour Policy Division"),
}
KOFU_RESULTS_REMINDER_BUSINESS_DAYS = env.int("KOFU_RESULTS_REMINDER_BUSINESS_DAYS", default=10)
KOFU_TASK_OVERDUE_BUSINESS_DAYS = env.int("KOFU_TASK_OVERDUE_BUSINESS_DAYS", default=5)
KOFU_LETTER_PREFIXES = {"subsidy": "産人", "award": "産表", "declaration": "産宣"}
# Finance: the prefecture's own account on the bank transfer file (依頼人), the batch total
# above which a second finance user must also release, and the repayment interest (加算金).
KOFU_ORIGINATOR = {
    "code": env.str("KOFU_ORIGINATOR_CODE", default="0000000001"),
    "name": env.str("KOFU_ORIGINATOR_NAME", default="ｲﾊﾞﾗｷｹﾝ"),
    "bank_code": env.str("KOFU_ORIGINATOR_BANK_CODE", default="0130"),
    "branch_code": env.str("KOFU_ORIGINATOR_BRANCH_CODE", default="004"),
    "account_type": env.int("KOFU_ORIGINATOR_ACCOUNT_TYPE", default=1),
    "account_number": env.str("KOFU_ORIGINATOR_ACCOUNT_NUMBER", default="1234567"),
}
KOFU_SECOND_RELEASER_ABOVE = env.int("KOFU_SECOND_RELEASER_ABOVE", default=10_000_000)
KOFU_REPAYMENT_INTEREST_PERCENT = env.str("KOFU_REPAYMENT_INTEREST_PERCENT", default="10.95")
KOFU_REPAYMENT_DAYS_IN_YEAR = env.int("KOFU_REPAYMENT_DAYS_IN_YEAR", default=365)
KOFU_DECLARATION_CORRECTION_DAYS = env.int("KOFU_DECLARATION_CORRECTION_DAYS", default=10)
KOFU_DECLARATION_MAX_PERIOD_YEARS = env.int("KOFU_DECLARATION_MAX_PERIOD_YEARS", default=5)
KOFU_DECLARATION_LEGAL_BASIS = env.str(
    "KOFU_DECLARATION_LEGAL_BASIS", default="リスキリング推進宣言制度実施要領"
)

VIEWFLOW = {"AUTOCREATE_PERMISSIONS": False}

# Logs go to stdout (the service manager keeps them), one line per record with the id of the
# request or job it belongs to: the X-Request-ID a user quotes finds its lines and audit events.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "audit.logging.RequestIdFilter"}},
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": "line",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        # Django's own request errors (500s) go to the root's handler, not to mail_admins
        "django": {"handlers": [], "propagate": True},
    },
}

# --- audit trail and data-change history (issue 6) ---
# Row history (before/after values, bulk updates included) is written by PostgreSQL triggers
# (django-pghistory). The triggers are installed after each `migrate` rather than through
# migrations, so the tracked apps keep their own migrations and SQLite runs none of it.
INSTALLED_APPS += ["pgtrigger", "pghistory"]
PGTRIGGER_MIGRATIONS = False
PGTRIGGER_INSTALL_ON_MIGRATE = True
# history rows are plain data: their status copies are not FSM-protected
PGHISTORY_EXCLUDE_FIELD_KWARGS = {"django_fsm.FSMField": ["protected"]}
# `audit_verify` fails on an event left unsealed for longer than this (sealing runs right
# after each commit; the `audit-seal` job catches up after a crash in between).
KOFU_AUDIT_UNSEALED_GRACE_MINUTES = env.int("KOFU_AUDIT_UNSEALED_GRACE_MINUTES", default=10)
# Saving or deleting one of these records writes an audit event with the changed fields;
# so do changes to a user's groups, permissions and is_active / is_staff / is_superuser.
KOFU_AUDITED_CONFIG_MODELS = [
    "applications.SubsidyRound",
    "applications.CostType",
    "applications.DocumentType",
    "awards.AwardRound",
    "screening.Rubric",
    "screening.Criterion",
    "screening.ReviewPanel",
    "auth.Group",
]
CELERY_BEAT_SCHEDULE["audit-seal"] = {"task": "audit.tasks.events_seal_task", "schedule": 300.0}

# --- outcome reports (issue 6) ---
# The outcome report (効果報告) is due this many months after the subsidy is paid; reminders go
# out from this many business days before the due date, then weekly while it is overdue.
KOFU_OUTCOME_REPORT_MONTHS = env.int("KOFU_OUTCOME_REPORT_MONTHS", default=6)
KOFU_OUTCOME_REMINDER_BUSINESS_DAYS = env.int("KOFU_OUTCOME_REMINDER_BUSINESS_DAYS", default=10)
# When a company counts toward the KPI "companies that achieved productivity gains": an accepted
# outcome report with at least N measures improved by at least P% of their baselines.
KOFU_PRODUCTIVITY_RULE = {
    "min_improved_measures": env.int("KOFU_PRODUCTIVITY_MIN_IMPROVED_MEASURES", default=1),
    "min_improvement_percent": env.str("KOFU_PRODUCTIVITY_MIN_IMPROVEMENT_PERCENT", default="5"),
}

# --- KPIs (issue 6) ---
# Targets of the programme's KPIs for the target period (fiscal years April–March, both ends
# included): promotion declarations registered, companies commended, companies with productivity
# gains. Subsidy users (活用者数) are counted from KOFU_KPI_SUBSIDY_USERS_SINCE on.
KOFU_KPI_TARGETS = {
    "declarations": env.int("KOFU_KPI_TARGET_DECLARATIONS", default=200),
    "commendations": env.int("KOFU_KPI_TARGET_COMMENDATIONS", default=20),
    "productivity_gains": env.int("KOFU_KPI_TARGET_PRODUCTIVITY_GAINS", default=100),
}
KOFU_KPI_PERIOD = (
    env.int("KOFU_KPI_PERIOD_FIRST_YEAR", default=2026),
    env.int("KOFU_KPI_PERIOD_LAST_YEAR", default=2027),
)
KOFU_KPI_SUBSIDY_USERS_SINCE = env.int("KOFU_KPI_SUBSIDY_USERS_SINCE", default=2020)
# The dashboard is computed on request; its page and charts share one result for this long.
KOFU_KPI_CACHE_SECONDS = env.int("KOFU_KPI_CACHE_SECONDS", default=5)

# --- Two-factor sign-in (issue 12) ---
# After the password, users holding one of KOFU_TWO_FACTOR_ROLES must pass a second factor (an
# authenticator app's TOTP code, a passkey or a one-time recovery code) before any other page or
# the session-authenticated API answers them; without a device they are sent to enrol first.
# Reviewers are included: they read confidential applications and nominations, often from
# outside the prefecture. Anyone else may opt in, and whoever has a device always uses it.
# KOFU_TWO_FACTOR_REQUIRED=0 lifts the requirement (never in production).
INSTALLED_APPS += [
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("accounts.middleware.ProfileLanguageMiddleware") + 1,
    "accounts.middleware.TwoFactorMiddleware",
)
KOFU_TWO_FACTOR_REQUIRED = env.bool("KOFU_TWO_FACTOR_REQUIRED", default=True)
KOFU_TWO_FACTOR_ROLES = env.list(
    "KOFU_TWO_FACTOR_ROLES",
    default=["staff", "approver", "finance", "auditor", "admin", "reviewer"],
)
KOFU_TWO_FACTOR_RECOVERY_CODES = 10
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Kofu")
# Passkeys are a second factor here, never a password replacement. WebAuthn needs a domain name
# (not an IP address) as the relying party: the demo's passkeys work at http://localhost:8000.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_ID = env.str("OTP_WEBAUTHN_RP_ID", default="localhost")
OTP_WEBAUTHN_RP_NAME = "Kofu"
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list(
    "OTP_WEBAUTHN_ALLOWED_ORIGINS", default=["http://localhost:8000"]
)

# --- Uploads (issue 12) ---
# Every uploaded document passes core.uploads: a per-file cap, a quota and a count per application
# or nomination, an allow-list by content (PDF, PNG, JPEG, xlsx, docx) with limits on what a file
# may unpack to. Stored once under its SHA-256 in MEDIA_ROOT, which is never served as such:
# documents are opened through views that check who asks (see README, "Uploads and documents").
KOFU_UPLOAD_MAX_FILE_BYTES = env.int("KOFU_UPLOAD_MAX_FILE_BYTES", default=20 * 1024 * 1024)
KOFU_UPLOAD_QUOTA_BYTES = env.int("KOFU_UPLOAD_QUOTA_BYTES", default=200 * 1024 * 1024)
KOFU_UPLOAD_MAX_FILES = env.int("KOFU_UPLOAD_MAX_FILES", default=50)
KOFU_UPLOAD_PDF_MAX_PAGES = env.int("KOFU_UPLOAD_PDF_MAX_PAGES", default=500)
KOFU_UPLOAD_PDF_MAX_OBJECTS = env.int("KOFU_UPLOAD_PDF_MAX_OBJECTS", default=100_000)
KOFU_UPLOAD_MAX_EXPANDED_BYTES = env.int(
    "KOFU_UPLOAD_MAX_EXPANDED_BYTES", default=200 * 1024 * 1024
)
KOFU_UPLOAD_IMAGE_MAX_PIXELS = env.int("KOFU_UPLOAD_IMAGE_MAX_PIXELS", default=50_000_000)
KOFU_UPLOAD_ZIP_MAX_ENTRIES = env.int("KOFU_UPLOAD_ZIP_MAX_ENTRIES", default=2_000)
KOFU_UPLOAD_ZIP_MAX_RATIO = env.int("KOFU_UPLOAD_ZIP_MAX_RATIO", default=200)
# A form or JSON body without its files; files above 2.5 MB go to a temporary file, never memory;
# the first handler stops keeping a file's bytes once it passes KOFU_UPLOAD_MAX_FILE_BYTES.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "core.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o640

# --- Sign-in and API tokens (issue 12) ---
# Password guessing is locked out per username + IP address (django-axes): after
# AXES_FAILURE_LIMIT wrong passwords in a row, that pair is refused — the right password too —
# until AXES_COOLOFF_TIME has passed since the last failure. The admin unlocks by deleting the
# access attempt (Admin → Axes → Access attempts) or `manage.py axes_reset_username <name>`.
INSTALLED_APPS += ["axes"]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", *AUTHENTICATION_BACKENDS]
MIDDLEWARE += ["axes.middleware.AxesMiddleware", "accounts.middleware.IdleTimeoutMiddleware"]
AXES_FAILURE_LIMIT = env.int("KOFU_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("KOFU_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = env.bool("KOFU_LOGIN_ACCESS_LOG_DISABLED", default=True)
# no start-up banner on stdout: every process (and every manage.py command) would print it
AXES_VERBOSE = False
# HTTP Basic runs the password hash on every request (~300 ms each): off unless asked for.
KOFU_API_BASIC_AUTH = env.bool("KOFU_API_BASIC_AUTH", default=False)
# API tokens: the longest and the default lifetime a user may give one.
KOFU_API_TOKEN_MAX_DAYS = env.int("KOFU_API_TOKEN_MAX_DAYS", default=365)
KOFU_API_TOKEN_DEFAULT_DAYS = env.int("KOFU_API_TOKEN_DEFAULT_DAYS", default=90)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("KOFU_PASSWORD_MIN_LENGTH", default=12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Staff-side users (staff, approver, finance, auditor, reviewer, admin) are signed out after this
# many minutes without a request; applicants keep the normal session age (SESSION_COOKIE_AGE).
KOFU_STAFF_IDLE_TIMEOUT_MINUTES = env.int("KOFU_STAFF_IDLE_TIMEOUT_MINUTES", default=30)

# --- transport security and running in production (issue 12) ---
# KOFU_HTTPS=1 where the site is reached over HTTPS: plain-HTTP requests are redirected, cookies
# are sent over HTTPS only, and browsers are told (HSTS) to use HTTPS for a year. Each setting
# can still be set on its own. Behind a TLS-terminating proxy, SECURE_PROXY_SSL_HEADER names
# the header the proxy sets (e.g. HTTP_X_FORWARDED_PROTO,https) — only if the proxy always sets
# it and strips it from clients' requests.
KOFU_HTTPS = env.bool("KOFU_HTTPS", default=False)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=KOFU_HTTPS)
# the load balancer's health probe may come over plain HTTP on the private network
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=KOFU_HTTPS)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=KOFU_HTTPS)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if KOFU_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=KOFU_HTTPS)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=KOFU_HTTPS)
_proxy_ssl_header = env.tuple("SECURE_PROXY_SSL_HEADER", default=())
SECURE_PROXY_SSL_HEADER = tuple(_proxy_ssl_header) if _proxy_ssl_header else None
USE_X_FORWARDED_HOST = env.bool("USE_X_FORWARDED_HOST", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Static files are served by the app itself through WhiteNoise (compressed, with hashed names
# cached for a year). Tests and `make run` find them in the apps' folders without collectstatic.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="core.staticfiles.StaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
WHITENOISE_AUTOREFRESH = DEBUG

# Content-Security-Policy (django-csp 4): scripts only from our own origin, so no inline script
# or event-handler attribute runs. Inline styles are allowed: viewflow's material pages and a
# few of ours set style attributes, and a style cannot run code.
from csp.constants import NONE, SELF, UNSAFE_INLINE  # noqa: E402

INSTALLED_APPS += ["csp"]
MIDDLEWARE.append("csp.middleware.CSPMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# `check --deploy` includes drf-spectacular's schema warnings; the committee's panel status is
# an enum of its own (not the review's), named here so the schema has no clashing name
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["CommitteeStatusEnum"] = (
    "screening.selectors.PanelStatus"
)

# --- Notices: delivery leases, the sweep and staff alerts (issue 12) ---
# A sender holds a claimed email for this long; unconfirmed after it, the sweep sends it again
# with the same Message-ID. Far above one SMTP conversation (EMAIL_TIMEOUT bounds each socket
# wait), far below the broker's visibility timeout.
KOFU_NOTIFICATION_LEASE_SECONDS = env.int("KOFU_NOTIFICATION_LEASE_SECONDS", default=600)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# A legally required notice still undelivered after this many failed attempts or this many
# hours is escalated to staff once: an inbox notification to every staff user, and an email to
# this address when it is set (the duty mailbox of the programme office).
KOFU_NOTICE_ALERT_AFTER_ATTEMPTS = env.int("KOFU_NOTICE_ALERT_AFTER_ATTEMPTS", default=3)
KOFU_NOTICE_ALERT_AFTER_HOURS = env.int("KOFU_NOTICE_ALERT_AFTER_HOURS", default=4)
KOFU_NOTICE_ALERT_EMAIL = env.str("KOFU_NOTICE_ALERT_EMAIL", default="")
CELERY_BEAT_SCHEDULE["notifications-sweep"] = {
    "task": "notifications.tasks.notifications_sweep",
    "schedule": 60.0,
}
# Redis redelivers an unacknowledged message (tasks are acknowledged late) or one waiting for its
# countdown after this long. It must exceed the longest task (a round's letter batch: minutes)
# and the longest retry countdown (letters back off up to 10 minutes), or a task still running or
# waiting would be delivered to a second worker; and it sits well above the notification lease,
# so a lost email is resent by the sweep after 10 minutes, not by the broker after an hour (that
# late redelivery then finds nothing to claim). RabbitMQ: set consumer_timeout in rabbitmq.conf
# to the same 3600000 ms.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}

# --- API schema: every operation documents its error responses (issue 12) ---
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "core.openapi.document_errors",
]

# --- API errors and retries (issue 12) ---
# While the database is unreachable requests answer 503 with this Retry-After (seconds).
KOFU_RETRY_AFTER_SECONDS = env.int("KOFU_RETRY_AFTER_SECONDS", default=30)
# An Idempotency-Key is remembered this long, then forgotten by the beat task below.
KOFU_IDEMPOTENCY_KEY_HOURS = env.int("KOFU_IDEMPOTENCY_KEY_HOURS", default=24)
CELERY_BEAT_SCHEDULE["idempotency-keys-expire"] = {
    "task": "core.tasks.idempotency_keys_expire_task",
    "schedule": 3600.0,
}
