"""CSE Portal settings: one module, every value from the environment.

Nothing exists only in production. With no environment at all the product runs on an
embedded default: a SQLite file under var/ and Celery tasks executed in-process.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF

from cse_portal.env import env_bool, env_int, env_list, env_required, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("CSE_VAR_DIR", str(BASE_DIR / "var")))

# --- Core -------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY") if DEBUG else env_required("SECRET_KEY")
if DEBUG and not SECRET_KEY:
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSE_DEMO = env_bool("CSE_DEMO", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "guardian",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "govuk_forms",
    "audit",
    "partnership",
    "accounts",
    "cases",
    "maog",
    "actions",
    "casework",
    "performance",
    "governance",
    "rest_framework",
    "drf_spectacular",
    "api",
    "imports",
    "demo",
]

MIDDLEWARE = [
    # First: /healthz and /readyz answer probes on 127.0.0.1 over plain HTTP, before the
    # host check and the HTTPS redirect would refuse them (cse_portal/health.py).
    "cse_portal.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before sessions, auth and every view: a NUL byte in input is a 400, never a 500.
    "partnership.nul_bytes.RefuseNulBytesMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.NoStoreForAuthenticatedMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cse_portal.urls"
# Widgets render from our templates too (the GOV.UK date input lives in templates/includes).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "cse_portal.wsgi.application"

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
                "partnership.context_processors.shell",
                "casework.context_processors.my_tasks",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cse_portal.sqlite3'}")
# Health checks: a persistent connection that died (database restarted, failover) is
# replaced at the start of the next request instead of failing it (tests/faults).
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Settings that mattered on 2 cores (see bench/): no JIT for short OLTP queries, no
    # parallel workers per web connection, and random_page_cost for SSD storage.
    DATABASES["default"]["OPTIONS"] = {
        "options": "-c jit=off -c random_page_cost=1.1 -c max_parallel_workers_per_gather=0",
    }
# A streaming replica for read-only list, chronology, dashboard and report reads (see
# cse_portal/db_router.py and docs/DATABASE_TUNING.md "Several machines"). Unset: one database.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=60, conn_health_checks=True
    )
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    # Tests use the primary's test database through this alias: no second test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    # After authentication, before django-axes (which must stay last).
    MIDDLEWARE.insert(
        MIDDLEWARE.index("axes.middleware.AxesMiddleware"),
        "cse_portal.db_router.ReplicaReadsMiddleware",
    )
DATABASE_ROUTERS = ["cse_portal.db_router.ReplicaRouter"]
# Behind PgBouncer in transaction mode a server connection is ours for one transaction only:
# no server-side cursors (QuerySet.iterator() would DECLARE one WITH HOLD), no prepared
# statements, and no startup "options" (PgBouncer refuses them; set jit and the rest on the
# database with ALTER DATABASE ... SET). See docs/DATABASE_TUNING.md "Several machines".
if env_bool("DATABASE_TRANSACTION_POOLING", default=False):
    for _database in DATABASES.values():
        _database["DISABLE_SERVER_SIDE_CURSORS"] = True
        _database["OPTIONS"] = {"prepare_threshold": None}
# After a write, the session reads from the primary this long (read-your-writes).
CSE_REPLICA_STICKY_SECONDS = env_int("CSE_REPLICA_STICKY_SECONDS", 5)
# Views whose GET reads may come from the replica: pages that only read and decide no write.
CSE_REPLICA_VIEWS = frozenset(
    {
        "cases:referral_list",
        "cases:young_person_list",
        "cases:missing_list",
        "cases:chronology",
        "performance:dashboard",
        "performance:reports",
    }
)
# A password kept apart from the URL (DATABASE_PASSWORD, or DATABASE_PASSWORD_FILE: a Compose
# secret the postgres service reads too) replaces the URL's.
if env_str("DATABASE_PASSWORD"):
    DATABASES["default"]["PASSWORD"] = env_str("DATABASE_PASSWORD")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People and sign-in -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a sign-in while its username+address is cooling off after failures.
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend whose per-request user load also reads the agency and the role names
    # (one statement instead of three on every page; accounts/backends.py).
    "accounts.backends.MemberBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Guardian: no anonymous user object, and a model-wide permission never opens every row.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Absolute limit: a session ends this long after sign-in however active it is.
CSE_SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)

# Two-factor sign-in (TOTP + hashed backup codes). Only the demo may switch it off, and the
# page shell then says so on every page.
CSE_REQUIRE_2FA = env_bool("CSE_REQUIRE_2FA", default=not CSE_DEMO)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "CSE Portal")

# Sign-in throttling (django-axes): 5 failures for one username from one address, then a
# 15-minute cool-off. Never a permanent lockout, and the same message as a wrong password.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.two_factor.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["password", "token"]

# --- Security headers (production values; relaxed only by DEBUG) -------------------------
SECURE_HTTPS = env_bool("SECURE_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = SECURE_HTTPS
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_HSTS_SECONDS = 31536000 if SECURE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# __Host- cookies: secure, path "/", no Domain, so no sibling host can plant or read them.
if SECURE_HTTPS:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SESSION_COOKIE_PATH = "/"
CSRF_COOKIE_PATH = "/"
# Content Security Policy (django-csp 4): no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]

# --- Static and private files -----------------------------------------------------------
STATIC_URL = "/static/"
# Compiled static files, apart from private files: the image collects them into a volume of
# their own on every start, so an upgrade never serves the old CSS and JS.
STATIC_ROOT = Path(env_str("CSE_STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private"), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Private storage is never served by the web server: downloads go through audited views.
PRIVATE_STORAGE_ROOT = VAR_DIR / "private"
# Case documents (casework/document_files.py) live under <root>/case-documents with random
# names: outside STATIC_ROOT and any URL, read only by the audited download view.
CSE_PRIVATE_STORAGE_ROOT = Path(env_str("CSE_PRIVATE_STORAGE_ROOT", str(VAR_DIR / "private")))

# --- Celery -----------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
# Unset broker = the embedded default: tasks run in-process, synchronously.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# With tasks in-process, a committee report (seconds of rendering) runs in a background
# thread of the web process, so "Ask for report" answers at once and the reports page shows
# its progress as it does with a worker. Off in tests, which want the render done on return.
CSE_IN_PROCESS_TASKS_IN_THREAD = CELERY_TASK_ALWAYS_EAGER
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Redis redelivers a message whose worker died (acks_late) after this many seconds. Longer
# than the longest task's hard limit (report rendering: 360 s), or a slow render would be
# handed to a second worker while the first still runs.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 900)}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE


def _beat(task: str, **when: int | str) -> dict[str, object]:
    """A Celery beat entry: run ``task`` at the crontab ``when`` (in TIME_ZONE)."""
    return {"task": task, "schedule": crontab(**when)}


CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "cases-attention-alerts": _beat("cases.tasks.attention_alerts_notify_task", hour=7, minute=0),
    # Daily; sends once a month before a period closes and once after (ReminderLog dedupes).
    "actions-plan-reminders": _beat("actions.tasks.plan_reminders_due_task", hour=7, minute=15),
    "audit-retention-review": _beat("audit.tasks.retention_review_task", hour=2, minute=30),
    # Files a rolled-back upload left in private storage (casework/documents.py).
    "casework-document-orphans": _beat(
        "casework.tasks.case_document_orphans_remove_task", hour=3, minute=10
    ),
}

# --- Cache: the rate-limit counters (partnership/lookup_limits.py) ----------------------
# With several web processes the counters must be shared: set CACHE_URL (Redis). Unset, the
# embedded default counts per process. django_ratelimit is deliberately not an installed app:
# its system check rejects the per-process cache that the embedded default uses.
CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            # Fail fast when Redis is down: lookups are then refused, pages still work.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # Template fragments (a list's filter form) stay in each process's memory: a page must
    # render with Redis down ({% cache %} would otherwise use "default").
    "template_fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
RATELIMIT_USE_CACHE = "default"

# --- Email ------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "cse-portal@localhost")
# Links in e-mails are absolute: the address people open the portal at, without a trailing
# slash (e.g. https://cse.example.gov.uk). Unset in development, the local server's.
CSE_SITE_URL = env_str("CSE_SITE_URL", "http://localhost:8000" if DEBUG else "").rstrip("/")

# --- Domain configuration ---------------------------------------------------------------
CSE_RETURN_DISCUSSION_TARGET_HOURS = env_int("CSE_RETURN_DISCUSSION_TARGET_HOURS", 72)
CSE_REPEAT_MISSING_EPISODES = env_int("CSE_REPEAT_MISSING_EPISODES", 3)
CSE_REPEAT_MISSING_DAYS = env_int("CSE_REPEAT_MISSING_DAYS", 30)
CSE_REASSESSMENT_MONTHS = env_int("CSE_REASSESSMENT_MONTHS", 3)
CSE_PERIOD_START_MONTH = env_int("CSE_PERIOD_START_MONTH", 4)
# Lead agencies write their updates for a closed period within this many days of its end
# (reminded when it closes); the committees' draft reports are rendered once it has ended.
CSE_UPDATE_WINDOW_DAYS = env_int("CSE_UPDATE_WINDOW_DAYS", 30)
# Committee reports: daily, the three drafts of the last closed period are queued once its
# update window has ended (nothing happens inside the window), and again any that is missing
# or failed (the reconciler); on-demand requests stay.
CELERY_BEAT_SCHEDULE["performance-reports-update-window-ended"] = _beat(
    "performance.tasks.reports_after_update_window_task", hour=6, minute=0
)
CELERY_BEAT_SCHEDULE["performance-reports-requeue-stalled"] = _beat(
    "performance.tasks.reports_requeue_stalled_task", minute="*/10"
)
# matplotlib (report charts) keeps its font cache here, never in $HOME.
os.environ.setdefault("MPLCONFIGDIR", str(VAR_DIR / "matplotlib"))
CSE_SUPPRESSION_THRESHOLD = env_int("CSE_SUPPRESSION_THRESHOLD", 5)
# The current period's indicators are cached this long; a closed period's are stored
# (performance/stored.py, docs/DISCLOSURE.md "Stored figures and late records").
CSE_INDICATORS_CACHE_SECONDS = env_int("CSE_INDICATORS_CACHE_SECONDS", 300)
# Lists count exactly up to this many rows, then say "more than" (an exact count of a
# large agency's 100,000 referrals costs a scan on every page, see bench/).
CSE_LIST_COUNT_CAP = env_int("CSE_LIST_COUNT_CAP", 10_000)
# Cross-agency lookups (duplicate check, search before create) per user: "count/period"
# (django-ratelimit syntax). The first lookup over it alerts the agency's managers.
CSE_LOOKUP_RATE = env_str("CSE_LOOKUP_RATE", "20/h")

# --- The REST API (api/, issue 20) ------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.SignedInWithScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursorPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON only: the browsable API would render forms and scripts outside our templates.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CSE Portal API",
    "DESCRIPTION": "Case records and the action plan, with the pages' access rules.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["api.permissions.SignedInWithScope"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"RiskLevelEnum": "cases.models.RiskLevel"},
}
# Requests per API token (or per signed-in user) per window.
CSE_API_RATE = env_str("CSE_API_RATE", "300/m")
CSE_EVIDENCE_MAX_BYTES = env_int("CSE_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
# The largest case document accepted (an upload over it is refused next to the field).
CSE_DOCUMENT_MAX_BYTES = env_int("CSE_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
# Retention (rules in each app's retention.py, audit/retention.py): when a record's review
# falls due, in years from its anchor date, and how long after review a record not on legal
# hold is disposed of.
CSE_RETENTION_REVIEW_YEARS = {
    # Young person: years after the 18th birthday.
    "cases.youngperson": env_int("CSE_RETENTION_YOUNG_PERSON_YEARS", 6),
    # Person of concern: years after the record was made.
    "maog.personofconcern": env_int("CSE_RETENTION_PERSON_OF_CONCERN_YEARS", 6),
    # Intelligence: years after it was received.
    "maog.intelligence": env_int("CSE_RETENTION_INTELLIGENCE_YEARS", 2),
}
CSE_RETENTION_GRACE_DAYS = env_int("CSE_RETENTION_GRACE_DAYS", 365)
# Records of children who were looked after are never disposed of while this is on: the
# Scottish Child Abuse Inquiry asked public bodies to preserve records of children in care.
# Turn off only on the inquiry's say-so (CSE_RETENTION_PRESERVE_LOOKED_AFTER=false).
CSE_RETENTION_PRESERVE_LOOKED_AFTER = env_bool("CSE_RETENTION_PRESERVE_LOOKED_AFTER", True)
# Unusual-access flags for the IG officer (governance/selectors.py): distinct records a user
# viewed but never worked on, and searches with no record opened after, in the period.
CSE_ACCESS_FLAG_OUTSIDE_CASELOAD = env_int("CSE_ACCESS_FLAG_OUTSIDE_CASELOAD", 25)
CSE_ACCESS_FLAG_SEARCHES = env_int("CSE_ACCESS_FLAG_SEARCHES", 10)
# Subject access reports withhold staff names unless the agency's policy is to disclose them:
# the codes of agencies whose staff names are disclosed.
CSE_SAR_STAFF_NAMES_DISCLOSED_AGENCIES = env_list("CSE_SAR_STAFF_NAMES_DISCLOSED_AGENCIES", [])

# --- Logging: no personal data in logs or error reports -------------------------------
DEFAULT_EXCEPTION_REPORTER_FILTER = "partnership.reporting.PersonalDataSafeExceptionFilter"
DEFAULT_EXCEPTION_REPORTER = "partnership.reporting.PersonalDataSafeExceptionReporter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every stylesheet step at INFO; keep operators' logs readable.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
