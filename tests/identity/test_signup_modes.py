"""Sign-up per the store's sign-up mode, end to end with the real outbox and
SMTP sink: free and activation-link sign-ups wait for the emailed link, a
manual-approval sign-up lands in the approval queue with the data given, an
invitation-only store has no sign-up form. A sign-up on a guest's email gets
the guest record; a sign-up on an account holder's email answers exactly like
a new one."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers import actions, queries
from shop_accounts.customers.models import Customer, CustomerEvent
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import Store
from tests.conftest import PASSWORD

Kind = CustomerEvent.Kind
State = Customer.AccountState
Mode = Store.SignupMode
CONFIRM_LINK = re.compile(r"http://testserver(/account/confirm-email/[^\s]+/)")
VERIFICATION_SENT = "/account/confirm-email/"
INACTIVE = "/account/inactive/"


def sign_up(client: Client, email: str, **extra: str):
    return client.post(
        reverse("account_signup"),
        {
            "first_name": "Nina",
            "last_name": "Jansen",
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            **extra,
        },
    )


def sign_in(client: Client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def signed_in(client: Client) -> bool:
    return client.get(reverse("storefront:my-account")).wsgi_request.user.is_authenticated


def follow_confirmation_link(smtp_sink, email: str) -> Client:
    """Open the emailed link in a fresh browser and press its button."""
    deliver_due_emails()
    (message,) = smtp_sink.to(email)
    link = CONFIRM_LINK.search(smtp_sink.text_of(message)).group(1)
    browser = Client()
    assert browser.get(link).status_code == 200
    response = browser.post(link)
    assert response.status_code == 302
    browser.redirected_to = response["Location"]  # type: ignore[attr-defined]
    return browser


def kinds(customer: Customer) -> list[str]:
    return list(customer.events.order_by("id").values_list("kind", flat=True))


# --- free and activation link ------------------------------------------------------


@pytest.mark.parametrize("mode", [Mode.FREE, Mode.ACTIVATION_LINK])
def test_sign_up_waits_for_the_emailed_link_which_activates_the_account(
    client, store, smtp_sink, mode
):
    store_actions.update_store(store, signup_mode=mode)

    response = sign_up(client, "nina@example.com")

    assert response.status_code == 302
    assert response["Location"] == VERIFICATION_SENT
    nina = Customer.objects.get(email="nina@example.com")
    assert nina.account_state == State.AWAITING_ACTIVATION
    assert not nina.is_active
    assert not signed_in(client)

    follow_confirmation_link(smtp_sink, "nina@example.com")

    nina.refresh_from_db()
    assert nina.account_state == State.ACTIVE
    assert EmailAddress.objects.get(user=nina).verified
    assert kinds(nina) == [
        Kind.CREATED,
        Kind.ACCOUNT_CREATED,
        Kind.REGISTERED,
        Kind.EMAIL_VERIFIED,
        Kind.ACCOUNT_ACTIVATED,
    ]
    assert nina.events.get(kind=Kind.REGISTERED).data["signup_mode"] == mode
    browser = Client()
    sign_in(browser, "nina@example.com")
    assert signed_in(browser)


@pytest.mark.parametrize("mode", [Mode.FREE, Mode.ACTIVATION_LINK])
def test_sign_in_before_the_link_is_followed_is_refused_and_sends_the_link_again(
    client, store, smtp_sink, mode
):
    store_actions.update_store(store, signup_mode=mode)
    sign_up(Client(), "nina@example.com")
    deliver_due_emails()
    cache.clear()  # allauth sends a confirmation at most every 3 minutes

    response = sign_in(client, "nina@example.com")

    assert response.status_code == 302
    assert response["Location"] == VERIFICATION_SENT
    assert not signed_in(client)
    deliver_due_emails()
    _first, again = smtp_sink.to("nina@example.com")
    assert CONFIRM_LINK.search(smtp_sink.text_of(again))
    assert Customer.objects.get(email="nina@example.com").account_state == State.AWAITING_ACTIVATION


def test_a_sign_in_code_or_link_is_not_sent_to_an_account_awaiting_activation(
    client, store, smtp_sink
):
    store_actions.update_store(store, signin_with_link=True, signin_with_code=True)
    sign_up(Client(), "nina@example.com")
    deliver_due_emails()
    sent_before = len(smtp_sink.to("nina@example.com"))

    client.post(reverse("identity:signin-link-request"), {"email": "nina@example.com"})
    client.post(reverse("account_request_login_code"), {"email": "nina@example.com"})
    deliver_due_emails()

    new_messages = smtp_sink.to("nina@example.com")[sent_before:]
    # allauth answers a code request for an email without an usable account
    # with its "unknown account" email, as for any stranger.
    assert [m["Subject"] for m in new_messages] == [
        "No account at Test Shop for this email address"
    ]
    assert "/account/login/link/" not in smtp_sink.text_of(new_messages[0])
    assert not signed_in(client)


# --- manual approval ----------------------------------------------------------------


def test_approval_sign_up_asks_for_the_business_data_and_lands_in_the_queue(
    client, store, smtp_sink
):
    store_actions.update_store(store, signup_mode=Mode.APPROVAL)
    page = client.get(reverse("account_signup")).content.decode()
    for label in ["First name", "Last name", "Phone", "Company name", "VAT number"]:
        assert f">{label}" in page

    response = sign_up(
        client,
        "buyer@acme.example",
        first_name="Bea",
        last_name="Buyer",
        phone="+47 22 00 00 00",
        customer_type="business",
        company_name="Acme AS",
        vat_number="NO999999999MVA",
    )

    assert response.status_code == 302
    assert response["Location"] == VERIFICATION_SENT
    bea = Customer.objects.get(email="buyer@acme.example")
    assert bea.account_state == State.AWAITING_APPROVAL
    assert (bea.first_name, bea.last_name, bea.phone) == ("Bea", "Buyer", "+47 22 00 00 00")
    assert (bea.customer_type, bea.company_name, bea.vat_number) == (
        "business",
        "Acme AS",
        "NO999999999MVA",
    )
    assert list(queries.pending_registrations(store)) == [bea]
    registered = bea.events.get(kind=Kind.REGISTERED)
    assert registered.data["signup_mode"] == Mode.APPROVAL
    assert registered.data["given"]["company_name"] == "Acme AS"


def test_approval_sign_up_of_a_business_without_company_name_is_refused(client, store):
    store_actions.update_store(store, signup_mode=Mode.APPROVAL)

    response = sign_up(
        client, "buyer@acme.example", first_name="Bea", last_name="Buyer", customer_type="business"
    )

    assert response.status_code == 200
    assert "Enter the company name of the business." in response.content.decode()
    assert not Customer.objects.filter(email="buyer@acme.example").exists()


def test_confirmed_registration_still_awaits_approval_and_sign_in_says_so(client, store, smtp_sink):
    store_actions.update_store(store, signup_mode=Mode.APPROVAL)
    sign_up(Client(), "bea@example.com", first_name="Bea", last_name="Buyer")
    confirmed = follow_confirmation_link(smtp_sink, "bea@example.com")
    assert confirmed.redirected_to == INACTIVE  # type: ignore[attr-defined]
    assert "<h1>Your account awaits approval</h1>" in confirmed.get(INACTIVE).content.decode()
    bea = Customer.objects.get(email="bea@example.com")
    assert bea.account_state == State.AWAITING_APPROVAL
    assert Kind.EMAIL_VERIFIED in kinds(bea)

    response = sign_in(client, "bea@example.com")

    assert response.status_code == 302
    assert response["Location"] == INACTIVE
    page = client.get(INACTIVE).content.decode()
    assert "<h1>Your account awaits approval</h1>" in page
    assert "we will email you as soon as your account is approved" in page
    assert not signed_in(client)


def test_wrong_password_of_an_account_awaiting_approval_says_nothing_about_it(client, store):
    store_actions.update_store(store, signup_mode=Mode.APPROVAL)
    actions.register_customer(
        store=store, email="bea@example.com", password=PASSWORD, language="en", first_name="Bea"
    )

    response = sign_in(client, "bea@example.com", "not the password at all")

    assert response.status_code == 200
    assert "awaits approval" not in response.content.decode()
    assert "not correct" in response.content.decode()


# --- invitation only ----------------------------------------------------------------


def test_invitation_only_store_has_no_sign_up_form_and_points_to_the_contact_form(client, store):
    store_actions.update_store(store, signup_mode=Mode.INVITATION)

    page = client.get(reverse("account_signup"))

    content = page.content.decode()
    assert "<h1>Accounts by invitation only</h1>" in content
    assert 'name="password1"' not in content
    assert f'href="{reverse("storefront:contact")}">Ask the shop for an invitation</a>' in content

    sign_up(client, "nina@example.com")
    assert not Customer.objects.filter(email="nina@example.com").exists()
    login_page = client.get(reverse("account_login")).content.decode()
    assert (
        f'href="{reverse("storefront:contact")}">Ask the shop for an invitation</a>' in login_page
    )


@pytest.mark.parametrize("url_name", ["account_signup", "account_signup_by_passkey"])
def test_a_sign_up_posted_to_an_invitation_only_store_is_refused_with_403(client, store, url_name):
    store_actions.update_store(store, signup_mode=Mode.INVITATION)

    response = client.post(
        reverse(url_name),
        {
            "first_name": "Nina",
            "last_name": "Jansen",
            "email": "nina@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 403
    assert "<h1>Accounts by invitation only</h1>" in response.content.decode()
    assert not Customer.objects.filter(email="nina@example.com").exists()
    assert client.get(reverse(url_name)).status_code == 200


# --- guest records and known emails ---------------------------------------------------


def test_sign_up_on_a_guests_email_attaches_the_account_to_the_guest_record(
    client, store, smtp_sink
):
    guest = actions.create_customer(
        store=store, email="anna@example.com", actor=None, source="checkout", first_name="Anna"
    )
    actions.add_address(guest, actor=None, street="Main Street", city="Oslo", country="NO")

    response = sign_up(client, "anna@example.com")

    assert response.status_code == 302
    assert response["Location"] == VERIFICATION_SENT
    assert Customer.objects.filter(email="anna@example.com").count() == 1
    guest.refresh_from_db()
    assert guest.account_state == State.AWAITING_ACTIVATION
    assert guest.first_name == "Anna"
    assert guest.addresses.count() == 1
    follow_confirmation_link(smtp_sink, "anna@example.com")
    guest.refresh_from_db()
    assert guest.account_state == State.ACTIVE


def without_tokens(content: bytes) -> bytes:
    """A page with its per-response CSRF tokens and CSP nonces blanked."""
    return re.sub(rb'(value|nonce)="[^"]*"', rb'\1=""', content)


def test_sign_up_on_a_guests_email_answers_exactly_like_on_an_unknown_one(store, smtp_sink):
    actions.create_customer(store=store, email="anna@example.com", actor=None, first_name="Anna")

    guest, unknown = Client(), Client()
    guest_answer = sign_up(guest, "anna@example.com")
    unknown_answer = sign_up(unknown, "nina@example.com")

    assert guest_answer.status_code == unknown_answer.status_code == 302
    assert guest_answer["Location"] == unknown_answer["Location"] == VERIFICATION_SENT
    assert without_tokens(guest.get(VERIFICATION_SENT).content).replace(
        b"anna@example.com", b"EMAIL"
    ) == without_tokens(unknown.get(VERIFICATION_SENT).content).replace(
        b"nina@example.com", b"EMAIL"
    )
    deliver_due_emails()
    (to_guest,) = smtp_sink.to("anna@example.com")
    (to_unknown,) = smtp_sink.to("nina@example.com")
    # Both get the confirmation link (only the mailbox's owner reads it).
    assert to_guest["Subject"] == to_unknown["Subject"]
    assert CONFIRM_LINK.search(smtp_sink.text_of(to_guest))


@pytest.mark.parametrize("mode", [Mode.FREE, Mode.ACTIVATION_LINK, Mode.APPROVAL])
def test_sign_up_on_an_account_holders_email_answers_exactly_like_a_new_one(
    store, make_account_holder, smtp_sink, mode
):
    store_actions.update_store(store, signup_mode=mode)
    anna = make_account_holder(store, "anna@example.com", first_name="Anna")
    names = {"first_name": "Mallory", "last_name": "M"} if mode == Mode.APPROVAL else {}

    known, unknown = Client(), Client()
    known_answer = sign_up(known, "anna@example.com", **names)
    unknown_answer = sign_up(unknown, "nina@example.com", **names)

    assert known_answer.status_code == unknown_answer.status_code == 302
    assert known_answer["Location"] == unknown_answer["Location"] == VERIFICATION_SENT
    known_page = known.get(VERIFICATION_SENT)
    unknown_page = unknown.get(VERIFICATION_SENT)
    assert known_page.status_code == unknown_page.status_code == 200
    # The same page, apart from the email each one typed.
    assert without_tokens(known_page.content).replace(
        b"anna@example.com", b"EMAIL"
    ) == without_tokens(unknown_page.content).replace(b"nina@example.com", b"EMAIL")
    deliver_due_emails()
    (to_owner,) = smtp_sink.to("anna@example.com")
    assert "You already have an account there" in smtp_sink.text_of(to_owner)
    anna.refresh_from_db()
    assert anna.check_password(PASSWORD)
    assert (anna.first_name, anna.account_state) == ("Anna", State.ACTIVE)
    assert Kind.REGISTERED not in kinds(anna)
