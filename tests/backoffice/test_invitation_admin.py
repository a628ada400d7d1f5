"""Invitations in the back office: invite and resend in bulk from the customer
list, a button on the customer's page, the invitation's state (sent,
accepted, expired, with dates) on the record, and the store's own invitation
text per language, which starts from the standard text."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer, CustomerEvent, Invitation
from shop_accounts.identity import invitations
from shop_accounts.stores.models import EmailText

Kind = CustomerEvent.Kind
State = Customer.AccountState
CHANGELIST = reverse("backoffice:customers_customer_changelist")
DEFAULT_TEXT = {
    "subject": "Your invitation to Test Shop",
    "message": "You are invited to open a customer account at Test Shop.",
}
LINK_URL = re.compile(r"(http://[^\s/]+)(/account/invitation/[A-Za-z0-9_\-]+/)")


def change_url(customer: Customer) -> str:
    return reverse("backoffice:customers_customer_change", args=[customer.pk])


def invite_url(customer: Customer) -> str:
    return reverse("backoffice:customers_customer_invite", args=[customer.pk])


def told(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def anna(store) -> Customer:
    return actions.create_customer(
        store=store, email="anna@example.com", actor=None, first_name="Anna"
    )


def test_merchant_invites_the_selected_customers_from_the_list(
    merchant_client, merchant, store, anna, make_account_holder, smtp_sink
):
    holder = make_account_holder(store, "holder@example.com")

    response = merchant_client.post(
        CHANGELIST,
        {"action": "invite_to_open_account", "_selected_action": [anna.pk, holder.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert told(response) == [
        "1 invitation sent.",
        "1 customer skipped: they already have an account.",
    ]
    anna.refresh_from_db()
    holder.refresh_from_db()
    assert anna.account_state == State.INVITED
    assert anna.events.get(kind=Kind.INVITED).actor == merchant
    assert holder.account_state == State.ACTIVE
    assert not Invitation.objects.filter(customer=holder).exists()
    assert deliver_due_emails() == 1
    (message,) = smtp_sink.to("anna@example.com")
    match = LINK_URL.search(smtp_sink.text_of(message))
    assert match and match.group(1) == "http://testserver"


def test_resend_action_sends_a_new_link_to_invited_customers_only(
    merchant_client, merchant, store, anna, smtp_sink
):
    carl = actions.create_customer(store=store, email="carl@example.com", actor=None)
    first = invitations.invite_customer(anna, store=store, actor=merchant)

    response = merchant_client.post(
        CHANGELIST,
        {"action": "resend_invitations", "_selected_action": [anna.pk, carl.pk]},
        follow=True,
    )

    assert told(response) == [
        "1 invitation sent.",
        "1 customer skipped: not invited yet, use “Invite” first.",
    ]
    first.refresh_from_db()
    assert first.status == Invitation.Status.SUPERSEDED
    assert anna.events.filter(kind=Kind.INVITATION_RESENT).count() == 1
    carl.refresh_from_db()
    assert carl.account_state == State.NONE
    assert deliver_due_emails() == 2
    assert [m["To"] for m in smtp_sink.messages] == ["anna@example.com", "anna@example.com"]


def test_customer_page_shows_the_invitation_state_and_a_button_to_invite(
    merchant_client, merchant, store, anna, smtp_sink
):
    page = merchant_client.get(change_url(anna)).content.decode()
    assert "Not invited." in page
    assert f'href="{invite_url(anna)}"' in page
    assert "Invite to open an account" in page

    sent_at = timezone.now().replace(microsecond=0)
    with time_machine.travel(sent_at, tick=False):
        response = merchant_client.post(invite_url(anna), DEFAULT_TEXT, follow=True)

    assert response.redirect_chain[-1][0] == change_url(anna)
    assert told(response) == ["An invitation was sent to anna@example.com."]
    page = response.content.decode()
    sent, expires = timezone.localtime(sent_at), timezone.localtime(sent_at + timedelta(days=30))
    # In the merchant's locale (Django's DATETIME_FORMAT for English).
    assert (
        f"Sent on {date_format(sent, 'DATETIME_FORMAT')}, "
        f"valid until {date_format(expires, 'DATETIME_FORMAT')}."
    ) in page
    assert "Send the invitation again" in page

    again = merchant_client.post(invite_url(anna), DEFAULT_TEXT, follow=True)
    assert told(again) == ["The invitation was sent again to anna@example.com."]
    assert Invitation.objects.filter(customer=anna).count() == 2

    with time_machine.travel(timezone.now() + timedelta(days=31)):
        merchant_client.force_login(merchant)  # staff sessions end within a day
        page = merchant_client.get(change_url(anna)).content.decode()
        assert "Expired on" in page
        assert "Send the invitation again" in page


def test_customer_page_shows_when_the_invitation_was_accepted(
    merchant_client, store, anna, smtp_sink
):
    invitations.invite_customer(anna, store=store, actor=None)
    deliver_due_emails()
    path = LINK_URL.search(smtp_sink.text_of(smtp_sink.messages[0])).group(2)
    customer_side = Client()
    customer_side.post(
        path, {"password1": "a long walk on a beach", "password2": "a long walk on a beach"}
    )
    accepted_at = Invitation.objects.get().accepted_at

    page = merchant_client.get(change_url(anna)).content.decode()

    assert f"Accepted on {date_format(timezone.localtime(accepted_at), 'DATETIME_FORMAT')}" in page
    assert "Invite to open an account" not in page
    assert "Send the invitation again" not in page
    assert "Invitation accepted" in page  # the event trail


def test_invite_button_refuses_a_customer_with_an_account(
    merchant_client, store, make_account_holder, smtp_sink
):
    holder = make_account_holder(store, "holder@example.com")

    response = merchant_client.post(invite_url(holder), DEFAULT_TEXT, follow=True)

    assert told(response) == [
        "This customer already has an account, so there is nothing to invite to."
    ]
    holder.refresh_from_db()
    assert holder.account_state == State.ACTIVE
    assert Invitation.objects.count() == 0
    assert deliver_due_emails() == 0


def test_only_staff_may_invite(client, merchant_client, store, anna, make_account_holder):
    shopper = Client()
    shopper.force_login(make_account_holder(store, "shopper@example.com"))
    refused = shopper.post(invite_url(anna), DEFAULT_TEXT)
    refused_bulk = shopper.post(
        CHANGELIST, {"action": "invite_to_open_account", "_selected_action": [anna.pk]}
    )

    assert refused.status_code == 302
    assert refused_bulk.status_code == 302
    anna.refresh_from_db()
    assert anna.account_state == State.NONE
    assert Invitation.objects.count() == 0


def test_new_invitation_text_starts_from_the_standard_text_and_is_used(
    merchant_client, store, smtp_sink
):
    add = reverse("backoffice:stores_emailtext_add")
    form = merchant_client.get(add).context["adminform"].form
    assert form["subject"].value() == "Your invitation to {store_name}"
    assert form["message"].value().startswith("You are invited to open a customer account")
    assert form["kind"].value() == "invitation"
    assert merchant_client.get(add + "?store=nonsense&language=nl").status_code == 200

    response = merchant_client.post(
        add,
        {
            "store": store.pk,
            "kind": "invitation",
            "language": "de",
            "subject": "Ihre Einladung",
            "message": "Willkommen bei uns!",
        },
    )
    assert response.status_code == 302
    duplicate = merchant_client.post(
        add,
        {
            "store": store.pk,
            "kind": "invitation",
            "language": "de",
            "subject": "Noch eine",
            "message": "",
        },
    )
    assert duplicate.status_code == 200
    assert duplicate.context["adminform"].form.errors
    assert EmailText.objects.get().subject == "Ihre Einladung"

    klaus = actions.create_customer(
        store=store, email="klaus@example.com", actor=None, language="de"
    )
    form = merchant_client.get(invite_url(klaus)).context["form"]
    assert form["subject"].value() == "Ihre Einladung"
    merchant_client.post(invite_url(klaus), {k: form[k].value() for k in ("subject", "message")})
    deliver_due_emails()
    (message,) = smtp_sink.to("klaus@example.com")
    assert message["Subject"] == "Ihre Einladung"
    assert "Willkommen bei uns!" in smtp_sink.text_of(message)


def test_merchant_writes_the_subject_and_message_of_one_invitation(
    merchant_client, store, smtp_sink
):
    jan = actions.create_customer(store=store, email="jan@example.com", actor=None, language="nl")
    page = merchant_client.get(invite_url(jan))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Invite jan@example.com to open an account" in html
    assert "The invitation goes to jan@example.com in Dutch, from Test Shop." in html
    dutch_subject, dutch_message = invitations.default_invitation_text(store, "nl")
    assert page.context["form"]["subject"].value() == dutch_subject
    assert page.context["form"]["message"].value() == dutch_message

    empty = merchant_client.post(invite_url(jan), {"subject": "", "message": "Hi"})
    assert empty.status_code == 400
    assert Invitation.objects.count() == 0

    merchant_client.post(invite_url(jan), {"subject": "Welkom, Jan", "message": "Speciaal voor u."})

    deliver_due_emails()
    (message,) = smtp_sink.to("jan@example.com")
    assert message["Subject"] == "Welkom, Jan"
    assert "Speciaal voor u." in smtp_sink.text_of(message)
    invitation = Invitation.objects.get()
    assert (invitation.subject, invitation.message) == ("Welkom, Jan", "Speciaal voor u.")
