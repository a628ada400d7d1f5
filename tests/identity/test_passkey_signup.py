"""Opening an account with a passkey instead of a password, where the store
has passkey sign-in on: signing up with a passkey (the email only, the
emailed link opened in the same browser goes on to "create your passkey"),
and accepting an invitation with "Use a passkey instead" (single use like the
password path, then straight on to adding the passkey without being asked for
a password the customer does not have). The WebAuthn ceremony itself runs in
tests/browser/test_passkey_signup.py."""

import re
import threading

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer, CustomerEvent, Invitation
from shop_accounts.identity import invitations
from shop_accounts.stores import actions as store_actions

Kind = CustomerEvent.Kind
State = Customer.AccountState
LINK_URL = re.compile(r"http://testserver(/account/invitation/[A-Za-z0-9_\-]+/)")
ADD_PASSKEY = "/account/2fa/webauthn/add/"
SIGNUP_BY_PASSKEY = "/account/signup/passkey/"
CREATE_PASSKEY = "/account/2fa/webauthn/signup/"
VERIFICATION_SENT = "/account/confirm-email/"
CONFIRM_LINK = re.compile(r"http://testserver(/account/confirm-email/[^\s]+/)")
NEW_PASSWORD = "a long walk on a quiet beach"


@pytest.fixture
def anna(store) -> Customer:
    return actions.create_customer(
        store=store, email="anna@example.com", actor=None, first_name="Anna"
    )


def invitation_path(smtp_sink, customer: Customer) -> str:
    invitations.invite_customer(customer, store=customer.store, actor=None)
    deliver_due_emails()
    return LINK_URL.search(smtp_sink.text_of(smtp_sink.to(customer.email)[-1])).group(1)


def use_passkey(client: Client, path: str):
    return client.post(path, {"use_passkey": "1"})


def signed_in_customer(client: Client) -> Customer | None:
    user = client.get(reverse("storefront:my-account")).wsgi_request.user
    return user if user.is_authenticated else None


def confirmation_path(smtp_sink, email: str) -> str:
    deliver_due_emails()
    return CONFIRM_LINK.search(smtp_sink.text_of(smtp_sink.to(email)[-1])).group(1)


# --- sign-up with a passkey -----------------------------------------------------------


def test_sign_up_page_offers_a_passkey_where_the_store_has_passkeys(client, store):
    html = client.get(reverse("account_signup")).content.decode()

    assert f'href="{SIGNUP_BY_PASSKEY}"' in html
    assert "Sign up using a passkey" in html


def test_passkey_sign_up_is_not_found_where_passkeys_are_off(client, store):
    store_actions.update_store(store, signin_with_passkey=False)

    assert (
        f'href="{SIGNUP_BY_PASSKEY}"' not in client.get(reverse("account_signup")).content.decode()
    )
    assert client.get(SIGNUP_BY_PASSKEY).status_code == 404
    assert (
        client.post(
            SIGNUP_BY_PASSKEY,
            {"first_name": "Nina", "last_name": "Jansen", "email": "nina@example.com"},
        ).status_code
        == 404
    )
    assert client.get(CREATE_PASSKEY).status_code == 404
    assert not Customer.objects.filter(email="nina@example.com").exists()


def test_passkey_sign_up_asks_for_the_email_only_and_opens_an_account_without_password(
    client, store, smtp_sink
):
    form = client.get(SIGNUP_BY_PASSKEY).context["form"]
    assert "email" in form.fields
    assert not set(form.fields) & {"password1", "password2"}

    response = client.post(
        SIGNUP_BY_PASSKEY,
        {"first_name": "Nina", "last_name": "Jansen", "email": "nina@example.com"},
    )

    assert response.status_code == 302
    assert response["Location"] == VERIFICATION_SENT
    nina = Customer.objects.get(email="nina@example.com")
    assert nina.account_state == State.AWAITING_ACTIVATION
    assert not nina.has_usable_password()
    deliver_due_emails()
    text = smtp_sink.text_of(smtp_sink.to("nina@example.com")[-1])
    assert (
        "Open the link in the browser where you registered: there you create your passkey" in text
    )
    assert "no password needed" not in text


def test_confirmation_link_in_the_same_browser_goes_on_to_create_the_passkey(
    client, store, smtp_sink
):
    client.post(
        SIGNUP_BY_PASSKEY,
        {"first_name": "Nina", "last_name": "Jansen", "email": "nina@example.com"},
    )
    link = confirmation_path(smtp_sink, "nina@example.com")

    response = client.post(link)

    assert response.status_code == 302
    assert response["Location"] == CREATE_PASSKEY
    nina = Customer.objects.get(email="nina@example.com")
    assert nina.account_state == State.ACTIVE
    assert EmailAddress.objects.get(user=nina).verified
    page = client.get(CREATE_PASSKEY)
    assert page.status_code == 200
    assert "creation_options" in page.context["js_data"]
    # Signed in only once the passkey is made.
    assert signed_in_customer(client) is None


def test_confirmation_link_in_another_browser_only_confirms_the_email(client, store, smtp_sink):
    client.post(
        SIGNUP_BY_PASSKEY,
        {"first_name": "Nina", "last_name": "Jansen", "email": "nina@example.com"},
    )
    link = confirmation_path(smtp_sink, "nina@example.com")

    elsewhere = Client()
    response = elsewhere.post(link)

    assert response.status_code == 302
    assert response["Location"] != CREATE_PASSKEY
    assert signed_in_customer(elsewhere) is None
    assert Customer.objects.get(email="nina@example.com").account_state == State.ACTIVE


def test_a_password_sign_up_does_not_go_on_to_create_a_passkey(client, store, smtp_sink):
    password = NEW_PASSWORD
    client.post(
        reverse("account_signup"),
        {
            "first_name": "Nina",
            "last_name": "Jansen",
            "email": "nina@example.com",
            "password1": password,
            "password2": password,
        },
    )
    link = confirmation_path(smtp_sink, "nina@example.com")

    response = client.post(link)

    # Signed in by the link (the same browser), straight to My account.
    assert response.status_code == 302
    assert response["Location"] == reverse("storefront:my-account")
    assert signed_in_customer(client) == Customer.objects.get(email="nina@example.com")


# --- invitations ----------------------------------------------------------------------


def test_invitation_page_offers_a_passkey_where_the_store_has_passkeys(
    client, store, anna, smtp_sink
):
    path = invitation_path(smtp_sink, anna)

    html = client.get(path).content.decode()

    assert "<h2>Or use a passkey instead</h2>" in html
    assert 'name="use_passkey"' in html
    assert 'name="password1"' in html


def test_invitation_page_has_no_passkey_option_where_passkeys_are_off(
    client, store, anna, smtp_sink
):
    store_actions.update_store(store, signin_with_passkey=False)
    path = invitation_path(smtp_sink, anna)

    html = client.get(path).content.decode()

    assert 'name="use_passkey"' not in html
    assert 'name="password1"' in html


def test_use_a_passkey_instead_opens_the_account_without_a_password_and_goes_to_add_one(
    client, store, anna, smtp_sink
):
    path = invitation_path(smtp_sink, anna)

    response = use_passkey(client, path)

    assert response.status_code == 302
    assert response["Location"] == ADD_PASSKEY
    anna.refresh_from_db()
    assert anna.account_state == State.ACTIVE
    assert not anna.has_usable_password()
    assert EmailAddress.objects.get(user=anna).verified
    assert invitations.latest_invitation(anna).status == Invitation.Status.ACCEPTED
    assert anna.events.filter(kind=Kind.INVITATION_ACCEPTED).count() == 1
    # Straight to allauth's "add a passkey" page: no password asked for.
    add_page = client.get(ADD_PASSKEY)
    assert add_page.status_code == 200
    assert add_page.wsgi_request.user == anna
    # Every passkey added signs in on its own: no "Passwordless" choice.
    assert "passwordless" not in add_page.context["form"].fields
    assert "Now add a passkey" in add_page.content.decode()


def test_passkey_acceptance_is_single_use(client, store, anna, smtp_sink):
    path = invitation_path(smtp_sink, anna)
    use_passkey(client, path)
    client.post(reverse("account_logout"))

    again = Client()
    by_passkey = use_passkey(again, path)
    by_password = again.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    for answer in (by_passkey, by_password):
        assert answer.status_code == 410
        assert b"This invitation has already been used" in answer.content
    assert signed_in_customer(again) is None
    anna.refresh_from_db()
    assert not anna.has_usable_password()
    assert anna.events.filter(kind=Kind.INVITATION_ACCEPTED).count() == 1


def test_passkey_acceptance_is_refused_where_passkeys_are_off(client, store, anna, smtp_sink):
    path = invitation_path(smtp_sink, anna)
    store_actions.update_store(store, signin_with_passkey=False)

    response = use_passkey(client, path)

    assert response.status_code == 404
    assert signed_in_customer(client) is None
    anna.refresh_from_db()
    assert anna.account_state == State.INVITED
    assert Invitation.objects.get().accepted_at is None


def test_password_customers_keep_the_ordinary_add_passkey_form(client, store, make_account_holder):
    bob = make_account_holder(store, "bob@example.com")
    client.force_login(bob)

    page = client.get(ADD_PASSKEY)

    # allauth asks a customer with a password to confirm it first.
    assert page.status_code == 302
    assert "/account/reauthenticate/" in page["Location"]


@pytest.mark.django_db(transaction=True)
def test_parallel_password_and_passkey_acceptances_make_exactly_one_session(store, smtp_sink):
    anna = actions.create_customer(store=store, email="anna@example.com", actor=None)
    path = invitation_path(smtp_sink, anna)
    clients = [Client() for _ in range(8)]
    statuses: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(len(clients))

    def spend(index: int, each: Client) -> None:
        try:
            start.wait()
            if index % 2:
                response = use_passkey(each, path)
            else:
                password = f"{NEW_PASSWORD} {index}"
                response = each.post(path, {"password1": password, "password2": password})
            statuses.append(response.status_code)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=spend, args=pair) for pair in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(statuses) == [302] + [410] * 7
    sessions = [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id")]
    assert len(sessions) == 1
    assert CustomerEvent.objects.filter(kind=Kind.INVITATION_ACCEPTED).count() == 1
