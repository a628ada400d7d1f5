"""Security changes on the customer's trail. allauth sends a notification
email for each change to an account's ways in (settings.ACCOUNT_EMAIL_
NOTIFICATIONS); the adapter's send_notification_mail hands each one here
first, so the trail and the emails always agree. A password change is
recorded by the adapter's set_password (customers.actions.set_customer_password),
an email made primary by customers.actions.change_customer_email
(identity/email_addresses.py).
"""

from typing import Any

from shop_accounts.customers import events
from shop_accounts.customers.models import Customer, CustomerEvent

Kind = CustomerEvent.Kind

# allauth's notification template -> (event kind, which method)
NOTIFICATION_EVENTS: dict[str, tuple[str, str]] = {
    "mfa/email/totp_activated": (Kind.TWO_FACTOR_ADDED, "totp"),
    "mfa/email/webauthn_added": (Kind.TWO_FACTOR_ADDED, "webauthn"),
    "mfa/email/recovery_codes_generated": (Kind.TWO_FACTOR_ADDED, "recovery_codes"),
    "mfa/email/totp_deactivated": (Kind.TWO_FACTOR_REMOVED, "totp"),
    "mfa/email/webauthn_removed": (Kind.TWO_FACTOR_REMOVED, "webauthn"),
    # Ours, sent by the second-step form (identity/forms.py).
    "mfa/email/recovery_code_used": (Kind.RECOVERY_CODE_USED, "recovery_codes"),
}


def record_security_notification(
    customer: Customer, template_prefix: str, context: dict[str, Any] | None = None
) -> None:
    """Record the change a security notification tells the customer about,
    where it is not recorded elsewhere."""
    kind_and_method = NOTIFICATION_EVENTS.get(template_prefix)
    if kind_and_method is None:
        return
    kind, method = kind_and_method
    events.record_security_change(customer=customer, kind=kind, method=method)
