"""Opening an account with a passkey instead of a password, where the store
has passkey sign-in on: accepting an invitation with "Use a passkey instead"
(single use like the password path, then straight on to adding the passkey
without being asked for a password the customer does not have). The WebAuthn
ceremony itself runs in tests/browser/test_passkey_signup.py."""

import re
import threading

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.core.cache import cache
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
NEW_PASSWORD = "a long walk on a quiet beach"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


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
    assert add_page.context["form"]["passwordless"].value() is True
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
