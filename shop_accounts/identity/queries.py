"""Reads of the sign-in layer, scoped to one customer."""

from importlib import import_module

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from shop_accounts.customers.models import Customer


def _session_store_class() -> type[SessionBase]:
    return import_module(settings.SESSION_ENGINE).SessionStore


def session_model() -> type[AbstractBaseSession]:
    """The table of Django's sessions. The devices list reads it in one query
    for all of a customer's sessions, so sessions must live in the database
    (Django's default engine, or its cached_db)."""
    store_class = _session_store_class()
    if not hasattr(store_class, "get_model_class"):
        raise ImproperlyConfigured(
            "Signed-in devices need a database-backed SESSION_ENGINE (db or cached_db)."
        )
    return store_class.get_model_class()


def _signs_in(customer: Customer, data: dict) -> bool:
    # What Django's get_user() accepts: this customer, a backend still in
    # use, and the hash of their current password (or of it under a retired
    # SECRET_KEY).
    if data.get(SESSION_KEY) != customer._meta.pk.value_to_string(customer):
        return False
    if data.get(BACKEND_SESSION_KEY) not in settings.AUTHENTICATION_BACKENDS:
        return False
    session_hash = data.get(HASH_SESSION_KEY) or ""
    return bool(session_hash) and any(
        constant_time_compare(session_hash, expected)
        for expected in [
            customer.get_session_auth_hash(),
            *customer.get_session_auth_fallback_hash(),
        ]
    )


def devices_of(customer: Customer) -> list[UserSession]:
    """The customer's signed-in devices (allauth's user sessions whose session
    still signs them in: not signed out, expired, or left behind by a new
    password), the one seen last first. Two queries, however many there are;
    allauth's own list checks each session with three."""
    if not customer.is_active:
        return []  # the backend lets no session of an inactive account in
    rows = list(UserSession.objects.filter(user_id=customer.pk).order_by("-last_seen_at", "-pk"))
    if not rows:
        return []
    live = dict(
        session_model()
        .objects.filter(
            session_key__in=[row.session_key for row in rows], expire_date__gt=timezone.now()
        )
        .values_list("session_key", "session_data")
    )
    decoder = _session_store_class()()
    return [
        row
        for row in rows
        if row.session_key in live and _signs_in(customer, decoder.decode(live[row.session_key]))
    ]


def passkey_names_of(customer: Customer, *, except_pk: int | None = None) -> set[str]:
    """The names of the customer's passkeys (allauth's WebAuthn authenticators),
    leaving out the one with `except_pk` (the passkey being renamed). One query."""
    rows = Authenticator.objects.filter(user_id=customer.pk, type=Authenticator.Type.WEBAUTHN)
    if except_pk is not None:
        rows = rows.exclude(pk=except_pk)
    return {str(name) for name in rows.values_list("data__name", flat=True) if name}
