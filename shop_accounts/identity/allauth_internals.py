"""Every part of django-allauth we use that is not its public API, in one place.

allauth's documented surface is its settings, adapters, forms, views, models
and signals. What is listed here is not: its internal flows, login stages,
request context and rate-limit helper can change in any release, without a
deprecation. `pyproject.toml` pins allauth to the minor version we test, and
an import-linter contract there lets only this module import these, so an
upgrade means reading this file against allauth's changelog and running the
tests, nothing more scattered.

Judged internal: every ``allauth.*.internal`` package, the ``stages`` modules
(`LoginStageController` and the stage classes), ``allauth.core.context`` (the
request allauth is serving) and ``allauth.core.ratelimit``.
"""

from allauth.account.internal.constants import LoginStageKey
from allauth.account.internal.flows.email_verification import verify_email_indirectly
from allauth.account.internal.flows.login import (
    get_authentication_records,
    perform_login,
    record_authentication,
)
from allauth.account.internal.flows.manage_email import can_mark_as_primary, emit_email_changed
from allauth.account.internal.flows.reauthentication import (
    get_reauthentication_flows,
    raise_if_reauthentication_required,
)
from allauth.account.stages import EmailVerificationStage, LoginStageController
from allauth.core import context, ratelimit
from allauth.core.internal.cryptokit import compare_user_code
from allauth.mfa.stages import AuthenticateStage
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.webauthn.internal.auth import begin_registration as begin_webauthn_registration
from allauth.usersessions.internal.flows.sessions import end_sessions

__all__ = [
    "TOTP",
    "AuthenticateStage",
    "EmailVerificationStage",
    "LoginStageController",
    "LoginStageKey",
    "begin_webauthn_registration",
    "can_mark_as_primary",
    "compare_user_code",
    "context",
    "emit_email_changed",
    "end_sessions",
    "format_hotp_value",
    "get_authentication_records",
    "get_reauthentication_flows",
    "hotp_value",
    "perform_login",
    "raise_if_reauthentication_required",
    "ratelimit",
    "record_authentication",
    "verify_email_indirectly",
    "yield_hotp_counters_from_time",
]
