"""Typed errors of customer actions (see core/errors.py): a code and a
translatable message, which each surface turns into a form error, a message
or a 4xx JSON body."""

from django.utils.translation import gettext_lazy as _

from shop_accounts.core.errors import DomainError, InvalidInput


class CustomerError(DomainError):
    code = "customer_error"
    message = _("The customer could not be changed.")


class EmailTaken(CustomerError):
    code = "email_taken"
    message = _("A customer with this email address already exists in this store.")
    field = "email"


class InvalidEmail(CustomerError):
    code = "invalid_email"
    message = _("Enter a valid email address.")
    field = "email"


class AccountStateConflict(CustomerError):
    code = "account_state_conflict"
    message = _("This cannot be done in the account's current state.")


class RealmChangeConflict(CustomerError):
    """Switching a store's account sharing would put one email twice in a realm."""

    code = "realm_change_conflict"
    message = _(
        "Some customers have an account in both this store and the stores it would share "
        "with. Merge or remove those accounts first."
    )


class SignupClosed(CustomerError):
    code = "signup_closed"
    message = _("This shop opens accounts by invitation only. Ask the shop for an invitation.")


class EditConflict(CustomerError):
    """Someone else changed a field this edit also changes, after the editor
    loaded it. Nothing is saved; the editor sees the other change first."""

    code = "edit_conflict"
    message = _(
        "Someone else changed this customer while you were editing. Nothing was saved: "
        "check their change, then make yours again."
    )

    def __init__(self, fields: list[str] | None = None) -> None:
        self.fields = fields or []
        super().__init__()


class UnknownConsentSource(CustomerError):
    """A consent change was given a source that is not a ConsentSource."""

    code = "unknown_consent_source"
    message = _("This is not a known source of marketing consent: %(source)s.")

    def __init__(self, source: str) -> None:
        super().__init__(params={"source": source})


class InvalidAddress(InvalidInput, CustomerError):
    """An address that breaks the address rules; `errors` holds each field's."""

    code = "invalid_address"
    message = _("Check the address: some of its fields are not valid.")
