"""The header around sign-in and sign-out, in headless Chromium: a passkey
sign-in leaves the sign-in page for the page the customer wanted, and the
header's "Sign out" button signs out with one POST, no page in between."""

import base64
import hashlib
import os
import re

import pytest
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.webauthn import (
    Aaguid,
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorAttestationResponse,
    AuthenticatorData,
    CollectedClientData,
    RegistrationResponse,
)
from playwright.sync_api import Page, expect

from shop_accounts.customers.models import Customer
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

MY_ACCOUNT = re.compile(r"/my-account/$")


def passkey_on_this_device(page: Page, customer: Customer, origin: str) -> None:
    """A passkey of `customer`, as if added earlier: its private key in
    Chromium's virtual authenticator, its public key in allauth's table (a
    registration response built here, so this test does not depend on the
    page that adds passkeys)."""
    private_key = ec.generate_private_key(ec.SECP256R1())
    credential_id = os.urandom(16)
    user_handle = user_pk_to_url_str(customer).encode()
    rp_id = "localhost"
    auth_data = AuthenticatorData.create(
        hashlib.sha256(rp_id.encode()).digest(),
        AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV | AuthenticatorData.FLAG.AT,
        0,
        AttestedCredentialData.create(
            Aaguid.NONE, credential_id, ES256.from_cryptography_key(private_key.public_key())
        ),
    )
    registration = RegistrationResponse(
        raw_id=credential_id,
        response=AuthenticatorAttestationResponse(
            client_data=CollectedClientData.create("webauthn.create", os.urandom(32), origin),
            attestation_object=AttestationObject.create("none", auth_data, {}),
        ),
        client_extension_results={"credProps": {"rk": True}},
    )
    Authenticator.objects.create(
        user=customer,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "Laptop", "credential": dict(registration)},
    )
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator_id = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )["authenticatorId"]
    pkcs8 = private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    cdp.send(
        "WebAuthn.addCredential",
        {
            "authenticatorId": authenticator_id,
            "credential": {
                "credentialId": base64.b64encode(credential_id).decode(),
                "isResidentCredential": True,
                "rpId": rp_id,
                "privateKey": base64.b64encode(pkcs8).decode(),
                "userHandle": base64.b64encode(user_handle).decode(),
                "signCount": 0,
            },
        },
    )


def test_a_passkey_sign_in_ends_on_the_page_after_sign_in_not_on_the_sign_in_page(
    page, live_server, live_store, make_account_holder
):
    anna = make_account_holder(live_store, "anna@example.com", first_name="Anna")
    passkey_on_this_device(page, anna, live_server.url)
    page.goto("/my-account/")
    expect(page).to_have_url(re.compile(r"/account/login/\?next=/my-account/$"))
    # The passkey button works once the page's scripts have run.
    page.wait_for_load_state("load")

    page.get_by_role("button", name="Sign in with a passkey").click()

    expect(page).to_have_url(MY_ACCOUNT)
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    expect(page.get_by_role("main")).to_contain_text("Hello Anna")
    header = page.get_by_role("navigation", name="Main")
    expect(header.get_by_role("button", name="Sign out")).to_be_visible()


def test_the_headers_sign_out_button_signs_out_with_one_post(page, live_store, make_account_holder):
    make_account_holder(live_store, "anna@example.com", first_name="Anna")
    page.goto("/account/login/")
    header = page.get_by_role("navigation", name="Main")
    expect(header.get_by_role("link", name="Sign in")).to_have_count(0)
    page.get_by_label("Email").fill("anna@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(MY_ACCOUNT)
    page.goto("/catalog/")
    sign_out_requests: list[str] = []
    page.on(
        "request",
        lambda request: (
            sign_out_requests.append(request.method)
            if request.url.endswith("/account/logout/")
            else None
        ),
    )

    page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Browser Shop")
    assert sign_out_requests == ["POST"]
    expect(header.get_by_role("button", name="Sign out")).to_have_count(0)
    expect(header.get_by_role("link", name="Sign in")).to_be_visible()
    page.goto("/my-account/")
    expect(page).to_have_url(re.compile(r"/account/login/\?next=/my-account/$"))


def test_a_passkey_prompt_that_finds_no_passkey_says_so_on_the_sign_in_page(page, live_store):
    # A virtual authenticator without a passkey for this shop: the browser's
    # prompt fails at once, as it does when a customer cancels it.
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {"options": {"protocol": "ctap2", "transport": "internal", "hasResidentKey": True}},
    )
    page.goto("/account/login/")
    page.wait_for_load_state("load")
    expect(page.get_by_role("alert")).to_have_count(0)

    page.get_by_role("button", name="Sign in with a passkey").click()

    expect(page.get_by_role("alert")).to_have_text(
        "The passkey sign-in did not go through: no passkey for this shop was found on this "
        "device, or the request was cancelled. Try again, or sign in another way."
    )
    expect(page).to_have_url(re.compile(r"/account/login/$"))
