"""Signing out devices from the customer's list of signed-in devices
(allauth's user sessions, named by identity/devices.py)."""

from django.db import transaction
from django.http import HttpRequest

from shop_accounts.customers import events
from shop_accounts.customers.models import Customer
from shop_accounts.identity.allauth_internals import end_sessions
from shop_accounts.identity.errors import UnknownDevice
from shop_accounts.identity.queries import devices_of


@transaction.atomic
def sign_out_device(request: HttpRequest, session_id: int, *, customer: Customer) -> None:
    """The customer signs out one of their own devices (allauth's flow: the
    session ends on the server, and this browser is signed out too when it
    is that device); SESSIONS_ENDED records it. Raises UnknownDevice when
    `session_id` is not one of the customer's signed-in devices."""
    session = next((each for each in devices_of(customer) if each.pk == session_id), None)
    if session is None:
        raise UnknownDevice()
    end_sessions(request, [session])
    events.record_sessions_ended(customer=customer, actor=customer, sessions=1)


@transaction.atomic
def sign_out_other_devices(request: HttpRequest, *, customer: Customer) -> int:
    """The customer signs out every device but this one (allauth's flow);
    SESSIONS_ENDED records how many, when there were any. Returns how many
    devices were signed out."""
    others = [session for session in devices_of(customer) if not session.is_current()]
    if not others:
        return 0
    end_sessions(request, others)
    events.record_sessions_ended(customer=customer, actor=customer, sessions=len(others))
    return len(others)
