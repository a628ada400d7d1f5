"""Typed errors of customer actions: a code and a translatable message, which
each surface turns into a form error, a message or a 4xx JSON body."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

StrOrPromise = str | Promise


class CustomerError(Exception):
    code = "customer_error"
    message: StrOrPromise = _("The customer could not be changed.")
    field: str | None = None

    def __init__(self, message: "str | StrOrPromise | None" = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


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
