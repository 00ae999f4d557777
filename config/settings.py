"""Kofu settings. Everything that differs between machines comes from the environment."""

import os
from pathlib import Path
from tempfile import gettempdir

import environ
from celery.schedules import crontab
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# A development key is generated per process unless SECRET_KEY is set; production must set it.
SECRET_KEY = env.str("SECRET_KEY", default="") or get_random_secret_key()
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
    "rest_framework",
    "drf_spectacular",
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
    "history",
    "traces",
    "kpis",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
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
            ]
        },
    }
]

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
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Tokyo"  # shown to people; the database stores UTC

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="127.0.0.1")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="kofu@example.jp")
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
        "rest_framework.authentication.BasicAuthentication",
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
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

# --- API errors and retries (issue 12) ---
# While the database is unreachable requests answer 503 with this Retry-After (seconds).
KOFU_RETRY_AFTER_SECONDS = env.int("KOFU_RETRY_AFTER_SECONDS", default=30)
# An Idempotency-Key is remembered this long, then forgotten by the beat task below.
KOFU_IDEMPOTENCY_KEY_HOURS = env.int("KOFU_IDEMPOTENCY_KEY_HOURS", default=24)
CELERY_BEAT_SCHEDULE["idempotency-keys-expire"] = {
    "task": "core.tasks.idempotency_keys_expire_task",
    "schedule": 3600.0,
}
