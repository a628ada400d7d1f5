"""Django settings for Shop Accounts.

One file, read from environment variables (documented in README.md). With no
environment at all it runs the demo: SQLite in the checkout, emails kept in
the outbox. Anything else is production and secure by default.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from shop_accounts.conf import shop_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# Under pytest the suite's settings apply even if SHOP_TESTING was not exported.
TESTING = env_bool("SHOP_TESTING") or "pytest" in Path(sys.argv[0]).name
DEMO_MODE = env_bool("SHOP_DEMO", default=False)
# DEBUG stays off in the demo too: with it on, an unknown address lists every
# URL of the product instead of our 404 page, and an error shows a traceback
# instead of our 500 page. The demo logs to the console (LOGGING), serves its
# static files through WhiteNoise from the source folders (STORAGES below) and
# keeps its outbox pages (DEMO_MODE, not DEBUG).
DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not (DEMO_MODE or DEBUG or TESTING):
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or SHOP_DEMO=1 for the demo).")
    SECRET_KEY = "demo-only-secret-key-never-use-in-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS",
    "localhost,.localhost,127.0.0.1,[::1],testserver,.testserver"
    if (DEMO_MODE or DEBUG or TESTING)
    else "",
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "shop_accounts.core",
    "shop_accounts.stores",
    "shop_accounts.customers",
    "shop_accounts.catalog",
    "shop_accounts.orders",
    "shop_accounts.invoices",
    "shop_accounts.cart",
    "shop_accounts.checkout",
    "shop_accounts.storefront",
    "shop_accounts.backoffice",
    # Before Django's admin: its templates and static files are the back
    # office's look (backoffice/navigation.py, README "Back office").
    "unfold",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    # After allauth's apps: its ready() replaces a receiver of theirs
    # (identity/apps.py). It has no templates or tags that would clash.
    "shop_accounts.identity",
    "django_tasks_db",
    # For its catalogues: country names in the page's language (an app's
    # translations load only when it is installed).
    "django_countries",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # After Django's CSP middleware: extends the policy for hosted CAPTCHAs.
    "shop_accounts.captcha.csp.CaptchaContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shop_accounts.stores.middleware.CurrentStoreMiddleware",
    # Notes the end of a database outage: a request that used the database
    # without an error (core/outages.py).
    "shop_accounts.core.outages.DatabaseOutageMiddleware",
    "shop_accounts.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: no-store on personal pages; sees every response below.
    "shop_accounts.core.middleware.PrivateResponsesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "shop_accounts.identity.middleware.RealmSessionMiddleware",
    # Instead of allauth's UserSessionsMiddleware, which writes on every page
    # view: "last seen" at most once per SHOP_SESSION_ACTIVITY_SECONDS.
    "shop_accounts.identity.middleware.SessionActivityMiddleware",
    "shop_accounts.storefront.middleware.ShopVisibilityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages middleware: both tell the customer why with a message.
    "shop_accounts.identity.middleware.TwoFactorPolicyMiddleware",
    "shop_accounts.identity.middleware.StaffSessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "shop_accounts.urls"
WSGI_APPLICATION = "shop_accounts.wsgi.application"
ASGI_APPLICATION = "shop_accounts.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "shop_accounts" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shop_accounts.stores.context_processors.current_store",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite by default; DATABASE_URL=postgres://... for PostgreSQL. SQLite runs in
# WAL mode with IMMEDIATE transactions, so concurrent writers wait for the lock
# (up to the busy timeout) instead of failing with "database is locked".
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'shop.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A connection attempt to a host that does not answer gives up after 5 s
    # instead of the operating system's minutes.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
    if shop_settings.DB_POOL_SIZE and not TESTING:
        # Django's built-in pool (psycopg_pool): a process's threads share at
        # most SHOP_DB_POOL_SIZE connections, so app processes × pool size
        # bounds the server's connections (README "Production"). A request
        # waiting longer than SHOP_DB_POOL_TIMEOUT_SECONDS for one (pool full,
        # database down) is answered 503 (core/outages.py). Pooling requires
        # CONN_MAX_AGE 0; the health check replaces a connection that died
        # with the server (a restart) before a request gets it. The test suite
        # keeps plain connections (it renames the database and runs threads
        # freely); tests/production runs the pool in a real server.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": 0,
            "max_size": shop_settings.DB_POOL_SIZE,
            "timeout": shop_settings.DB_POOL_TIMEOUT_SECONDS,
            # Give up a failing connection attempt as soon as no request waits
            # for it any more: the next request starts a fresh one, so service
            # returns within a second or two of the database (the default
            # retries for 5 minutes with a back-off growing to over a minute).
            "reconnect_timeout": shop_settings.DB_POOL_TIMEOUT_SECONDS,
        }
    elif not TESTING:
        DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    if DATABASES["default"].get("TEST") is None:
        # A file (not :memory:) so threads in tests get real concurrent
        # connections; one per process so parallel runs do not collide.
        test_name = BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3"
        DATABASES["default"]["TEST"] = {"NAME": str(test_name)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = env("CACHE_URL", "locmem://")
if CACHE_URL.startswith("redis://") or CACHE_URL.startswith("rediss://"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
elif CACHE_URL.startswith("db://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_URL.removeprefix("db://") or "shop_cache",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Users and sign-in ------------------------------------------------------
AUTH_USER_MODEL = "customers.Customer"
AUTHENTICATION_BACKENDS = ["shop_accounts.identity.backends.RealmAuthenticationBackend"]
# The email is unique per account realm (a group of stores sharing accounts),
# not globally; the realm-scoped backend does the lookup (see DEVELOPERS.md).
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
PASSWORD_HASHERS = [
    # Argon2id of the NFKC-normalised password (NIST 800-63B).
    "shop_accounts.core.hashers.NormalizedArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS.insert(0, "shop_accounts.core.hashers.LightArgon2PasswordHasher")
# NIST 800-63B: the store's minimum length (8 to 64, default 12) up to 4096
# characters, no composition rules, an offline blocklist of common passwords,
# and neither the shop's name nor the email (shop_accounts/identity/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "shop_accounts.identity.passwords.StoreLengthValidator"},
    {"NAME": "shop_accounts.identity.passwords.BlocklistValidator"},
    {"NAME": "shop_accounts.identity.passwords.ContextWordsValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "storefront:my-account"

ACCOUNT_ADAPTER = "shop_accounts.identity.adapter.ShopAccountAdapter"
ACCOUNT_USER_DISPLAY = "shop_accounts.identity.adapter.user_display"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_USER_MODEL_EMAIL_FIELD = "email"
ACCOUNT_UNIQUE_EMAIL = False  # uniqueness is per realm, enforced by our constraint
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
# The confirmation link opened in the browser that signed up (the pending
# sign-up is in its session, for ACCOUNT_LOGIN_TIMEOUT) signs the customer in;
# opened anywhere else it only confirms the email, so a leaked link never
# signs anyone in. An account awaiting approval is not signed in: it gets the
# "the shop reviews" page (adapter.respond_user_inactive).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
# Adding, removing or making primary an email address (allauth's email page)
# asks for the password (or a second factor) again unless it was given in the
# last 5 minutes, as setting up or removing an authenticator app or a passkey
# does (allauth.mfa's MFA_REAUTHENTICATION_REQUIRED, on by default): a stolen
# session cannot add the thief's address and take the account over.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Security emails, in the customer's language through the outbox (adapter's
# send_notification_mail): password changed or reset, email changed or
# removed, 2FA added or removed (allauth's), recovery code used and a sign-in
# method locked (ours).
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Rate limits (allauth's format "amount/period/per", comma-separated; per is
# ip, key or user). Each one can be overridden with SHOP_RATE_LIMIT_<ACTION>,
# e.g. SHOP_RATE_LIMIT_LOGIN_FAILED="10/m/ip,5/5m/key"; an empty value switches
# it off. Limits slow repeated attempts down inside a time window and never
# lock anyone out for good; the lifetime cap per sign-in method is
# SHOP_FACTOR_FAILURE_LIMIT (identity/factor_locks.py). Over a limit a page
# answers 429 (templates/429.html) or, where the limit guards an email, sends
# nothing more and answers as usual, so the answer does not tell who has an
# account.
_RATE_LIMIT_DEFAULTS = {
    # Any sign-in form post, per IP.
    "login": "30/m/ip",
    # Failed password sign-ins: per IP, and per shop host and email (key), so
    # guessing one account's password is slowed to 5 tries in 5 minutes; a
    # password reset clears it. Also wrong two-factor codes (key: account).
    "login_failed": "10/m/ip,5/5m/key",
    # Sign-ups, per IP.
    "signup": "20/m/ip",
    # Asking for a password-reset email: per IP and per email (key).
    "reset_password": "20/m/ip,5/m/key",
    # Opening and using a password-reset link, per IP.
    "reset_password_from_key": "20/m/ip",
    # Sending an email-verification (activation) email again: once in 3
    # minutes per address; more requests send nothing.
    "confirm_email": "1/3m/key",
    # Asking for an emailed sign-in code: per IP and per email (key). Each
    # code allows ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS tries.
    "request_login_code": "20/m/ip,3/m/key",
    # Ours: asking for an emailed sign-in link (key: account realm and email).
    "request_signin_link": "5/m/ip,3/10m/key",
    # Ours: the contact form, per IP and per store and sender (key), so one
    # record and the merchant's inbox are not flooded.
    "contact": "5/10m/ip,3/10m/key",
    # Ours: asking for a new invitation from an expired one (key: the link).
    "request_invitation": "5/m/ip,3/h/key",
    # Changing or setting the password when signed in, per customer.
    "change_password": "5/m/user",
    # Adding, removing or choosing email addresses in My account, per customer.
    "manage_email": "10/m/user",
    # Confirming the password again before a sensitive change, per customer.
    "reauthenticate": "10/m/user",
}
ACCOUNT_RATE_LIMITS = {
    action: env(f"SHOP_RATE_LIMIT_{action.upper()}", default)
    for action, default in _RATE_LIMIT_DEFAULTS.items()
}
ACCOUNT_FORMS = {
    "login": "shop_accounts.identity.forms.RealmLoginForm",
    "signup": "shop_accounts.identity.forms.RealmSignupForm",
    "reset_password": "shop_accounts.identity.forms.RealmResetPasswordForm",
    "request_login_code": "shop_accounts.identity.forms.RealmRequestLoginCodeForm",
    "add_email": "shop_accounts.identity.forms.RealmAddEmailForm",
    "user_token": "shop_accounts.identity.forms.RealmUserTokenForm",
    # The failure cap per sign-in method (identity/factor_locks.py).
    "confirm_login_code": "shop_accounts.identity.forms.FactorLockedConfirmLoginCodeForm",
    "reset_password_from_key": "shop_accounts.identity.forms.UnlockingResetPasswordKeyForm",
}
# Sign-in by an emailed code (switchable per store): the code lives
# SHOP_LOGIN_CODE_MINUTES and allows SHOP_LOGIN_CODE_ATTEMPTS tries before the
# customer has to ask for a new one.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 60 * shop_settings.LOGIN_CODE_MINUTES
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = shop_settings.LOGIN_CODE_ATTEMPTS
# Lifetimes of the emailed password-reset and activation links (both also
# end once used: the reset token depends on the password hash).
PASSWORD_RESET_TIMEOUT = 60 * 60 * shop_settings.PASSWORD_RESET_HOURS
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = shop_settings.EMAIL_CONFIRMATION_DAYS
# CAPTCHA (per store in the back office). Verify URLs of the hosted providers
# by provider ("recaptcha_v2", "recaptcha_v3", "hcaptcha", "turnstile"); empty
# uses each provider's documented URL (see shop_accounts/captcha/providers.py).
SHOP_CAPTCHA_VERIFY_URLS: dict[str, str] = {}
# Likewise the URLs of the providers' widget scripts (browser tests serve
# stand-ins from loopback); empty uses each provider's own.
SHOP_CAPTCHA_SCRIPT_URLS: dict[str, str] = {}
MFA_ADAPTER = "shop_accounts.identity.adapter.ShopMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# Passkey sign-ins (no secret to guess per account), per IP.
MFA_RATE_LIMITS = {"webauthn_login": env("SHOP_RATE_LIMIT_WEBAUTHN_LOGIN", "10/m/ip")}
MFA_FORMS = {
    # The failure cap per sign-in method (identity/factor_locks.py).
    "authenticate": "shop_accounts.identity.forms.FactorLockedAuthenticateForm",
    "reauthenticate": "shop_accounts.identity.forms.FactorLockedReauthenticateForm",
    # Every passkey added signs in on its own (no "Passwordless" choice), and
    # a customer's passkeys have names that tell them apart.
    "add_webauthn": "shop_accounts.identity.forms.PasskeyAddWebAuthnForm",
    "edit_webauthn": "shop_accounts.identity.forms.PasskeyEditWebAuthnForm",
}
MFA_PASSKEY_LOGIN_ENABLED = True
# Shows "last seen" on the devices page. The tracking itself is ours
# (identity.middleware.SessionActivityMiddleware), not allauth's middleware.
USERSESSIONS_TRACK_ACTIVITY = True

# Sessions: rotated at sign-in (Django), ended on the server at sign-out (POST
# only). Without "Stay signed in" a session ends with the browser; with it,
# after SHOP_REMEMBER_DAYS (allauth sets that expiry from SESSION_COOKIE_AGE).
# Staff sessions have their own limits (StaffSessionLimitsMiddleware).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * shop_settings.REMEMBER_DAYS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security (production defaults; the demo and tests run on plain HTTP) ----
SECURE_SSL = env_bool("SHOP_SECURE", default=not (DEMO_MODE or DEBUG or TESTING))
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_SSL_REDIRECT = SECURE_SSL and env_bool("SHOP_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if SECURE_SSL else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SHOP_BEHIND_PROXY") else None
)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# The back office's look (django-unfold): the shop's name as the title and
# a menu in the merchant's words, built per request in backoffice/navigation.py.
UNFOLD = {
    "SITE_TITLE": "shop_accounts.backoffice.navigation.site_title",
    "SITE_HEADER": "shop_accounts.backoffice.navigation.site_header",
    "SITE_SUBHEADER": "shop_accounts.backoffice.navigation.site_subheader",
    "SITE_URL": "/",
    "SITE_SYMBOL": "storefront",
    # Our trail on the customer page is the history; Django's object history
    # would say there is none.
    "SHOW_HISTORY": False,
    "SHOW_VIEW_ON_SITE": False,
    "SIDEBAR": {
        "show_search": False,
        "show_all_applications": False,
        "navigation": "shop_accounts.backoffice.navigation.sidebar",
    },
}

# --- Languages --------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("de", _("German")),
    ("nl", _("Dutch")),
    ("nb", _("Norwegian Bokmål")),
    ("it", _("Italian")),
]
# Ours first; then our wording of allauth texts where allauth's is not ours
# (German "du", "token", Title Case, ...: shop_accounts/locale_allauth/<lang>,
# kept by hand). Both come before allauth's own (an app's catalogue).
LOCALE_PATHS = [
    BASE_DIR / "shop_accounts" / "locale",
    BASE_DIR / "shop_accounts" / "locale_allauth",
    # django-unfold's texts in the back office (unfold ships no translations).
    BASE_DIR / "shop_accounts" / "locale_unfold",
]
USE_I18N = True
TIME_ZONE = env("TIME_ZONE", "Europe/Amsterdam")
USE_TZ = True

# --- Static files -------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing root
STATICFILES_DIRS = [BASE_DIR / "shop_accounts" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or DEMO_MODE or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# The demo and the tests run without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG or DEMO_MODE or TESTING

# --- Email --------------------------------------------------------------------
# Every email is first a row in the outbox (core.OutboundEmail); a task sends it
# through the "default" mailer. SMTP_HOST unset keeps mail in the outbox only
# (the demo shows it in the back office).
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "shop@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMTP_HOST = env("SMTP_HOST")
if SMTP_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": SMTP_HOST,
                "port": int(env("SMTP_PORT", "587")),
                "username": env("SMTP_USER") or None,
                "password": env("SMTP_PASSWORD") or None,
                "use_tls": env_bool("SMTP_STARTTLS", default=env("SMTP_PORT", "587") == "587"),
                "use_ssl": env_bool("SMTP_SSL"),
                "timeout": int(env("SMTP_TIMEOUT", "20")),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}

# --- Background work ------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if env("TASKS_BACKEND") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default", "email"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # The pool logs every connection request (INFO) and every failed
        # reconnection attempt (WARNING); a database outage is logged once
        # by core/outages.py instead.
        "psycopg.pool": {"level": "ERROR"},
        # Rendering an invoice logs each of its steps at INFO (WeasyPrint's
        # progress, factur-x's checks and timing): only problems go to the log.
        "weasyprint": {"level": "WARNING"},
        "factur-x": {"level": "WARNING"},
    },
}
