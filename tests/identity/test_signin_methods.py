"""The sign-in page offers the ways in each store has switched on, and the
signed-in devices page lists and ends sessions."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from shop_accounts.customers.models import Customer
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import Store
from tests.conftest import PASSWORD

LOGIN = "/account/login/"


def signed_in_customer(client: Client) -> Customer | None:
    response = client.get(reverse("storefront:my-account"))
    user = response.wsgi_request.user
    return user if user.is_authenticated else None


def test_sign_in_page_offers_every_way_in_by_default(client, store):
    page = client.get(LOGIN).content.decode()

    assert '<label for="id_login">Email</label>' in page
    assert '<label for="id_password">Password</label>' in page
    assert '<label for="id_remember">Stay signed in</label>' in page
    assert 'href="/account/password/reset/">Forgot your password?' in page
    assert 'href="/account/login/link/">Email me a sign-in link' in page
    assert 'href="/account/login/code/">Email me a code' in page
    assert 'id="passkey_login">Sign in with a passkey' in page
    assert 'href="/account/signup/">Create an account' in page
    assert page.count("<main") == 1
    assert page.count("<h1>") == 1


def test_every_script_on_the_sign_in_page_carries_the_csp_nonce(client, store):
    response = client.get(LOGIN)
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script[^>]*>", response.content.decode())

    assert len(scripts) >= 4
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)


def test_password_switched_off_hides_the_form_and_refuses_a_posted_password(
    client, store, make_account_holder
):
    make_account_holder(store, "anna@example.com")
    store_actions.update_store(store, signin_with_password=False)

    page = client.get(LOGIN).content.decode()
    response = client.post(LOGIN, {"login": "anna@example.com", "password": PASSWORD})

    assert 'name="password"' not in page
    assert "Forgot your password?" not in page
    assert "Email me a sign-in link" in page
    assert "Email me a code" in page
    assert response.status_code == 200
    assert "This shop does not use passwords to sign in." in response.content.decode()
    assert signed_in_customer(client) is None


def test_password_sign_in_works_where_it_is_switched_on(client, store, make_account_holder):
    anna = make_account_holder(store, "anna@example.com")

    response = client.post(LOGIN, {"login": "anna@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert signed_in_customer(client) == anna


@pytest.mark.parametrize(
    ("switch", "hidden"),
    [
        ("signin_with_link", "Email me a sign-in link"),
        ("signin_with_code", "Email me a code"),
        ("signin_with_passkey", "Sign in with a passkey"),
    ],
)
def test_a_way_in_switched_off_is_not_offered(client, store, switch, hidden):
    store_actions.update_store(store, **{switch: False})

    page = client.get(LOGIN).content.decode()

    assert hidden not in page
    assert "Password" in page


def test_passkey_switched_off_leaves_no_passkey_script(client, store):
    store_actions.update_store(store, signin_with_passkey=False)

    page = client.get(LOGIN).content.decode()

    assert "mfa_login" not in page
    assert "webauthn" not in page


def test_passkey_sign_in_is_not_found_where_the_store_has_passkeys_switched_off(client, store):
    # The passkey sign-in is a POST from the sign-in page; a GET goes there.
    response = client.get("/account/2fa/webauthn/login/")
    assert (response.status_code, response["Location"]) == (302, "/account/login/")

    store_actions.update_store(store, signin_with_passkey=False)

    assert client.get("/account/2fa/webauthn/login/").status_code == 404
    assert client.post("/account/2fa/webauthn/login/", {"credential": "{}"}).status_code == 404


def test_only_passwords_left_shows_no_other_ways(client, store):
    store_actions.update_store(
        store, signin_with_link=False, signin_with_code=False, signin_with_passkey=False
    )

    page = client.get(LOGIN).content.decode()

    assert "Or sign in without a password" not in page
    assert 'name="password"' in page


@pytest.mark.parametrize(
    ("mode", "offer"),
    [
        (Store.SignupMode.FREE, 'href="/account/signup/">Create an account'),
        (Store.SignupMode.ACTIVATION_LINK, 'href="/account/signup/">Create an account'),
        (Store.SignupMode.APPROVAL, 'href="/account/signup/">Request a customer account'),
        (Store.SignupMode.INVITATION, "Accounts in this shop are by invitation only."),
    ],
)
def test_sign_up_offer_follows_the_stores_sign_up_mode(client, store, mode, offer):
    store_actions.update_store(store, signup_mode=mode)

    page = client.get(LOGIN).content.decode()

    assert offer in page
    if mode == Store.SignupMode.INVITATION:
        assert 'href="/account/signup/"' not in page


def test_signed_in_devices_lists_each_session_and_signs_out_the_others(store, make_account_holder):
    anna = make_account_holder(store, "anna@example.com")
    laptop = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Firefox/140.0")
    phone = Client(
        HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) "
        "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1"
    )
    for device in (laptop, phone):
        device.post(LOGIN, {"login": "anna@example.com", "password": PASSWORD})
        assert signed_in_customer(device) == anna

    page = laptop.get("/account/sessions/")
    text = page.content.decode()

    assert page.status_code == 200
    assert "Firefox 140 on Linux" in text
    assert "Mobile Safari 18 on iPhone (iOS 18)" in text
    assert "Last seen" in text
    assert "This device" in text
    assert text.count("<main") == 1

    response = laptop.post("/account/sessions/")

    assert response.status_code == 302
    assert signed_in_customer(laptop) == anna
    assert signed_in_customer(phone) is None
    text = laptop.get("/account/sessions/").content.decode()
    assert "on iPhone" not in text
