from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicesConfig(AppConfig):
    name = "shop_accounts.invoices"
    label = "invoices"
    verbose_name = _("Invoices")

    def ready(self) -> None:
        # The payment email attaches an invoice by reference ("invoice_pdf",
        # the invoice's id): the worker reads the stored PDF when it sends.
        from shop_accounts.core.attachments import register_attachment_loader
        from shop_accounts.invoices.queries import invoice_pdf_bytes

        register_attachment_loader("invoice_pdf", invoice_pdf_bytes)
