"""The storefront's contact form: a message from an unknown email becomes a
lead (a customer record without an account), from a known one it lands on
that record; the merchant reads it on the customer's page."""

import re

import pytest
from django.urls import reverse

from shop_accounts.core.models import OutboundEmail
from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers.models import ContactMessage, Customer, CustomerEvent
from shop_accounts.stores import actions as store_actions

CONTACT = "/contact/"


def message(**changes) -> dict:
    return {
        "name": "Nina Visser",
        "email": "Nina@Example.com",
        "subject": "Opening hours",
        "message": "Are you open on Sundays?",
        **changes,
    }


def test_message_from_an_unknown_email_creates_a_lead_without_an_account(client, store):
    response = client.post(CONTACT, message())

    assert response.status_code == 302
    assert response.url == reverse("storefront:contact-sent")
    lead = Customer.objects.get(email="nina@example.com")
    assert lead.is_lead
    assert lead.account_state == Customer.AccountState.NONE
    assert (lead.first_name, lead.last_name) == ("Nina", "Visser")
    assert lead.store == store
    (kept,) = ContactMessage.objects.filter(customer=lead)
    assert (kept.subject, kept.message) == ("Opening hours", "Are you open on Sundays?")
    assert lead.events.filter(kind=CustomerEvent.Kind.CONTACT_MESSAGE).count() == 1


def test_lead_keeps_the_language_the_page_was_in(client, store):
    client.post(reverse("storefront:set-language"), {"language": "nl", "next": "/"})

    client.post(CONTACT, message())

    assert Customer.objects.get(email="nina@example.com").language == "nl"


def test_message_from_a_known_email_lands_on_that_record_and_changes_nothing_else(
    client, store, make_account_holder
):
    anna = make_account_holder(store, "anna@example.com", first_name="Anna", last_name="Jansen")

    client.post(CONTACT, message(email="anna@example.com", name="Someone Else"))

    anna.refresh_from_db()
    assert not anna.is_lead
    assert (anna.first_name, anna.last_name) == ("Anna", "Jansen")
    assert anna.account_state == Customer.AccountState.ACTIVE
    assert ContactMessage.objects.get().customer == anna
    assert Customer.objects.filter(email="anna@example.com").count() == 1


def test_second_message_from_a_lead_joins_the_first(client, store):
    client.post(CONTACT, message())
    client.post(CONTACT, message(subject="And on holidays?"))

    lead = Customer.objects.get(email="nina@example.com")
    assert ContactMessage.objects.filter(customer=lead).count() == 2


def test_message_in_a_store_with_separate_accounts_makes_its_own_record(
    client, store, other_store, make_account_holder
):
    make_account_holder(store, "anna@example.com")

    client.post(CONTACT, message(email="anna@example.com"), HTTP_HOST="other.testserver")

    there = Customer.objects.get(email="anna@example.com", store=other_store)
    assert there.is_lead
    assert ContactMessage.objects.get().customer == there


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"email": "not an email"}, "Enter a valid email address."),
        ({"message": ""}, "This field is required."),
        ({"name": ""}, "This field is required."),
        ({"message": "x" * 5001}, "Ensure this value has at most 5000 characters"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(client, store, changes, error):
    sent = message(**changes)
    response = client.post(CONTACT, sent)

    html = response.content.decode()
    assert response.status_code == 400
    assert error in html
    # What the shopper typed is still in the form.
    assert sent["message"] in html
    assert ContactMessage.objects.count() == 0
    assert Customer.objects.count() == 0


def test_merchant_reads_the_messages_on_the_customer_page(client, store, merchant):
    client.post(CONTACT, message())
    lead = Customer.objects.get(email="nina@example.com")
    client.force_login(merchant)

    page = client.get(reverse("backoffice:customers_customer_change", args=[lead.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Are you open on Sundays?" in html
    assert "A lead: this record was created by a message through the contact form." in html


def test_merchant_filters_the_customer_list_by_leads(client, store, merchant, make_account_holder):
    make_account_holder(store, "anna@example.com")
    client.post(CONTACT, message())
    client.force_login(merchant)

    page = client.get(reverse("backoffice:customers_customer_changelist"), {"is_lead__exact": "1"})

    # The list names the lead by name ("Nina Visser"); Anna is not in it.
    assert [c.email for c in page.context["cl"].result_list] == ["nina@example.com"]
    assert "Nina Visser" in page.content.decode()


def test_message_is_forwarded_to_the_stores_address_in_the_stores_language(
    client, store, smtp_sink
):
    store_actions.update_store(store, email_from="shop@example.com")

    client.post(CONTACT, message())
    deliver_due_emails()

    (forwarded,) = smtp_sink.to("shop@example.com")
    text = smtp_sink.text_of(forwarded)
    assert forwarded["Subject"] == "Contact form: Opening hours (from Nina Visser)"
    assert "Are you open on Sundays?" in text
    assert "nina@example.com" in text
    lead = Customer.objects.get(email="nina@example.com")
    assert f"http://testserver/backoffice/customers/customer/{lead.pk}/change/" in text


def test_the_forward_says_what_was_typed_and_replies_to_the_sender(client, store, smtp_sink):
    store_actions.update_store(store, name="Jansen & O'Brien", email_from="shop@example.com")

    client.post(
        CONTACT,
        message(
            name="O'Brien",
            email="obrien@example.com",
            subject="Prices & delivery",
            message="Do you ship <large> items & furniture?",
        ),
    )
    deliver_due_emails()

    (forwarded,) = smtp_sink.to("shop@example.com")
    assert forwarded["Subject"] == "Contact form: Prices & delivery (from O'Brien)"
    assert forwarded["Reply-To"] == "obrien@example.com"
    text = smtp_sink.text_of(forwarded).replace("\r\n", "\n")
    assert text.startswith(
        "A message arrived through the contact form of Jansen & O'Brien.\n\n"
        "From: O'Brien <obrien@example.com>\n"
        "Subject: Prices & delivery\n\n"
        "Do you ship <large> items & furniture?\n"
    )


def test_no_forward_without_a_store_address(client, store, smtp_sink):
    client.post(CONTACT, message())

    assert not OutboundEmail.objects.filter(kind="contact_message").exists()


def test_a_flood_of_messages_from_one_sender_is_slowed_down(client, store):
    for _attempt in range(3):
        assert client.post(CONTACT, message()).status_code == 302

    refused = client.post(CONTACT, message(message="And on Mondays?"))

    assert refused.status_code == 429
    assert "Please wait a few minutes and try again." in refused.content.decode()
    assert refused.context["form"]["message"].value() == "And on Mondays?"
    assert ContactMessage.objects.count() == 3
    assert client.post(CONTACT, message(email="other@example.com")).status_code == 302


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_contact_forms_labels_end_without_a_colon(client, store, settings, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get(CONTACT).content.decode()

    labels = re.findall(r"<label[^>]*>(.*?)</label>", page, re.S)
    assert len(labels) == 5  # the four fields and the footer's language menu
    assert [label for label in labels if label.strip().endswith(":")] == []
