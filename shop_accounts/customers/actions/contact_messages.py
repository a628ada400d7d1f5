"""Messages from the storefront's contact form, kept on the customer record."""

from django.db import transaction
from django.utils import translation

from shop_accounts.core.outbox import queue_templated_email
from shop_accounts.customers import events
from shop_accounts.customers.actions.records import create_customer, normalize_email
from shop_accounts.customers.errors import EmailTaken
from shop_accounts.customers.locks import lock_customer_by_email
from shop_accounts.customers.models import ContactMessage
from shop_accounts.stores.branding import branding_of, own_text
from shop_accounts.stores.email_kinds import EMAIL_KINDS
from shop_accounts.stores.links import store_link
from shop_accounts.stores.models import Store


@transaction.atomic
def record_contact_message(
    *,
    store: Store,
    name: str,
    email: str,
    subject: str,
    message: str,
    language: str | None = None,
) -> ContactMessage:
    """Keep a message from the storefront's contact form on the customer
    record of its email in the store's realm (Odoo's "create a customer"
    form action). An unknown email becomes a new record without an account,
    marked as a lead; a known one (guest, customer or account holder) gets
    the message attached and is otherwise left as it is.

    Raises InvalidEmail for an unusable email; nothing is saved then."""
    email = normalize_email(email)
    name = name.strip()
    customer = lock_customer_by_email(store.account_realm_id, email)
    if customer is None:
        first_name, _space, last_name = name.partition(" ")
        try:
            customer = create_customer(
                store=store,
                email=email,
                actor=None,
                source="contact",
                language=language or store.default_language,
                first_name=first_name[:150],
                last_name=last_name.strip()[:150],
            )
        except EmailTaken:
            # Another message from the same new email was saved first.
            customer = lock_customer_by_email(store.account_realm_id, email)
            if customer is None:  # and that record is gone again: nothing to attach to
                raise
        else:
            customer.is_lead = True
            customer.save(update_fields=["is_lead", "updated_at"])
    contact = ContactMessage.objects.create(
        store=store,
        customer=customer,
        name=name[:200],
        email=email,
        subject=subject.strip()[:200],
        message=message.strip(),
    )
    events.record_contact_message(customer=customer, message_id=contact.pk, subject=contact.subject)
    _notify_merchant_of_contact_message(contact, store=store)
    return contact


def _notify_merchant_of_contact_message(contact: ContactMessage, *, store: Store) -> None:
    """Forward the message to the store's own address (its sender address),
    in the store's language, so nobody has to watch the back office for it;
    a reply goes to the person who wrote. The link to the customer's page is
    the back office's ("customer_record", registered by it)."""
    if not store.email_from:
        return
    wording = own_text(
        store, "contact_message", store.default_language, {"sender_name": contact.name}
    )
    with translation.override(store.default_language):
        reason = EMAIL_KINDS["contact_message"].reason_for(store.name)
    queue_templated_email(
        "customers/emails/contact_message",
        {
            "contact": contact,
            "store": store,
            "is_lead": contact.customer.is_lead,
            "record_url": store_link(store, "customer_record", contact.customer_id),
        },
        recipient=store.email_from,
        language=store.default_language,
        store_id=store.pk,
        kind="contact_message",
        from_email=store.sender,
        reply_to=contact.email,
        branding=branding_of(store),
        reason=reason,
        own_subject=wording.subject,
        own_message=wording.message,
    )
