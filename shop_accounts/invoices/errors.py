"""Typed errors of invoice actions (see core/errors.py): a code and a
translatable message, which each surface turns into a form error, a message
or a 4xx JSON body."""

from django.utils.translation import gettext_lazy as _

from shop_accounts.core.errors import DomainError


class InvoiceError(DomainError):
    code = "invoice_error"
    message = _("The invoice could not be issued.")


class InvoiceImmutable(InvoiceError):
    """An issued invoice or credit note is never changed or deleted (EU VAT
    Directive art. 233: its integrity is guaranteed from issue to the end of
    the storage period). A mistake is corrected by a credit note."""

    code = "invoice_immutable"
    message = _(
        "An issued invoice cannot be changed or deleted. Issue a credit note to correct it."
    )


class NumberOutsideTransaction(InvoiceError):
    """A number was drawn outside a transaction: it would be spent even if
    the invoice were never written, leaving a gap."""

    code = "number_outside_transaction"
    message = _("An invoice number can only be drawn while the invoice is being issued.")


class InvalidInvoice(InvoiceError):
    """The data of an invoice breaks a rule of its own (no lines, a negative
    quantity, an unknown currency, ...); `errors` says which."""

    code = "invalid_invoice"
    message = _("The invoice data is not valid.")


class NotCreditable(InvoiceError):
    """A credit note refers to a credit note, or to an invoice of another store."""

    code = "not_creditable"
    message = _("A credit note can only refer to an invoice of the same store.")


class CreditExceedsInvoice(InvoiceError):
    """The credit notes of an invoice would credit more than it charged."""

    code = "credit_exceeds_invoice"
    message = _(
        "This credit note would credit more than the invoice charged (%(left)s %(currency)s "
        "without VAT can still be credited)."
    )
