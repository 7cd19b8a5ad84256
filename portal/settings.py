"""Settings for the coordinated 5G risk reporting portal.

One module, driven by the environment (see the configuration table of docs/operations.md).
With DEBUG off nothing insecure is assumed: a missing SECRET_KEY or
ALLOWED_HOSTS stops the process at start-up instead of serving with a default.
"""

import secrets
import sys
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

from portal.lib.env import env_bool, env_int, env_list, env_required, env_str, object_storages

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
DEVELOPMENT_KEY = "development-only-key-never-used-with-debug-off"
# manage.py commands that serve nothing (migrate, makemigrations --check, seed_demo...) may run without a
# deployment's secret: they get a throwaway one. Serving (runserver, gunicorn, Celery) never does.
_COMMAND = sys.argv[1] if len(sys.argv) > 1 and sys.argv[0].endswith("manage.py") else None
_SERVES = _COMMAND is None or _COMMAND in {"runserver", "runserver_plus", "testserver", "shell", "shell_plus"}

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_KEY)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
elif not _SERVES and not env_str("SECRET_KEY"):
    SECRET_KEY = secrets.token_urlsafe(50)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
else:
    SECRET_KEY = env_required("SECRET_KEY", "with DEBUG off the portal refuses to start without a secret key.")
    if len(SECRET_KEY) < 50 or SECRET_KEY == DEVELOPMENT_KEY or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "SECRET_KEY is too short or a known default: with DEBUG off it must be at least 50 random characters "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))').")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        env_required("ALLOWED_HOSTS", "with DEBUG off list the host names the portal answers to, comma-separated.")

SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "parler",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "auditlog",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "portal",
    "assessments",
    "reporting",
]

MIDDLEWARE = [
    # First: whatever below fails because the database did not answer becomes the "temporarily unavailable" page.
    "portal.unavailable.UnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.security.RequestSizeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.languages.UserLanguageMiddleware",
    "portal.security.IdleTimeoutMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.security.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.audit.AuditMiddleware",
    # A draft write that met a lock taken a moment before answers 423, never 500 (the app's own refusal).
    "assessments.middleware.LockedDraftMiddleware",
    # A file storage that does not answer gives 503 and a clear message, never 500 (portal/unavailable.py).
    "portal.unavailable.StorageUnavailableMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.security.session_context",
                "portal.context_processors.site",
            ],
        },
    },
    # Plain text (the text part and subject of every email): the same templates, with no HTML escaping, so that
    # "O'Brien" and "<" reach the reader as typed (portal/lib/mail.py `render_text`).
    {
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# A cache shared by every web worker: allauth's rate limits and sessions live in it. Redis, else in-process.
CACHE_URL = env_str("CACHE_URL", "")
# A Redis that is down or silent is read as an empty cache (portal/lib/cache.py): a call waits at most a second, and
# after a failure the cache is left alone for CACHE_RETRY_SECONDS.
CACHES = {"default": {"BACKEND": "portal.lib.cache.RedisCache", "LOCATION": CACHE_URL,
                      "TIMEOUT": 300, "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}
          if CACHE_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CACHE_RETRY_SECONDS = env_int("CACHE_RETRY_SECONDS", 5)
# Sessions read from the cache, written through to the database (which keeps them if the cache is lost, and serves
# them alone while it is down).
SESSION_ENGINE = ("django.contrib.sessions.backends.cached_db" if CACHE_URL
                  else "django.contrib.sessions.backends.db")

# SQLite is the embedded default so that `make run` needs nothing installed;
# tests and production set DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Kept open between requests (a new PostgreSQL connection costs more than most pages), checked before reuse.
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A database that stops answering must not hold a request for ever (docs/operations.md, "When a dependency fails"):
# connecting gives up after DB_CONNECT_TIMEOUT seconds (libpq counts whole seconds, at least 2), a statement after
# DB_STATEMENT_TIMEOUT (PostgreSQL ends it; 0 for none), and a request still running after REQUEST_TIMEOUT has its
# database connection cut (portal/unavailable.py), for a server that answers nothing at all. Each ends with the
# "temporarily unavailable" page (503). Commands that serve nothing (migrate, seed_demo) and the Celery worker's
# builds keep no statement timeout: the tasks' own time limits bound them.
DB_CONNECT_TIMEOUT = env_int("DB_CONNECT_TIMEOUT", 3)
DB_STATEMENT_TIMEOUT = env_int("DB_STATEMENT_TIMEOUT", 10)
REQUEST_TIMEOUT = env_int("REQUEST_TIMEOUT", 20)
DEFAULT_EXCEPTION_REPORTER = "portal.unavailable.ExceptionReporter"  # DEBUG's page, but that one (see its module)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("connect_timeout", max(2, DB_CONNECT_TIMEOUT))
    if DB_STATEMENT_TIMEOUT and _SERVES:
        _timeout = f"-c statement_timeout={DB_STATEMENT_TIMEOUT * 1000}"
        _options["options"] = f"{_options.get('options', '')} {_timeout}".strip()

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "portal.backends.RoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# Sign-in, password reset and the second factor: django-allauth (see docs/security.md).
ACCOUNT_ADAPTER = "portal.accounts.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]  # signup itself is closed (adapter)
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PREVENT_ENUMERATION = "strict"  # the same answer for known and unknown users, everywhere
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # and no mail to an address nobody has (the page says the same)
ACCOUNT_SESSION_REMEMBER = False  # a session ends with the browser
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = "portal.accounts.ResetTokenGenerator"
# allauth's own limits, in the cache: password reset requests, password changes, sign-in requests per address. Not
# failed sign-ins: allauth counts those per user name and per address alone, so anyone could lock a name out from
# everywhere, or everyone behind one address; the portal counts them itself (portal/throttling.py).
ACCOUNT_RATE_LIMITS = {"login_failed": "", "reset_password": "20/m/ip,3/900s/key",
                       "reset_password_from_key": "20/m/ip", "change_password": "5/m/user", "login": "30/m/ip",
                       "reauthenticate": "10/m/user"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[5G risk reporting] "
ACCOUNT_EMAIL_NOTIFICATIONS = True  # the owner is told when their password or second factors change
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
# The code is asked only when the sign-in's rule lets the attempt be checked (portal/throttling.py).
MFA_FORMS = {"authenticate": "portal.forms.SecondFactorForm", "reauthenticate": "portal.forms.SecondFactorAgainForm"}
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_ALLOW_UNVERIFIED_EMAIL = True  # accounts are made by admins and lead reporters, never by self-signup
MFA_TOTP_ISSUER = "5G risk reporting portal"
# A code typed as the authenticator turns over to the next one (or read off a phone whose clock is a few seconds
# off) is still taken: the 30-second steps before and after the current one count too, each code once (allauth
# marks a code used). Without it, a code typed in a step's last second is refused.
MFA_TOTP_TOLERANCE = 1
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Who must use a second factor: reviewers, admins and lead reporters always; reporters when this is on.
MFA_REQUIRED_FOR_ALL = env_bool("MFA_REQUIRED_FOR_ALL", False)
# `make run` only: the demo accounts' second factor accepts this code. allauth refuses to start with it and DEBUG off.
MFA_TOTP_INSECURE_BYPASS_CODE = (env_str("DEMO_SECOND_FACTOR_CODE", "") or None) if DEBUG else None

# Sign in with EU Login, the Commission's OpenID provider (portal/eulogin/; docs/security.md). Off unless
# EU_LOGIN_ISSUER is set: `make run` and the demo keep local passwords. Accounts are never made by signing in.
EU_LOGIN_ISSUER = env_str("EU_LOGIN_ISSUER", "")  # https://ecas.ec.europa.eu/cas/oauth2 (acceptance: ecas.acceptance)
EU_LOGIN_CLIENT_ID = env_str("EU_LOGIN_CLIENT_ID", "")
EU_LOGIN_CLIENT_SECRET = env_str("EU_LOGIN_CLIENT_SECRET", "")
EU_LOGIN_AUTH_METHOD = env_str("EU_LOGIN_AUTH_METHOD", "client_secret_jwt")
EU_LOGIN_SCOPES = env_list("EU_LOGIN_SCOPES") or ["openid", "email", "profile"]
# The `acr` values that mean a second factor at EU Login: they stand for the portal's own second factor.
EU_LOGIN_TWO_FACTOR_ACR = env_list("EU_LOGIN_TWO_FACTOR_ACR") or [
    "https://ecas.ec.europa.eu/loa/medium", "https://ecas.ec.europa.eu/loa/high"]
# EU Login's levels of assurance, lowest first, and the lowest the portal accepts (empty: any). A sign-in below it, or
# whose `acr` is none of these, is refused with the reason (portal/eulogin/factor.py).
EU_LOGIN_ACR_ORDER = env_list("EU_LOGIN_ACR_ORDER") or [
    "https://ecas.ec.europa.eu/loa/low", "https://ecas.ec.europa.eu/loa/medium", "https://ecas.ec.europa.eu/loa/high"]
EU_LOGIN_MINIMUM_ACR = env_str("EU_LOGIN_MINIMUM_ACR", "")
if EU_LOGIN_MINIMUM_ACR and EU_LOGIN_MINIMUM_ACR not in EU_LOGIN_ACR_ORDER:
    raise ImproperlyConfigured(f"EU_LOGIN_MINIMUM_ACR must be one of EU_LOGIN_ACR_ORDER: {EU_LOGIN_ACR_ORDER}.")
if EU_LOGIN_ISSUER and not (EU_LOGIN_CLIENT_ID and EU_LOGIN_CLIENT_SECRET):
    raise ImproperlyConfigured("EU_LOGIN_ISSUER is set: EU_LOGIN_CLIENT_ID and EU_LOGIN_CLIENT_SECRET are needed too.")
if EU_LOGIN_AUTH_METHOD not in ("client_secret_jwt", "client_secret_basic"):
    raise ImproperlyConfigured("EU_LOGIN_AUTH_METHOD must be client_secret_jwt or client_secret_basic.")
# Once EU Login is on: staff sign in with it only; admins keep their password and second factor (break-glass).
EU_LOGIN_ADMIN_PASSWORDS_ONLY = env_bool("EU_LOGIN_ADMIN_PASSWORDS_ONLY", False)
SOCIALACCOUNT_ADAPTER = "portal.eulogin.provisioning.EULoginAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # the portal links by e-mail itself, once, and then by subject
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {
    "provider_class": "portal.eulogin.client.EULoginProvider",
    "OAUTH_PKCE_ENABLED": True,
    "APPS": [{"provider_id": "eulogin", "name": "EU Login", "client_id": EU_LOGIN_CLIENT_ID,
              "secret": EU_LOGIN_CLIENT_SECRET, "settings": {
                  "server_url": EU_LOGIN_ISSUER, "token_auth_method": EU_LOGIN_AUTH_METHOD, "fetch_userinfo": False,
                  "scope": EU_LOGIN_SCOPES}}] if EU_LOGIN_ISSUER else [],
}}

# Throttling and lockout, protecting without locking people out (portal/throttling.py; docs/security.md).
# django-axes counts failed passwords and second-factor codes per (user name, address) pair, in the database: that
# many lock the name at that address only.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_VERBOSE = False
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "portal.throttling.SignInHandler"
AXES_USERNAME_CALLABLE = "portal.accounts.attempted_username"
AXES_LOCKOUT_CALLABLE = "portal.accounts.locked_out"
AXES_RESET_ON_SUCCESS = True  # the pair's failures; a name's episode goes on
# An attempt refused unchecked counts nowhere (it would otherwise push the lock further at each try).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A user name failing this often from addresses other than its holder's usual ones, or an address failing for this
# many user names within AXES_COOLOFF_MINUTES, is slowed down: each next attempt waits, from the first wait doubling
# with each failure up to the longest. The holder of a slowed name is emailed once per episode; an episode ends after
# SIGN_IN_EPISODE_MINUTES without a failure (longer than the longest wait, so that waiting does not end it).
SIGN_IN_SLOWDOWN_AFTER = env_int("SIGN_IN_SLOWDOWN_AFTER", 5)
SIGN_IN_SPRAY_NAMES = env_int("SIGN_IN_SPRAY_NAMES", 10)
SIGN_IN_FIRST_WAIT_SECONDS = env_int("SIGN_IN_FIRST_WAIT_SECONDS", 2)
SIGN_IN_MAX_WAIT_SECONDS = env_int("SIGN_IN_MAX_WAIT_SECONDS", 600)
SIGN_IN_EPISODE_MINUTES = env_int("SIGN_IN_EPISODE_MINUTES", 60)
# From the addresses of a user's latest sign-ins, this many, only that pair's own failures count: a correct password
# and second factor always get in, whatever is tried elsewhere.
SIGN_IN_USUAL_ADDRESSES = env_int("SIGN_IN_USUAL_ADDRESSES", 3)
if SIGN_IN_EPISODE_MINUTES * 60 <= SIGN_IN_MAX_WAIT_SECONDS:
    raise ImproperlyConfigured("SIGN_IN_EPISODE_MINUTES must be longer than SIGN_IN_MAX_WAIT_SECONDS: an attacker "
                               "waiting out the longest wait would start a new episode, with no wait at all.")
# Where a request came from (lockouts, rate limits, the audit trail): REMOTE_ADDR, or with PROXY_COUNT reverse
# proxies in front that append to X-Forwarded-For, the address the outermost of them saw (portal/accounts.py).
PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "portal.accounts.client_address"
ALLAUTH_TRUSTED_PROXY_COUNT = PROXY_COUNT

# The phase-out tracker (assessments/models/phase_out.py; docs/phase-out.md): a removal with no planned date counts
# as at risk from this many months before its 36-month deadline; before that, as on track.
PHASE_OUT_PLAN_DUE_MONTHS = env_int("PHASE_OUT_PLAN_DUE_MONTHS", 12)

# The audit trail (django-auditlog): who changed what, when, from where; see portal/audit.py.
AUDITLOG_INCLUDE_TRACKING_MODELS = ()
AUDITLOG_DISABLE_REMOTE_ADDR = False
AUDITLOG_USE_FK_STRING_REPRESENTATION = True  # "Austria", not "3", in the Activity page

LANGUAGE_CODE = "en"
# The 24 official languages of the EU. A language is offered once its catalogue exists (locale/<code>/LC_MESSAGES/
# django.po, compiled to django.mo): adding Italian is adding that file. English is the source, always offered.
OFFICIAL_LANGUAGES = ["bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it", "lt", "lv",
                      "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv"]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [(code, LANG_INFO[code]["name_local"]) for code in OFFICIAL_LANGUAGES
             if code == "en" or (LOCALE_PATHS[0] / code / "LC_MESSAGES" / "django.mo").exists()]
# The catalogue's and the member states' own texts (django-parler, portal/lib/translated.py): the admin offers a
# tab for each language the portal speaks; an entry without a text in the reader's language is shown in English.
PARLER_DEFAULT_LANGUAGE_CODE = "en"
PARLER_LANGUAGES = {None: tuple({"code": code} for code, _name in LANGUAGES),
                    "default": {"fallbacks": ["en"], "hide_untranslated": False}}
FORMAT_MODULE_PATH = ["portal.formats"]
USE_I18N = True
# Deadlines are "by 15 July" in Brussels: every due time is stored aware and
# shown in Brussels time unless a page says otherwise.
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded attachments live outside static/ and are only ever served through
# a view that checks permissions (MEDIA_URL is deliberately not routed).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Exports of reviews and comparisons, stored by their SHA-256 (portal/lib/storage.py), served only through a view
# that checks who asks, like attachments.
EXPORT_ROOT = Path(env_str("EXPORT_ROOT", str(MEDIA_ROOT / "exports")))
# Attachments and exports (portal/lib/storage.py): local files under MEDIA_ROOT and EXPORT_ROOT by default; with
# STORAGE_URL, an S3-compatible bucket, which every web node and worker shares (docs/operations.md):
#   https://KEY:SECRET@s3.example.org/BUCKET  an S3-compatible server (SeaweedFS, Ceph, Garage, a cloud's)
#   s3://BUCKET                               AWS S3, credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the
#                                             instance's role; the region from AWS_S3_REGION_NAME
STORAGE_URL = env_str("STORAGE_URL", "").strip()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    **object_storages(STORAGE_URL, region=env_str("AWS_S3_REGION_NAME", "us-east-1")),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# A published review hides every figure computed over fewer member states than this from authority staff,
# so that no member state can read another's answer out of an aggregate (reviewers see everything).
REVIEW_MIN_GROUP_SIZE = env_int("REVIEW_MIN_GROUP_SIZE", 3)

# The virus scan of attachments (assessments/files/scanning.py): "" for none, "command:<program> {path}" (exit 0 clean,
# 1 infected) or "clamd:<unix socket path>". A scanner that fails or times out refuses the file.
ATTACHMENT_SCANNER = env_str("ATTACHMENT_SCANNER", "").strip()
if ATTACHMENT_SCANNER and not ATTACHMENT_SCANNER.startswith(("command:", "clamd:")):
    raise ImproperlyConfigured(
        f'ATTACHMENT_SCANNER must be empty, "command:<program> {{path}}" or "clamd:<socket path>"; '
        f"got {ATTACHMENT_SCANNER!r}.")
# Seconds; below REQUEST_TIMEOUT (and so gunicorn's 30-second limit), so that a scanner that hangs gets the clear
# message, not a 503 or a 502.
ATTACHMENT_SCANNER_TIMEOUT = env_int("ATTACHMENT_SCANNER_TIMEOUT", 15)
if not DB_STATEMENT_TIMEOUT < REQUEST_TIMEOUT or not ATTACHMENT_SCANNER_TIMEOUT < REQUEST_TIMEOUT:
    raise ImproperlyConfigured(
        f"REQUEST_TIMEOUT ({REQUEST_TIMEOUT}) must be longer than DB_STATEMENT_TIMEOUT ({DB_STATEMENT_TIMEOUT}) and "
        f"ATTACHMENT_SCANNER_TIMEOUT ({ATTACHMENT_SCANNER_TIMEOUT}): a request waiting for either would be cut first.")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery. With no broker configured, tasks run in-process (the embedded
# default of `make run`); with CELERY_BROKER_URL set they go through it.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
# No task result is ever read: a review's outcome is its database row. Without a result backend, publishing is one
# write to the broker; with Redis as the backend, every publish also subscribed to the result first, and with the
# broker down that subscription retried 20 times, a second apart, inside the submission's request (19 s measured).
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "") or None
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "portal")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker or beat that lost the broker retries for as long as the outage lasts (Celery's default gives up after 100
# attempts, about 45 minutes, and the process exits; under honcho, the whole stack with it).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A dead broker must not hang a request: publishing makes one connection attempt of at most a second and never
# retries it (kombu would sleep 2 s before a second attempt); the database row is the record, the sweep sends it
# later. A worker and beat reconnect on their own terms (broker_connection_max_retries), unaffected by max_retries.
# socket_timeout bounds a broker that accepts and never answers; it must stay above the worker's 1 s BRPOP.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1, "socket_timeout": 5, "max_retries": 0,
    # Redis hands an unacknowledged message to another worker after this long. It must outlast the longest a message
    # stays unacknowledged while its worker lives (a retry's countdown, at most 300 s, then a build, at most the time
    # limit), or a live build would be handed out twice. A killed worker's review does not wait for it: the sweep.
    "visibility_timeout": 2 * CELERY_TASK_TIME_LIMIT + 60,
}
CELERY_TIMEZONE = TIME_ZONE

# The coordinated review's recovery (reporting/claims.py). A build marks its review alive every
# REVIEW_HEARTBEAT_SECONDS; the sweep, every REVIEW_SWEEP_SECONDS, queues again a running review silent for
# REVIEW_ABANDONED_AFTER_SECONDS. So a killed worker's review is handed over at most abandoned-after + sweep
# seconds (25 s) after its last heartbeat, whatever the build's length, and built as soon as a worker takes it.
REVIEW_HEARTBEAT_SECONDS = env_int("REVIEW_HEARTBEAT_SECONDS", 5)
REVIEW_ABANDONED_AFTER_SECONDS = env_int("REVIEW_ABANDONED_AFTER_SECONDS", 20)
REVIEW_SWEEP_SECONDS = env_int("REVIEW_SWEEP_SECONDS", 5)
if REVIEW_HEARTBEAT_SECONDS < 1 or REVIEW_ABANDONED_AFTER_SECONDS < 3 * REVIEW_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured(
        f"REVIEW_ABANDONED_AFTER_SECONDS ({REVIEW_ABANDONED_AFTER_SECONDS}) must be at least three heartbeats "
        f"(REVIEW_HEARTBEAT_SECONDS={REVIEW_HEARTBEAT_SECONDS}, at least 1): a build whose database answers a little "
        f"late would otherwise lose its claim while it works.")
if REVIEW_SWEEP_SECONDS < 1:
    raise ImproperlyConfigured(f"REVIEW_SWEEP_SECONDS must be at least 1; got {REVIEW_SWEEP_SECONDS}.")
# Fault drills only: a build waits this many seconds after claiming its review, so that a drill (or a test) can kill
# its worker mid-build. 0, never, unless set.
REVIEW_BUILD_PAUSE_SECONDS = env_int("REVIEW_BUILD_PAUSE_SECONDS", 0)
# Exports are jobs with the same claim, heartbeat and sweep (reporting/claims.py). A review PDF of more member states
# than this leaves the tables with one row per member state out (they stay in the XLSX), so that its size, time and
# memory stay bounded; the charts stay complete.
EXPORT_PDF_MEMBER_STATE_LIMIT = env_int("EXPORT_PDF_MEMBER_STATE_LIMIT", 40)
if EXPORT_PDF_MEMBER_STATE_LIMIT < 0:
    raise ImproperlyConfigured(f"EXPORT_PDF_MEMBER_STATE_LIMIT must be 0 or more; got {EXPORT_PDF_MEMBER_STATE_LIMIT}.")
# Fault drills only: an export waits this many seconds after its first step, so that a drill can kill it mid-render.
EXPORT_BUILD_PAUSE_SECONDS = env_int("EXPORT_BUILD_PAUSE_SECONDS", 0)

# Hourly: the notification ledger makes every run after the day's first send nothing new,
# and a run missed (worker down) is caught up by the next.
CELERY_BEAT_SCHEDULE = {
    "send-reminders": {"task": "assessments.send_reminders", "schedule": crontab(minute=5)},
    # Reviews requested while the broker was down, and reviews whose worker died mid-build, are handed over again.
    "sweep-reviews": {"task": "reporting.sweep_reviews", "schedule": float(REVIEW_SWEEP_SECONDS)},
    # The same for exports asked while the broker was down or left by a worker that died mid-render.
    "sweep-exports": {"task": "reporting.sweep_exports", "schedule": float(REVIEW_SWEEP_SECONDS)},
}
# A notification claimed this long ago and never marked sent is "uncertain" (portal/models/notifications.py):
# its run crashed, the email may or may not have left, and admins decide. Longer than a run can last, so that
# a claim still being sent is never shown as one.
NOTIFICATION_UNCERTAIN_AFTER_MINUTES = env_int("NOTIFICATION_UNCERTAIN_AFTER_MINUTES", 15)
if NOTIFICATION_UNCERTAIN_AFTER_MINUTES * 60 <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        f"NOTIFICATION_UNCERTAIN_AFTER_MINUTES ({NOTIFICATION_UNCERTAIN_AFTER_MINUTES}) must be longer than a task "
        f"may run (CELERY_TASK_TIME_LIMIT, {CELERY_TASK_TIME_LIMIT} seconds): a claim still being sent would be "
        "shown to admins as uncertain.")

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds a mail server may take to answer: one that never does fails the send (the reminder's claim is released
# for the next run) instead of holding a worker, or a page that sends mail, until it is killed.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# Where django.core.mail.backends.filebased.EmailBackend writes, when EMAIL_BACKEND names it (a staging without SMTP).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "5G risk reporting portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people write about the portal's accessibility (the statement and every footer link to it).
ACCESSIBILITY_CONTACT = env_str("ACCESSIBILITY_CONTACT", "accessibility@localhost")

# Production hardening: on whenever DEBUG is off, so that `check --deploy`
# has nothing to report. SECURE_SSL_REDIRECT can be turned off behind a
# proxy that already redirects.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)  # the longest a session lives, however active
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Signed out after this long without a request; the page warns two minutes before (static/js/session.js).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)

# Request bodies: refused before they are read when larger than the page they go to accepts
# (portal/security.py); Django's own limits for what it reads into memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB of form fields
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files go to a temporary file, never whole into memory
# A little above what the forms accept (20 MB attachments, 5 MB workbooks): a file just over the limit gets the
# form's message beside the field; anything far larger is refused before a byte is read.
REQUEST_BODY_LIMITS = {"attachments": 21 * 1024 * 1024, "workbook": 6 * 1024 * 1024, "default": 3 * 1024 * 1024}
X_FRAME_OPTIONS = "DENY"

# The API (/api/v1/, docs/api.md): personal tokens only (no session: a page's cookie never writes through it), the
# same gates and fetchers as the pages, problem+json errors, cursor pagination, JSON in and out.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["portal.api.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["portal.api.auth.Gate", "portal.api.auth.TokenScopeAllows"],
    "DEFAULT_THROTTLE_CLASSES": ["portal.api.auth.PerTokenThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "portal.api.errors.Cursor",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "portal.api.errors.problem_response",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Requests per minute per token, counted in the cache; a script that delivers a whole assessment needs about 20.
API_RATE_PER_MINUTE = env_int("API_RATE_PER_MINUTE", 240)
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365)
SPECTACULAR_SETTINGS = {
    "TITLE": "Coordinated 5G risk reporting portal API",
    "DESCRIPTION": ("National authorities deliver their assessment from their own tools; reviewers read the "
                    "submitted versions. Send `Authorization: Bearer <token>` with a personal token made on "
                    "your account page. Errors are application/problem+json."),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # The documentation page's scripts and styles come from the portal's own static files (no CDN: see the CSP).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for the handling markings wherever a field carries one (a draft's, a version's, a publication's).
    "ENUM_NAME_OVERRIDES": {"Marking": "portal.markings.Marking.choices"},
}
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain http
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    if env_bool("SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# What is rendered from immutable inputs (a done review's figures, a comparison of submitted versions) is kept this
# long (portal/lib/fragments.py); 0 renders everything afresh (bench/pages.py measures both).
RENDERED_CACHE_SECONDS = env_int("RENDERED_CACHE_SECONDS", 24 * 3600)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # In-process tasks would log a line each (seed_demo, make run); a worker keeps them.
    # django-axes logs every sign-in at INFO; the audit trail keeps them (portal/audit.py), the log only problems.
    # WeasyPrint says each step of each page of each PDF at INFO; its problems (a stylesheet not found) are warnings.
    "loggers": {"celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
                "axes": {"level": "WARNING"}, "weasyprint.progress": {"level": "WARNING"}},
}
