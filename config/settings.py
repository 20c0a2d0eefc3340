"""Roundtable settings: one file, driven by environment variables (see .env.example).

Defaults make a fresh clone run: SQLite, Celery tasks executed in-process, email printed to the console.
"""

import re
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be development, test or production, not {DJANGO_ENV!r}"
    )
PRODUCTION = DJANGO_ENV == "production"

_DEV_SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY)
if PRODUCTION and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production."
    )

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["*"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names in production.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = "Roundtable"

INSTALLED_APPS = [
    "community.admin_site.RoundtableAdminConfig",  # django.contrib.admin, with our site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "community",
    "circles",
    "mentoring",
    "content",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "community.middleware.ViewerTimezoneMiddleware",
    "community.middleware.OrganizerTwoFactorMiddleware",
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
                "community.context_processors.roles",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A transaction takes SQLite's write lock when it begins, so a service's check-then-insert
    # (no double booking) runs one at a time; PostgreSQL has exclusion constraints for that.
    # https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-transaction-behavior
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "community.User"
# allauth's email login (it extends Django's ModelBackend, so permissions work as usual).
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: https://docs.allauth.org/en/latest/account/configuration.html
ACCOUNT_ADAPTER = "community.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Following the link in the browser that signed up signs the person in and carries on to where they
# were going (the sign-up's `next`); a link opened anywhere else only confirms the address.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_SIGNUP_REDIRECT_URL = "application_status"  # without a `next`: on to the application
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# A password reset for an unknown address shows the same page but emails nobody, so the form
# cannot be used to send mail to strangers.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_email": "1/m/user",
    "reauthenticate": "10/m/user",
}
# The rate limits count by client address. Behind a reverse proxy every request comes from the
# proxy, so trust the last TRUSTED_PROXY_COUNT hops of X-Forwarded-For (which the proxies append);
# with none (the default) the header is ignored, as anyone can write it.
# https://docs.allauth.org/en/latest/common/configuration.html
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if ALLAUTH_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Roundtable"
MFA_FORMS = {"activate_totp": "community.two_factor.ActivateTOTPForm"}
# Organizers and every account that can reach the admin (staff, superusers) set up TOTP first.
ORGANIZER_MFA_REQUIRED = env.bool("ORGANIZER_MFA_REQUIRED", default=True)

FORMS_URLFIELD_ASSUME_HTTPS = True
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
# The site is written in British English only. With translation off every label, template tag and
# "3 days ago" is used as written instead of being looked up in a catalogue on each request.
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (article covers and images). Served by Django itself unless SERVE_MEDIA is off,
# as it should be where a web server or a bucket serves MEDIA_ROOT.
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=not PRODUCTION)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Email: console by default; EMAIL_URL (e.g. smtp+tls://user:pass@smtp.example.com:587) in production.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Roundtable <hello@roundtable.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A send that hangs must end well before the outbox takes its claim for a dead worker's (15 min).
EMAIL_TIMEOUT = 30
# Days the outbox keeps the body of a sent email (what it said); the row itself stays.
EMAIL_BODY_RETENTION_DAYS = env.int("EMAIL_BODY_RETENTION_DAYS", default=30)
if EMAIL_BODY_RETENTION_DAYS < 0:
    raise ImproperlyConfigured("EMAIL_BODY_RETENTION_DAYS must be 0 or more days.")
# Where people write to us: shown wherever a page says "contact us". Default: our sender address.
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default=parseaddr(DEFAULT_FROM_EMAIL)[1])
if "@" not in CONTACT_EMAIL:
    raise ImproperlyConfigured(f"CONTACT_EMAIL must be an email address, not {CONTACT_EMAIL!r}.")

# Celery: with REDIS_URL unset, tasks run in-process so a fresh clone needs no broker.
REDIS_URL = env.str("REDIS_URL", default="")
# allauth's rate limits and its memory of used two-factor codes live in the cache, so in production
# every web process must share it (the deployment checks warn otherwise): Redis when REDIS_URL is set,
# unless CACHE_URL says otherwise. Development keeps it in memory.
CACHES = {
    "default": env.cache_url(
        "CACHE_URL", default=REDIS_URL if PRODUCTION and REDIS_URL else "locmemcache://"
    )
}
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_timeout": 3}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "send-queued-emails": {
        "task": "community.tasks.send_queued_emails",
        "schedule": timedelta(minutes=5),
    },
    "review-digest": {
        "task": "community.tasks.send_review_digest",
        "schedule": crontab(hour=8, minute=0),
    },
    "review-deadline": {
        "task": "community.tasks.notify_overdue_applications",
        "schedule": timedelta(hours=1),
    },
    "forget-old-email-bodies": {
        "task": "community.tasks.forget_old_email_bodies",
        "schedule": timedelta(hours=6),
    },
    "forget-deletion-confirmations": {
        "task": "community.tasks.forget_deletion_confirmations",
        "schedule": timedelta(hours=6),
    },
    "circles-resume-compositions": {
        "task": "circles.tasks.resume_stalled_compositions",
        "schedule": timedelta(minutes=5),
    },
    "circles-pick-meeting-times": {
        "task": "circles.tasks.pick_meeting_times",
        "schedule": timedelta(minutes=15),
    },
    "circles-meeting-reminders": {
        "task": "circles.tasks.send_meeting_reminders",
        "schedule": timedelta(minutes=15),
    },
    "circles-health-digest": {
        "task": "circles.tasks.send_health_digest",
        "schedule": crontab(day_of_week="mon", hour=8, minute=0),
    },
    "circles-ask-renewals": {
        "task": "circles.tasks.ask_due_renewals",
        "schedule": crontab(hour=9, minute=0),
    },
    "mentoring-reminders": {
        "task": "mentoring.tasks.send_booking_reminders",
        "schedule": timedelta(minutes=5),
    },
    "mentoring-groups-digest": {
        "task": "mentoring.tasks.send_groups_digest",
        "schedule": crontab(day_of_week="mon", hour=8, minute=5),
    },
    "mentoring-announce-days": {
        "task": "mentoring.tasks.announce_pending_mentorship_days",
        "schedule": timedelta(minutes=15),
    },
    "circles-close-due-rounds": {
        "task": "circles.tasks.close_due_rounds",
        "schedule": timedelta(minutes=1),
    },
    "circles-resume-imports": {
        "task": "circles.tasks.resume_stalled_imports",
        "schedule": timedelta(minutes=5),
    },
    "circles-resume-invitations": {
        "task": "circles.tasks.resume_invitations",
        "schedule": timedelta(minutes=5),
    },
    "circles-invitation-reminders": {
        "task": "circles.tasks.send_invitation_reminders",
        "schedule": timedelta(hours=1),
    },
    "circles-invitation-deadlines": {
        "task": "circles.tasks.close_invitation_deadlines",
        "schedule": timedelta(minutes=15),
    },
    "content-publish-due": {
        "task": "content.tasks.publish_due_articles",
        "schedule": timedelta(minutes=1),
    },
    "content-webinar-reminders": {
        "task": "content.tasks.send_webinar_reminders",
        "schedule": timedelta(minutes=5),
    },
    "slack-reconcile": {
        "task": "community.tasks.reconcile_slack",
        "schedule": timedelta(minutes=15),
    },
    "circles-retry-backfills": {
        "task": "circles.tasks.retry_unfilled_backfills",
        "schedule": timedelta(minutes=30),
    },
}

# Membership workflow
REAPPLY_COOLDOWN_DAYS = env.int("REAPPLY_COOLDOWN_DAYS", default=180)
REVIEW_DEADLINE_DAYS = env.int("REVIEW_DEADLINE_DAYS", default=5)
DIRECTORY_PAGE_SIZE = 24

# Learning circles: how long one composition of a round may search (the best found so far is kept).
# With tasks run in-process the organizer's request waits for it, so the default is shorter there.
CIRCLES_COMPOSITION_SECONDS = env.float(
    "CIRCLES_COMPOSITION_SECONDS", default=10.0 if CELERY_TASK_ALWAYS_EAGER else 30.0
)
# How long a circle's members have to vote on its first meeting time before the best is picked.
CIRCLES_VOTING_DAYS = env.int("CIRCLES_VOTING_DAYS", default=4)
# The meeting reminder (with its RSVP links) goes out this many hours before a meeting.
CIRCLES_REMINDER_HOURS = env.int("CIRCLES_REMINDER_HOURS", default=24)


def positive_int(name: str, default: int) -> int:
    value = env.int(name, default=default)
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be 1 or more, not {value}.")
    return value


# Mentoring: what a member may hold at once and use in a calendar month, how late a member may still
# cancel or move a session, and how many hours before a session each reminder goes out.
MENTORING_MAX_UPCOMING = positive_int("MENTORING_MAX_UPCOMING", 2)
MENTORING_MAX_PER_MONTH = positive_int("MENTORING_MAX_PER_MONTH", 4)
MENTORING_NOTICE_HOURS = positive_int("MENTORING_NOTICE_HOURS", 24)
MENTORING_REMINDER_HOURS = sorted(
    {int(hours) for hours in env.list("MENTORING_REMINDER_HOURS", default=["24", "1"])},
    reverse=True,
)
if len(MENTORING_REMINDER_HOURS) != 2 or min(MENTORING_REMINDER_HOURS) < 1:
    raise ImproperlyConfigured(
        "MENTORING_REMINDER_HOURS must be two different whole numbers of hours, e.g. 24,1."
    )

# Mentoring groups: days an accepted member has to confirm before the coach may release their place.
MENTORING_GROUP_CONFIRM_DAYS = positive_int("MENTORING_GROUP_CONFIRM_DAYS", 7)

# Content: how many pieces a page of the library lists; the widest a cover image is stored.
CONTENT_PAGE_SIZE = env.int("CONTENT_PAGE_SIZE", default=12)
CONTENT_COVER_MAX_WIDTH = env.int("CONTENT_COVER_MAX_WIDTH", default=1600)
CONTENT_UPLOAD_MAX_BYTES = env.int("CONTENT_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
CONTENT_RECORDING_MAX_BYTES = env.int("CONTENT_RECORDING_MAX_BYTES", default=2 * 1024 * 1024 * 1024)

# Slack: the site is the source of truth for who belongs where; Celery keeps the workspace in step.
# Without a bot token everything else works and the admin says Slack is not configured.
SLACK_BOT_TOKEN = env.str("SLACK_BOT_TOKEN", default="")
SLACK_ENABLED = bool(SLACK_BOT_TOKEN)
SLACK_SIGNING_SECRET = env.str("SLACK_SIGNING_SECRET", default="")
SLACK_INVITE_URL = env.str("SLACK_INVITE_URL", default="")
SLACK_DEFAULT_CHANNELS = [
    name.strip().lstrip("#") for name in env.list("SLACK_DEFAULT_CHANNELS", default=[])
]
SLACK_ADMIN_TOKEN = env.str("SLACK_ADMIN_TOKEN", default="")
SLACK_TEAM_ID = env.str("SLACK_TEAM_ID", default="")
SLACK_API_URL = env.str("SLACK_API_URL", default="https://slack.com/api/")
SLACK_TIMEOUT_SECONDS = env.int("SLACK_TIMEOUT_SECONDS", default=10)
SLACK_SYNC_LEASE_SECONDS = env.int("SLACK_SYNC_LEASE_SECONDS", default=120)
if SLACK_ADMIN_TOKEN and not SLACK_TEAM_ID:
    raise ImproperlyConfigured(
        "SLACK_TEAM_ID (the workspace ID) is required with SLACK_ADMIN_TOKEN."
    )
if PRODUCTION and SLACK_ENABLED and not SLACK_SIGNING_SECRET:
    raise ImproperlyConfigured("SLACK_SIGNING_SECRET is required when SLACK_BOT_TOKEN is set.")
for _channel in SLACK_DEFAULT_CHANNELS:
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,79}", _channel):
        raise ImproperlyConfigured(
            f"SLACK_DEFAULT_CHANNELS: {_channel!r} is not a Slack channel name."
        )

# Security: `manage.py check --deploy` is clean in production.
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy (django-csp): only our own scripts, styles and images, never inline code or
# style attributes, so text that people write can never run or restyle a page. The QR code of the
# two-factor set-up is an image in a data: address. https://django-csp.readthedocs.io/en/latest/
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
