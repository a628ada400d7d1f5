"""The customer's signed-in devices (allauth's user sessions), kept up to date
without writing on every page view.

allauth's own tracking writes on every request (a transaction, a second load
of the customer, a "last seen" update) and, at every sign-in, checks each of
the customer's earlier sessions one by one (3 queries apiece). Here a page
view writes a session's "last seen" time and IP address at most once per
SHOP_SESSION_ACTIVITY_SECONDS, and a sign-in forgets the ended sessions of the
customer in one statement. A session ended on the server (sign out
everywhere, deactivation) still ends at once: that removes the session
itself, which this tracking only describes.
"""

import hashlib

from allauth.account.adapter import get_adapter
from allauth.usersessions.models import UserSession
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from shop_accounts.conf import shop_settings
from shop_accounts.identity.queries import session_model

_USER_AGENT_LENGTH = UserSession._meta.get_field("user_agent").max_length or 0


def _recorded_key(session_key: str) -> str:
    # The session key is a credential: the cache only ever sees its digest.
    return "shop:session-activity:" + hashlib.sha256(session_key.encode()).hexdigest()


def _remember_recorded(session_key: str) -> bool:
    """True when this session's activity is due to be written now, and
    remembers that it was: one cache `add` per page view, so of the requests
    of one interval exactly one writes (per cache; with the per-process
    locmem cache, one per process)."""
    seconds = shop_settings.SESSION_ACTIVITY_SECONDS
    if seconds <= 0:
        return True
    return cache.add(_recorded_key(session_key), True, timeout=seconds)


def record_session_activity(request: HttpRequest) -> None:
    """Write the "last seen" time, IP address and browser of the request's
    signed-in session, unless that was done in the last
    SHOP_SESSION_ACTIVITY_SECONDS. One UPDATE; the row is made (allauth's
    way) only for a session that has none yet, e.g. one begun before
    tracking or by a test's `force_login`."""
    session_key = request.session.session_key
    if not session_key or not _remember_recorded(session_key):
        return
    updated = UserSession.objects.filter(session_key=session_key, user_id=request.user.pk).update(
        ip=get_adapter(request).get_client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:_USER_AGENT_LENGTH],
        last_seen_at=timezone.now(),
    )
    if not updated:
        UserSession.objects.create_from_request(request)


def forget_ended_sessions(user: AbstractBaseUser) -> int:
    """Delete the user's session rows whose session has ended (signed out,
    expired or removed), in one statement whatever their number. Sessions
    that still exist but no longer sign anyone in (the password changed) are
    left out of the devices list by `queries.devices_of` and go once they
    expire. Returns how many rows went."""
    live = session_model().objects.filter(expire_date__gt=timezone.now())
    deleted, _by_model = (
        UserSession.objects.filter(user_id=user.pk)
        .exclude(session_key__in=live.values("session_key"))
        .delete()
    )
    return deleted


def record_new_session(request: HttpRequest) -> None:
    """At every sign-in (the adapter's `login`, all ways in): forget the
    user's ended sessions and record this one, with a fixed number of
    queries however many sessions the customer had before. Replaces allauth's
    `user_logged_in` receiver (disconnected in `apps.py`)."""
    forget_ended_sessions(request.user)  # type: ignore[arg-type]
    UserSession.objects.create_from_request(request)
    session_key = request.session.session_key
    if session_key:
        # Just written: the next page views have nothing to add.
        _remember_recorded(session_key)
