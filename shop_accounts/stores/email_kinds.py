"""Every email the product sends, in one place: its kind (the outbox's
`kind`, stores.EmailText.kind), its name in words, its template and the
{placeholders} a merchant's subject and message may use, with sample values
for previews. The default subject and message are the template's own
(translated) text: `core.outbox.default_texts` reads them from it.

The link or button, codes and security facts (device, date) are not part of
the editable message: they stay in the template's fixed part.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Placeholders every email about a customer offers, with sample values.
CUSTOMER_PLACEHOLDERS = ("store_name", "first_name", "last_name", "email")
SAMPLE_VALUES = {
    "store_name": "",  # the store's own name
    "first_name": "Anna",
    "last_name": "Berger",
    "email": "anna.berger@example.com",
    "sender_name": "Jonas Keller",
    "order_number": "1001",
}
ORDER_PLACEHOLDERS = (*CUSTOMER_PLACEHOLDERS, "order_number")


@dataclass(frozen=True)
class EmailKind:
    key: str
    label: Promise
    template: str
    body: str = "body"  # allauth's templates call their body "_message"
    placeholders: tuple[str, ...] = CUSTOMER_PLACEHOLDERS
    to_merchant: bool = False  # sent to the store's own address, in its language
    # Why the recipient gets it (the footer), with %(shop)s; None: the usual
    # reason of a customer's email (core.outbox.default_reason).
    reason: Promise | None = None

    def reason_for(self, shop_name: str) -> str:
        """The footer's reason in the active language ("" for the usual one)."""
        return str(self.reason) % {"shop": shop_name} if self.reason else ""


def _order(key: str, label: Promise) -> EmailKind:
    return EmailKind(key, label, f"orders/emails/{key}", placeholders=ORDER_PLACEHOLDERS)


def _allauth(key: str, label: Promise, app: str = "account") -> EmailKind:
    return EmailKind(key, label, f"{app}/email/{key}", body="message")


EMAIL_KINDS: dict[str, EmailKind] = {
    kind.key: kind
    for kind in (
        EmailKind("invitation", _("Invitation to open an account"), "identity/emails/invitation"),
        EmailKind(
            "registration_approved",
            _("Registration approved"),
            "customers/emails/registration_approved",
        ),
        EmailKind(
            "registration_declined",
            _("Registration declined"),
            "customers/emails/registration_declined",
        ),
        _allauth("email_confirmation_signup", _("Email confirmation after sign-up")),
        _allauth("email_confirmation", _("Email confirmation")),
        _allauth("account_already_exists", _("Account already exists")),
        _allauth("unknown_account", _("No account for this address")),
        EmailKind("signin_link", _("Sign-in link"), "identity/emails/signin_link"),
        _allauth("login_code", _("Sign-in code")),
        _allauth("password_reset_key", _("Password-reset link")),
        EmailKind(
            "password_reset_sent",
            _("Password-reset link sent by the shop"),
            "identity/emails/password_reset_sent",
        ),
        _allauth("password_reset", _("Password was reset")),
        _allauth("password_changed", _("Password changed")),
        _allauth("password_set", _("Password set")),
        _allauth("email_added", _("Email address added")),
        _allauth("email_changed", _("Email address changed")),
        _allauth("email_confirm", _("Email address confirmed")),
        _allauth("email_deleted", _("Email address removed")),
        _allauth("totp_activated", _("Authenticator app added"), "mfa"),
        _allauth("totp_deactivated", _("Authenticator app removed"), "mfa"),
        _allauth("webauthn_added", _("Passkey or security key added"), "mfa"),
        _allauth("webauthn_removed", _("Passkey or security key removed"), "mfa"),
        _allauth("recovery_codes_generated", _("Recovery codes made"), "mfa"),
        _allauth("recovery_code_used", _("Recovery code used"), "mfa"),
        EmailKind("factor_locked", _("Sign-in method locked"), "identity/emails/factor_locked"),
        EmailKind(
            "two_factor_reset",
            _("Two-factor reset by the shop"),
            "identity/emails/two_factor_reset",
        ),
        _order("order_placed", _("Order confirmation")),
        _order("order_paid", _("Payment received")),
        _order("order_shipped", _("Order shipped")),
        _order("order_cancelled", _("Order cancelled")),
        _order("order_refunded", _("Order refunded")),
        EmailKind(
            "contact_message",
            _("Contact form message"),
            "customers/emails/contact_message",
            placeholders=("store_name", "sender_name"),
            to_merchant=True,
            reason=_(
                "You receive this email because a message arrived through the contact form "
                "of your shop %(shop)s."
            ),
        ),
    )
}

CHOICES = [(kind.key, kind.label) for kind in EMAIL_KINDS.values()]


def email_kind(key: str) -> EmailKind | None:
    """The registered kind `key`, or None for one the product never sends."""
    return EMAIL_KINDS.get(key)
