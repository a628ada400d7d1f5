"""How a store's emails look and whose words they use: its colour, logo and
address for the layout (core.email_layout), and the merchant's own wording
of an email (stores.EmailText) with its placeholders filled in."""

from dataclasses import dataclass

from shop_accounts.core.email_layout import Branding, fill_placeholders
from shop_accounts.stores.links import store_url
from shop_accounts.stores.models import EmailText, Store


def branding_of(store: Store | None) -> Branding:
    """The layout's sender details for `store` (a plain layout without one)."""
    if store is None:
        return Branding()
    return Branding(
        shop_name=store.name,
        colour=store.email_colour,
        logo_url=store.email_logo_url,
        address=store.postal_address,
        web_address=store_url(store, "/"),
    )


@dataclass(frozen=True)
class OwnText:
    """A merchant's subject and message, placeholders filled in ("" for none)."""

    subject: str = ""
    message: str = ""


def own_text(store: Store | None, kind: str, language: str, values: dict[str, str]) -> OwnText:
    """The merchant's wording of email `kind` in `language` for `store`, with
    `values` put into its placeholders; empty where there is none (then the
    translated default of the template is sent)."""
    if store is None or not kind:
        return OwnText()
    text = EmailText.objects.filter(store=store, kind=kind, language=language).first()
    if text is None:
        return OwnText()
    values = {"store_name": store.name, **values}
    return OwnText(
        subject=fill_placeholders(text.subject, values),
        message=fill_placeholders(text.message, values),
    )
