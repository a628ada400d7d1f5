"""Security changes on the customer's trail. allauth sends a notification
email for each change to an account's ways in (settings.ACCOUNT_EMAIL_
NOTIFICATIONS); the adapter's send_notification_mail hands each one here
first, so the trail and the emails always agree. A password change is
recorded by the adapter's set_password (customers.actions.set_customer_password),
an email made primary by customers.actions.change_customer_email
(identity/email_addresses.py).
"""

from collections.abc import Callable
from functools import partial
from typing import Any

from shop_accounts.customers import events
from shop_accounts.customers.models import Customer, CustomerEvent

# allauth's notification template -> its recorder
NOTIFICATION_EVENTS: dict[str, Callable[..., CustomerEvent]] = {
    "mfa/email/totp_activated": partial(events.record_two_factor_added, method="totp"),
    "mfa/email/webauthn_added": partial(events.record_two_factor_added, method="webauthn"),
    "mfa/email/recovery_codes_generated": partial(
        events.record_two_factor_added, method="recovery_codes"
    ),
    "mfa/email/totp_deactivated": partial(events.record_two_factor_removed, method="totp"),
    "mfa/email/webauthn_removed": partial(events.record_two_factor_removed, method="webauthn"),
    # Ours, sent by the second-step form (identity/forms.py).
    "mfa/email/recovery_code_used": events.record_recovery_code_used,
}


def record_security_notification(
    customer: Customer, template_prefix: str, context: dict[str, Any] | None = None
) -> None:
    """Record the change a security notification tells the customer about,
    where it is not recorded elsewhere."""
    record = NOTIFICATION_EVENTS.get(template_prefix)
    if record is not None:
        record(customer=customer)
