"""Settings from the environment; see README.md "Configuration" for every variable."""

from __future__ import annotations

import ipaddress
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
# var/ holds everything the installation writes: the SQLite file, the secret key, mail, static files.
VAR_DIR = Path(os.environ.get("HOMESTRETCH_VAR_DIR", BASE_DIR.parent / "var")).resolve()


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """The key from HOMESTRETCH_SECRET_KEY, or one generated once and kept in var/secret.key.

    Keeping it in a file means sessions survive a restart of `make run` without anybody having
    to invent a key on a fresh machine.
    """
    from_env = os.environ.get("HOMESTRETCH_SECRET_KEY")
    if from_env:
        return from_env
    key_file = VAR_DIR / "secret.key"
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key


SECRET_KEY = _secret_key()
DEBUG = _env_bool("HOMESTRETCH_DEBUG")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("HOMESTRETCH_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("HOMESTRETCH_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
# Where links start (homestretch.lib.site): unset, pages and the calendar feed use the request's own address.
SITE_URL = os.environ.get("HOMESTRETCH_SITE_URL", "")

INSTALLED_APPS = [
    "homestretch.accounts",
    "homestretch.pipeline",
    "homestretch.offers",
    "homestretch.cadence",
    "homestretch.agenda",
    "homestretch.risk",
    "homestretch.briefs",
    "homestretch.integrations",
    "homestretch.history",
    "homestretch.learning",
    "homestretch.similar",
    "homestretch.insights",
    "homestretch.mailin",
    "homestretch.spreadsheets",
    "auditlog",  # the audit trail's change tracking (homestretch.audit, AUDITLOG_ below); no table of its own
    "homestretch.audit",
    "homestretch.privacy",
    "homestretch.front",
    "homestretch.backoffice",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # the API docs page from the Swagger UI files django-ninja ships (no CDN)
    "axes",  # the sign-in throttle's tables (see AXES_ below)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "homestretch.audit.context.AuditMiddleware",  # who and from where, for the audit entries a request writes
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a paused sign-in into the page that says so; last, as axes asks
]

ROOT_URLCONF = "homestretch.urls"
WSGI_APPLICATION = "homestretch.wsgi.application"

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
            ],
        },
    },
]

DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'homestretch.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at BEGIN so
    # two writers queue on the busy timeout instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
else:
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("HOMESTRETCH_CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# axes first: a paused sign-in is refused before the password is checked (the right one included).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("HOMESTRETCH_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]  # the app's own stylesheet and scripts
STATIC_ROOT = VAR_DIR / "static"
# whitenoise warns at start-up about a missing folder; collectstatic fills it before serving.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "homestretch.lib.static_files.GzipManifestStaticFilesStorage"  # why gzip only: there
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# The largest request body read (Django's default, said here because docs/api.md and docs/operations.md
# promise it): a larger one is refused with 413 (a problem document from the API, a page from the web app).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB

# Sessions are rows in the database (Django's default, said here on purpose): every app server and every
# gunicorn process knows every signed-in user, so a proxy may send each request anywhere. Never a cache in
# process memory. Django's cache framework (per-process memory by default) holds nothing the app relies on
# (docs/operations.md, Several app servers).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("HOMESTRETCH_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_FAILURE_VIEW = "homestretch.front.errors.csrf_failure"  # the app's 403 page (issue 17, item 4)
X_FRAME_OPTIONS = "DENY"

# E-mail: nothing leaves the machine until SMTP is configured; until then messages are written
# as files under var/mail so they can be read.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Homestretch <homestretch@localhost>")
# Seconds any one step of an SMTP conversation may take. Without it a stalled mail server holds a digest
# for as long as it likes; the outbox's claim lease (15 minutes, integrations.models.CLAIM_LEASE) is
# far longer than any send bounded by this (a system check says so when it is not).
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "20"))

# Mail in (homestretch.mailin, docs/mail-in.md): the addresses the SMTP drop accepts mail for (comma-separated;
# none: any recipient, for a drop behind a mail server that routes only those), and the authserv-id of the
# installation's own mail server, whose Authentication-Results header must say the sender passed DMARC (else
# DKIM) before a message makes a touch (none: senders are not checked).
MAILIN_ADDRESSES = [
    a.strip().lower() for a in os.environ.get("HOMESTRETCH_MAILIN_ADDRESSES", "").split(",") if a.strip()
]
MAILIN_AUTHSERV_ID = os.environ.get("HOMESTRETCH_MAILIN_AUTHSERV_ID", "").strip()

# Data rights (homestretch.privacy, docs/data-rights.md): candidates with no open application and no activity
# for this many months are erased by `homestretch worker` (and listed by `homestretch retention --dry-run`).
def _retention_months() -> int:
    value = os.environ.get("HOMESTRETCH_RETENTION_MONTHS", "24").strip()
    if not value.isdigit() or not 1 <= int(value) <= 1200:
        raise ImproperlyConfigured(
            f"HOMESTRETCH_RETENTION_MONTHS must be a whole number of months from 1 to 1200, not {value!r}.")
    return int(value)


RETENTION_MONTHS = _retention_months()

# The days the organisation works, e.g. HOMESTRETCH_WORKING_DAYS=mon,tue,wed,thu,fri,sat. A risk snapshot
# computed on one carries the values of the next (homestretch.risk.snapshots, The next day), so that the first
# view of the next working day, a Monday's too, recomputes only what changed since. A view on another day works
# the same, only slower.
# Each day's names, short and full, to its number as date.weekday() gives it (Monday 0).
_WEEKDAYS = {name: number for number, names in enumerate((
    ("mon", "monday"), ("tue", "tuesday"), ("wed", "wednesday"), ("thu", "thursday"), ("fri", "friday"),
    ("sat", "saturday"), ("sun", "sunday"))) for name in names}


def _working_days() -> frozenset[int]:
    value = os.environ.get("HOMESTRETCH_WORKING_DAYS", "mon,tue,wed,thu,fri")
    days = [_WEEKDAYS.get(name.strip().lower()) for name in value.split(",") if name.strip()]
    if not days or None in days:
        raise ImproperlyConfigured(
            f"HOMESTRETCH_WORKING_DAYS must name days of the week, such as mon,tue,wed,thu,fri; not {value!r}.")
    return frozenset(day for day in days if day is not None)


WORKING_DAYS = _working_days()

# The team chat webhook reaches https:// URLs on public internet addresses only (homestretch.integrations.outbound).
# For a chat server on this machine or the local network (testing, an internal Mattermost): plain http://,
# and the networks allowed although not public, e.g. HOMESTRETCH_WEBHOOK_ALLOWED_NETWORKS=10.1.2.0/24.
WEBHOOK_ALLOW_HTTP = _env_bool("HOMESTRETCH_WEBHOOK_ALLOW_HTTP")
WEBHOOK_ALLOWED_NETWORKS = [
    str(ipaddress.ip_network(n.strip(), strict=False))  # a typo stops the start, not a send
    for n in os.environ.get("HOMESTRETCH_WEBHOOK_ALLOWED_NETWORKS", "").split(",") if n.strip()
]

# The sign-in throttle (django-axes; the rules in homestretch.accounts.sign_in_throttle, the numbers here):
# 5 failed sign-ins for one account, or 20 from one address, pause sign-in there for 15 minutes, the right
# password included. Failures are rows in the database, so every app server and worker process counts the
# same ones. The API takes bearer tokens, never a password: nothing there to throttle.
AXES_HANDLER = "homestretch.accounts.sign_in_throttle.SignInThrottle"  # axes' database handler, two limits
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # counted per account and, apart, per address
AXES_FAILURE_LIMIT = 5  # for one account (the address's 20 is SIGN_IN_ADDRESS_FAILURE_LIMIT)
SIGN_IN_ADDRESS_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a pause ends 15 minutes after the failure that set it
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form's field (it holds the e-mail)
AXES_USERNAME_CALLABLE = "homestretch.accounts.sign_in_throttle.account_typed"
AXES_CLIENT_IP_CALLABLE = "homestretch.accounts.sign_in_throttle.address_counted"
AXES_CLIENT_STR_CALLABLE = "homestretch.accounts.sign_in_throttle.described_for_the_log"
AXES_LOCKOUT_CALLABLE = "homestretch.accounts.views.sign_in_paused"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure kept, for admins (the counters go after 15 minutes)
AXES_ENABLE_ADMIN = False  # the back office shows them its own way (homestretch.backoffice.sign_in)
# The audit trail (homestretch.audit, docs/data-rights.md): auditlog's tracking, into our own entry table
# (with the kind, the candidate concerned and who acted when no user did); changes stored as JSON values
# (true/false, numbers as text), not as Python reprs.
AUDITLOG_LOGENTRY_MODEL = "audit.Entry"
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_DISABLE_REMOTE_ADDR = True  # auditlog's own middleware is not used: the address is client_address's
# auditlog's migrations create its own entry table whatever the model it is swapped for; that table would
# reference users and content types without being a model of the project, and PostgreSQL's flush (the
# benchmarks', the transactional tests') refuses to truncate what it references. Its models need no table.
MIGRATION_MODULES = {"auditlog": None}
# Reverse proxies whose X-Forwarded-For is believed (homestretch.lib.client_address), e.g. 127.0.0.1 for
# a proxy on this machine. None by default: the address is the connection's, and the header is ignored.
TRUSTED_PROXIES = [
    str(ipaddress.ip_network(n.strip(), strict=False))
    for n in os.environ.get("HOMESTRETCH_TRUSTED_PROXIES", "").split(",") if n.strip()
]

# Logs carry ids and counts, never candidates' names, e-mails or notes (personal data), nor a secret
# that came with a request: a calendar feed's token is its path, an API token may come in a URL
# (homestretch.lib.logs). The filter sits on the loggers that print request paths, so that every
# handler gets the redacted line, and on the console for whatever else may carry one.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "homestretch.lib.logs.RedactSecrets"},
                "refusals_in_one_line": {"()": "homestretch.lib.logs.RefusalsInOneLine"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}",
                          "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_secrets"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},  # as Django has it
    },
    "root": {"handlers": ["console"], "level": os.environ.get("HOMESTRETCH_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # "Not Found: /calendar/<token>.ics"; a 403 as one line with its reason, no traceback.
        "django.request": {"filters": ["redact_secrets", "refusals_in_one_line"]},
        # runserver's request lines, printed as Django prints them by default.
        "django.server": {"filters": ["redact_secrets"], "handlers": ["django.server"], "level": "INFO",
                          "propagate": False},
    },
}
