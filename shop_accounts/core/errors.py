"""The root of every refusal a domain action raises.

An action that refuses raises a `DomainError` subclass: a stable `code` (for
the API and tests), a translatable `message` (with `params` interpolated
when it is shown), optionally the form `field` it is about, and for input
that fails several field rules at once, `errors` (field -> messages, "" for
the whole input). Each surface turns one into a form error, a message or a
4xx JSON body in one place (`backoffice/errors.py`, `storefront/errors.py`);
a refusal is never a 500. No bare ValueError, TypeError or ValidationError
leaves an action."""

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # django-stubs' name for a str or a lazy translation
    from django.utils.functional import _StrOrPromise as StrOrPromise
else:
    from django.utils.functional import Promise

    StrOrPromise = str | Promise


class DomainError(Exception):
    """A refusal of a domain action. Subclasses set `code`, `message` and,
    where the refusal is about one input, `field`."""

    code: str = "domain_error"
    message: StrOrPromise = _("This could not be done.")
    field: str | None = None

    def __init__(
        self,
        message: StrOrPromise | None = None,
        *,
        field: str | None = None,
        params: dict[str, Any] | None = None,
        errors: dict[str, list[StrOrPromise]] | None = None,
    ) -> None:
        if message is not None:
            self.message = message
        if field is not None:
            self.field = field
        self.params: dict[str, Any] = dict(params or {})
        self.errors: dict[str, list[StrOrPromise]] = dict(errors or {})
        super().__init__(self.code)

    def text(self) -> str:
        """The message in the active language, with its params filled in."""
        message = str(self.message)
        return message % self.params if self.params else message

    def __str__(self) -> str:
        return self.text()

    def form_errors(self) -> dict[str | None, list[ValidationError]]:
        """The refusal as form errors: field name (None: the whole form) to
        its errors, for the surfaces' one helper that shows it on a form."""
        if self.errors:
            return {
                field or None: [ValidationError(message, code=self.code) for message in messages]
                for field, messages in self.errors.items()
            }
        error = ValidationError(self.message, code=self.code, params=self.params or None)
        return {self.field: [error]}


class UnknownField(DomainError):
    """An action was given a field it does not change (a caller's mistake:
    email, consent and account state have actions of their own)."""

    code = "unknown_field"
    message = _("These fields cannot be changed here: %(fields)s.")

    def __init__(self, fields: set[str] | list[str]) -> None:
        self.fields = sorted(fields)
        super().__init__(params={"fields": ", ".join(self.fields)})

    @classmethod
    def refuse(cls, given: Iterable[str], allowed: AbstractSet[str]) -> None:
        """Raise for the names in `given` that are not in `allowed`."""
        unknown = set(given) - allowed
        if unknown:
            raise cls(unknown)


class InvalidInput(DomainError):
    """Input that breaks the model's own rules; `errors` says which field
    broke which rule (from the model's ValidationError)."""

    code = "invalid_input"
    message = _("Some of the data given is not valid.")

    @classmethod
    def from_validation_error(cls, error: ValidationError) -> "InvalidInput":
        """The same refusal as a typed error, keeping every field's messages."""
        errors: dict[str, list[StrOrPromise]]
        if hasattr(error, "error_dict"):
            errors = {
                "" if field == "__all__" else field: [str(message) for message in messages]
                for field, messages in error.message_dict.items()
            }
        else:
            errors = {"": [str(message) for message in error.messages]}
        return cls(errors=errors)
