"""Product settings: each one a documented property with a default.

Per-store policy (sign-up mode, checkout accounts, ...) lives in the database
and is edited in the back office; these are the installation-wide knobs an
operator sets with environment variables, and tests shorten.
"""

import os

from django.core.exceptions import ImproperlyConfigured


class ShopSettings:
    def _int(self, name: str, default: int) -> int:
        return int(os.environ.get(name, default))

    @property
    def LINK_SCHEME(self) -> str:
        """The scheme of the absolute links the shop builds without a request
        (emails, worker, commands; see stores.links.store_url): https, or
        http where the shop runs without TLS (SHOP_SECURE off: the demo,
        tests)."""
        from django.conf import settings

        default = "https" if getattr(settings, "SECURE_SSL", True) else "http"
        scheme = os.environ.get("SHOP_LINK_SCHEME", default).lower()
        if scheme not in ("http", "https"):
            raise ImproperlyConfigured("SHOP_LINK_SCHEME is http or https.")
        return scheme

    @property
    def LINK_PORT(self) -> int | None:
        """The port in those links when the shop is not served on the
        scheme's own port (the demo: 8000); empty for none."""
        from django.conf import settings

        default = "8000" if getattr(settings, "DEMO_MODE", False) else ""
        port = os.environ.get("SHOP_LINK_PORT", default).strip()
        return int(port) if port else None

    @property
    def EMAIL_MAX_ATTEMPTS(self) -> int:
        """How often the outbox tries to send one email before it gives up."""
        return self._int("SHOP_EMAIL_MAX_ATTEMPTS", 8)

    @property
    def EMAIL_RETRY_BASE_SECONDS(self) -> int:
        """First retry delay after a failed send; doubles with every attempt."""
        return self._int("SHOP_EMAIL_RETRY_BASE_SECONDS", 30)

    @property
    def EMAIL_SENDING_LEASE_SECONDS(self) -> int:
        """A send not finished after this long is taken to have died with its
        worker, and the email is sent again."""
        return self._int("SHOP_EMAIL_SENDING_LEASE_SECONDS", 300)

    @property
    def TASK_LEASE_SECONDS(self) -> int:
        """A queued task still marked running after this long is taken to have
        died with its worker (killed, machine lost) and is marked failed, so
        the queue holds no stale work; emails are then sent again by the
        outbox sweep."""
        return self._int("SHOP_TASK_LEASE_SECONDS", 600)

    @property
    def DB_POOL_SIZE(self) -> int:
        """PostgreSQL connections one process keeps at most (its threads share
        them); 0 switches pooling off (a connection per request, e.g. behind
        PgBouncer). Size it with the README's rule: processes × this, plus the
        workers and some headroom, below the server's max_connections."""
        return self._int("SHOP_DB_POOL_SIZE", 8)

    @property
    def DB_POOL_TIMEOUT_SECONDS(self) -> int:
        """How long a request waits for a free pooled connection (or for the
        database to accept one) before it is answered 503 "temporarily
        unavailable"; small, so a full pool or a database outage never leaves
        a request hanging."""
        return self._int("SHOP_DB_POOL_TIMEOUT_SECONDS", 3)

    @property
    def CUSTOMERS_PER_PAGE(self) -> int:
        """Page size of customer lists in the back office."""
        return self._int("SHOP_CUSTOMERS_PER_PAGE", 50)

    @property
    def CAPTCHA_TIMEOUT_SECONDS(self) -> int:
        """How long a CAPTCHA provider's verify endpoint may take to answer;
        a slower provider fails closed (the form is refused, try again)."""
        return self._int("SHOP_CAPTCHA_TIMEOUT_SECONDS", 5)

    @property
    def ALTCHA_COST(self) -> int:
        """PBKDF2 iterations per try of an ALTCHA proof-of-work challenge (a
        browser needs about 256 tries); higher costs spammers more."""
        return self._int("SHOP_ALTCHA_COST", 5000)

    @property
    def ALTCHA_CHALLENGE_SECONDS(self) -> int:
        """How long an ALTCHA challenge may be solved and used; each solved
        challenge is accepted once."""
        return self._int("SHOP_ALTCHA_CHALLENGE_SECONDS", 600)

    @property
    def REMEMBER_DAYS(self) -> int:
        """How long a customer who ticked "Stay signed in" stays signed in
        (without it, the session ends when the browser closes)."""
        return self._int("SHOP_REMEMBER_DAYS", 30)

    @property
    def STAFF_SESSION_HOURS(self) -> int:
        """The longest a staff member's session lasts, however busy; then
        they sign in again."""
        return self._int("SHOP_STAFF_SESSION_HOURS", 24)

    @property
    def STAFF_IDLE_MINUTES(self) -> int:
        """A staff member's session ends after this long without a request."""
        return self._int("SHOP_STAFF_IDLE_MINUTES", 60)

    @property
    def FACTOR_FAILURE_LIMIT(self) -> int:
        """Consecutive failures of one sign-in method (password, authenticator
        app, recovery code, emailed code) of one account after which that
        method is locked until a password reset (NIST 800-63B: at most 100).
        The customer's other ways in keep working."""
        return self._int("SHOP_FACTOR_FAILURE_LIMIT", 100)

    @property
    def LOGIN_CODE_MINUTES(self) -> int:
        """How long an emailed sign-in code (or second-factor code) works."""
        return self._int("SHOP_LOGIN_CODE_MINUTES", 5)

    @property
    def LOGIN_CODE_ATTEMPTS(self) -> int:
        """Wrong entries of one emailed code before a new one must be asked for."""
        return self._int("SHOP_LOGIN_CODE_ATTEMPTS", 3)

    @property
    def PASSWORD_RESET_HOURS(self) -> int:
        """How long a password-reset link works (it also stops working once
        used, or once the password changed)."""
        return self._int("SHOP_PASSWORD_RESET_HOURS", 24)

    @property
    def EMAIL_CONFIRMATION_DAYS(self) -> int:
        """How long the activation / email-confirmation link works."""
        return self._int("SHOP_EMAIL_CONFIRMATION_DAYS", 3)

    @property
    def STORE_CACHE_SECONDS(self) -> int:
        """How long a process keeps the store it found for a host name. Saving
        a store retires every cached lookup at once where the cache is shared
        (CACHE_URL); with the per-process default cache, other processes see
        the change within this time."""
        return self._int("SHOP_STORE_CACHE_SECONDS", 60)

    @property
    def SESSION_ACTIVITY_SECONDS(self) -> int:
        """How often a signed-in session's "last seen" time and IP address
        are written (at most once per this many seconds per session), so a
        page view does not write to the database; the list of signed-in
        devices is right to within this time."""
        return self._int("SHOP_SESSION_ACTIVITY_SECONDS", 300)


shop_settings = ShopSettings()
