"""The merchant's "send password" (Lightspeed): a button on the customer's
page and a bulk action email allauth's password-reset link in the customer's
language; the link sets a new password (and does not sign in), and the trail
records who sent it."""

import re

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from shop_accounts.core.models import OutboundEmail
from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer, CustomerEvent
from tests.conftest import PASSWORD

Kind = CustomerEvent.Kind
CHANGELIST = reverse("backoffice:customers_customer_changelist")
RESET_LINK = re.compile(r"http://testserver(/account/password/reset/key/[^\s]+/)")
NEW_PASSWORD = "a fresh passphrase for the tea shop visits"


def reset_button(customer: Customer) -> str:
    return reverse("backoffice:customers_customer_send_password_reset", args=[customer.pk])


def told(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def signs_in(email: str, password: str) -> bool:
    client = Client()
    client.post(reverse("account_login"), {"login": email, "password": password})
    return client.get(reverse("storefront:my-account")).wsgi_request.user.is_authenticated


def test_button_emails_a_reset_link_that_sets_a_new_password(
    store, merchant, merchant_client, make_account_holder, smtp_sink
):
    anna = make_account_holder(store, "anna@example.com", first_name="Anna", language="de")
    page = merchant_client.get(reverse("backoffice:customers_customer_change", args=[anna.pk]))
    assert f'formaction="{reset_button(anna)}"' in page.content.decode()

    response = merchant_client.post(reset_button(anna))

    assert told(response) == ["A password-reset link was sent to anna@example.com."]
    event = anna.events.get(kind=Kind.PASSWORD_RESET_SENT)
    assert event.actor == merchant
    deliver_due_emails()
    (message,) = smtp_sink.to("anna@example.com")
    assert OutboundEmail.objects.get(recipient="anna@example.com").language == "de"
    text = smtp_sink.text_of(message)
    assert text.startswith("Hallo Anna,")
    link = RESET_LINK.search(text).group(1)
    anna.refresh_from_db()
    assert anna.check_password(PASSWORD)  # the old password stands until the link is used

    browser = Client()
    form_page = browser.get(link, follow=True)
    form_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    response = browser.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert not browser.get(reverse("storefront:my-account")).wsgi_request.user.is_authenticated
    assert signs_in("anna@example.com", NEW_PASSWORD)
    assert not signs_in("anna@example.com", PASSWORD)
    # Single use: the same link does not set a password twice.
    again = Client().get(link, follow=True).content.decode()
    assert 'name="password1"' not in again


def test_bulk_action_sends_to_active_accounts_and_skips_the_others(
    store, merchant, merchant_client, make_account_holder, smtp_sink
):
    anna = make_account_holder(store, "anna@example.com")
    ben = make_account_holder(store, "ben@example.com")
    actions.deactivate_account(ben, actor=merchant)
    guest = actions.create_customer(store=store, email="guest@example.com", actor=None)

    response = merchant_client.post(
        CHANGELIST,
        {"action": "send_password_resets", "_selected_action": [anna.pk, ben.pk, guest.pk]},
        follow=True,
    )

    assert told(response) == [
        "1 customer was sent a password-reset link.",
        "2 customers skipped: not possible in their accounts' current state.",
    ]
    deliver_due_emails()
    assert len(smtp_sink.to("anna@example.com")) == 1
    assert smtp_sink.to("ben@example.com") == smtp_sink.to("guest@example.com") == []
    assert not ben.events.filter(kind=Kind.PASSWORD_RESET_SENT).exists()
    assert not guest.events.filter(kind=Kind.PASSWORD_RESET_SENT).exists()


def test_no_reset_button_for_a_record_without_an_active_account(store, merchant_client):
    guest = actions.create_customer(store=store, email="guest@example.com", actor=None)

    page = merchant_client.get(reverse("backoffice:customers_customer_change", args=[guest.pk]))
    assert reset_button(guest) not in page.content.decode()

    response = merchant_client.post(reset_button(guest))
    assert told(response) == ["This cannot be done in the account's current state."]
    assert OutboundEmail.objects.count() == 0


def test_reset_link_from_the_back_office_does_not_open_in_another_realm(
    store, other_store, merchant_client, make_account_holder, smtp_sink, settings
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".testserver"]
    anna = make_account_holder(store, "anna@example.com")
    merchant_client.post(reset_button(anna))
    deliver_due_emails()
    link = RESET_LINK.search(smtp_sink.text_of(smtp_sink.to("anna@example.com")[0])).group(1)

    page = Client().get(link, HTTP_HOST="other.testserver", follow=True).content.decode()

    assert 'name="password1"' not in page


def test_only_staff_can_send_a_reset(store, make_account_holder):
    anna = make_account_holder(store, "anna@example.com")
    ben = make_account_holder(store, "ben@example.com")
    client = Client()
    client.force_login(ben)

    response = client.post(reset_button(anna))

    assert response.status_code == 302
    assert response["Location"].startswith("/backoffice/login/")
    assert OutboundEmail.objects.count() == 0
