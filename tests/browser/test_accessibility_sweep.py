"""Every page a shopper, an invited customer, a customer with two-factor
authentication and a merchant can reach passes axe-core in headless Chromium,
under the site's strict Content-Security-Policy, and has one <main>, one <h1>
and an <html lang> that is the language the page is shown in.

Each page is its own test: a `Visit` names the role that reaches it and the
steps that bring the browser there (a form filled, an emailed link followed).
The live server empties the database after every test, so a signed-in role is
a session made for that test and handed to a fresh browser profile as its
storage state; the sign-in pages themselves are visits of their own."""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, Page, Response, expect

from shop_accounts.catalog.actions import create_product
from shop_accounts.core.models import OutboundEmail
from shop_accounts.core.outbox import deliver_due_emails, queue_email
from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer
from shop_accounts.identity import invitations
from shop_accounts.identity.actions import record_verified_email
from shop_accounts.orders.actions import place_order, ship
from shop_accounts.orders.models import Order
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import EmailText, Store
from tests.browser.test_accessibility import AXE
from tests.browser.webauthn import add_virtual_authenticator
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CUSTOMER_EMAIL = "anna@example.com"
TWO_FACTOR_EMAIL = "bea@example.com"
TWO_FACTOR_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"
NEW_PASSWORD = "a long walk on a quiet beach"

CUSTOMER_WITHOUT_PASSWORD = "customer_without_password"


@dataclass
class Shop:
    """What a visit may use: the store, the live server, the mail sink."""

    store: Store
    url: str
    request: pytest.FixtureRequest

    def update_store(self, **changes) -> None:
        self.store = store_actions.update_store(self.store, **changes)

    def customer(self, email: str = CUSTOMER_EMAIL, **fields) -> Customer:
        """An active customer with a verified email (made once per test)."""
        found = Customer.objects.filter(email=email).first()
        if found is not None:
            return found
        make = self.request.getfixturevalue("make_account_holder")
        return make(self.store, email, first_name=fields.pop("first_name", "Anna"), **fields)

    def two_factor_customer(self) -> Customer:
        """A customer with an authenticator app and recovery codes."""
        found = Customer.objects.filter(email=TWO_FACTOR_EMAIL).first()
        if found is not None:
            return found
        bea = self.customer(TWO_FACTOR_EMAIL, first_name="Bea")
        TOTP.activate(bea, TWO_FACTOR_SECRET)
        RecoveryCodes.activate(bea)
        return bea

    def emailed_link(self, address: str, pattern: str) -> str:
        """The last link matching `pattern` emailed to `address`."""
        sink = self.request.getfixturevalue("smtp_sink")
        deliver_due_emails()
        texts = [sink.text_of(message) for message in sink.to(address)]
        links = [m.group(0) for text in texts for m in re.finditer(pattern, text)]
        assert links, f"no link like {pattern} emailed to {address}"
        return links[-1]

    def emailed_code(self, address: str) -> str:
        sink = self.request.getfixturevalue("smtp_sink")
        deliver_due_emails()
        text = sink.text_of(sink.to(address)[-1])
        return re.search(r"^\s*([A-Z0-9-]{4,})\s*$", text, re.M).group(1)


@dataclass(frozen=True)
class Visit:
    """A page, the role that reaches it and the steps that bring it up."""

    name: str
    role: str  # SHOPPER, CUSTOMER, CUSTOMER_WITHOUT_PASSWORD, TWO_FACTOR or MERCHANT
    steps: Callable[[Page, Shop], None]
    german: bool = False  # also checked after switching to German

    def __str__(self) -> str:
        return self.name


def heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def sign_in_form(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/account/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def reauthenticate(page: Page) -> None:
    """allauth asks for the password again before a sensitive change."""
    expect(page).to_have_url(re.compile(r"/reauthenticate/"))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()


def goto(path: str, title: str | None = None) -> Callable[[Page, Shop], None]:
    def steps(page: Page, shop: Shop) -> None:
        page.goto(path)
        if title:
            heading(page, title)

    return steps


# --- Storefront -----------------------------------------------------------------------


def catalog_with_products(page: Page, shop: Shop) -> None:
    for number in range(30):
        create_product(shop.store, name=f"Mug {number:02}", price=Decimal("9.90"))
    page.goto("/catalog/")
    expect(page.locator(".product-card")).to_have_count(24)


def catalog_with_hidden_prices(page: Page, shop: Shop) -> None:
    shop.update_store(guest_prices=Store.GuestPrices.HIDDEN)
    catalog_with_products(page, shop)
    expect(page.get_by_role("link", name="Sign in to see prices").first).to_be_visible()


def product_page(page: Page, shop: Shop) -> None:
    create_product(shop.store, name="Blue mug", price=Decimal("9.90"), description="A mug.")
    page.goto("/products/blue-mug/")
    heading(page, "Blue mug")


def order_status(page: Page, shop: Shop) -> None:
    """A guest's order, paid and partly shipped, by its emailed link."""
    guest = actions.create_customer(
        store=shop.store, email="guest@example.com", actor=None, source="checkout"
    )
    mug = create_product(shop.store, name="Blue mug", price=Decimal("9.90"))
    order = place_order(
        shop.store,
        guest,
        lines=[(mug, 2)],
        billing={
            "name": "Nina Visser",
            "street": "Main street 1",
            "city": "Utrecht",
            "country": "NL",
        },
        payment_method=Order.PaymentMethod.CASH_ON_DELIVERY,
        idempotency_key="sweep-order",
        placed_as_guest=True,
    )
    ship(order, carrier="PostNL", tracking_number="3SABC", tracking_url="https://example.com/t")
    page.goto(f"/orders/status/{order.public_token}/")
    heading(page, f"Order {order.number}")


def product_with_hidden_price(page: Page, shop: Shop) -> None:
    shop.update_store(guest_prices=Store.GuestPrices.HIDDEN)
    product_page(page, shop)
    expect(page.get_by_role("link", name="Sign in to see prices")).to_be_visible()


def contact_with_errors(page: Page, shop: Shop) -> None:
    fill_contact_form(page, email="carl@example")  # the browser's own check lets it by
    expect(page.locator(".errorlist").first).to_be_visible()


def fill_contact_form(page: Page, email: str) -> None:
    page.goto("/contact/")
    page.get_by_label("Name").fill("Carl")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Subject").fill("Opening hours")
    page.get_by_label("Message").fill("When are you open?")
    page.get_by_role("button", name="Send").click()


def contact_sent(page: Page, shop: Shop) -> None:
    fill_contact_form(page, email="carl@example.com")
    expect(page).to_have_url(re.compile(r"/contact/sent/$"))


def shop_for_signed_in_customers_only(page: Page, shop: Shop) -> None:
    shop.update_store(shop_visibility=Store.ShopVisibility.SIGNED_IN)
    page.goto("/catalog/")
    heading(page, "Sign in")


def not_found(page: Page, shop: Shop) -> None:
    response = page.goto("/no-such-page/")
    assert response.status == 404


def rate_limited(page: Page, shop: Shop) -> None:
    """Sign-ups are limited per IP (20 a minute): the 21st gets the 429 page."""
    page.goto("/account/signup/")
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    for _attempt in range(20):
        page.request.post("/account/signup/", form={"csrfmiddlewaretoken": token})
    with page.expect_response(re.compile(r"/account/signup/$")) as answer:
        sign_up(page, goto=False)
    assert answer.value.status == 429
    heading(page, "Too many attempts")


# --- Sign-up --------------------------------------------------------------------------


def signup_in_mode(mode: str, title: str) -> Callable[[Page, Shop], None]:
    def steps(page: Page, shop: Shop) -> None:
        shop.update_store(signup_mode=mode)
        page.goto("/account/signup/")
        heading(page, title)

    return steps


def signup_with_approval_fields(page: Page, shop: Shop) -> None:
    signup_in_mode(Store.SignupMode.APPROVAL, "Request a customer account")(page, shop)
    page.get_by_label("Business").check()
    expect(page.get_by_label("Company name")).to_be_visible()


def signup_with_errors(page: Page, shop: Shop) -> None:
    page.goto("/account/signup/")
    page.get_by_label("First name").fill("Nina")
    page.get_by_label("Last name").fill("Jansen")
    page.get_by_label("Email").fill("new@example.com")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Password (again)").fill("other")
    page.get_by_role("button", name="Create the account", exact=True).click()
    expect(page.locator(".errorlist").first).to_be_visible()


def signup_without_password(page: Page, shop: Shop) -> None:
    shop.update_store(signup_without_password=True)
    page.goto("/account/signup/")
    heading(page, "Create an account")


def sign_up(page: Page, email: str = "new@example.com", *, goto: bool = True) -> None:
    if goto:
        page.goto("/account/signup/")
    page.get_by_label("First name").fill("Nina")
    page.get_by_label("Last name").fill("Jansen")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Password (again)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create the account", exact=True).click()


def verification_sent(page: Page, shop: Shop) -> None:
    sign_up(page)
    heading(page, "Check your inbox")


def confirm_email(page: Page, shop: Shop) -> None:
    sign_up(page)
    heading(page, "Check your inbox")
    page.goto(shop.emailed_link("new@example.com", r"http://\S+/account/confirm-email/\S+/"))
    heading(page, "Confirm your email address")


# --- Sign-in --------------------------------------------------------------------------


def login_without_password(page: Page, shop: Shop) -> None:
    shop.update_store(signin_with_password=False)
    page.goto("/account/login/")
    expect(page.get_by_role("button", name="Sign in with a passkey")).to_be_visible()


def login_with_errors(page: Page, shop: Shop) -> None:
    shop.customer()
    sign_in_form(page, CUSTOMER_EMAIL, "not the password")
    expect(page.locator(".errorlist")).to_be_visible()


def account_inactive(page: Page, shop: Shop) -> None:
    actions.deactivate_account(shop.customer(), actor=None)
    sign_in_form(page, CUSTOMER_EMAIL)
    heading(page, "Account inactive")


def registration_awaiting_approval(shop: Shop) -> Customer:
    shop.update_store(signup_mode=Store.SignupMode.APPROVAL)
    bea = actions.register_customer(
        store=shop.store,
        email="buyer@acme.example",
        password=PASSWORD,
        language="en",
        first_name="Bea",
        last_name="Buyer",
        customer_type="business",
        company_name="Acme AS",
        vat_number="NO999999999MVA",
    )
    record_verified_email(bea)
    return bea


def account_awaiting_approval(page: Page, shop: Shop) -> None:
    registration_awaiting_approval(shop)
    sign_in_form(page, "buyer@acme.example")
    heading(page, "Your account awaits approval")


def with_altcha(path: str) -> Callable[[Page, Shop], None]:
    """The demo's CAPTCHA: ALTCHA's widget solves its challenge in the page."""

    def steps(page: Page, shop: Shop) -> None:
        shop.update_store(captcha_provider=Store.CaptchaProvider.ALTCHA)
        page.goto(path)
        expect(page.locator("altcha-widget")).to_be_attached()

    return steps


def signin_link_sent(page: Page, shop: Shop) -> None:
    shop.customer()
    page.goto("/account/login/link/")
    page.get_by_label("Email").fill(CUSTOMER_EMAIL)
    page.get_by_role("button", name="Send the link").click()
    heading(page, "Check your inbox")


def signin_link_confirm(page: Page, shop: Shop) -> None:
    signin_link_sent(page, shop)
    page.goto(shop.emailed_link(CUSTOMER_EMAIL, r"http://\S+/account/login/link/[\w-]+/"))
    heading(page, "Sign in to Test Shop")


def login_code_confirm(page: Page, shop: Shop) -> None:
    shop.customer()
    page.goto("/account/login/code/")
    page.get_by_label("Email").fill(CUSTOMER_EMAIL)
    page.get_by_role("button", name="Send the code").click()
    expect(page).to_have_url(re.compile(r"/account/login/code/confirm/$"))


def login_code_wrong(page: Page, shop: Shop) -> None:
    login_code_confirm(page, shop)
    page.get_by_label("Code").fill("WRONG-CODE")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".errorlist").first).to_be_visible()


def two_factor_stage(page: Page, shop: Shop) -> None:
    shop.two_factor_customer()
    sign_in_form(page, TWO_FACTOR_EMAIL)
    expect(page).to_have_url(re.compile(r"/account/2fa/authenticate/$"))


def two_factor_stage_wrong_code(page: Page, shop: Shop) -> None:
    two_factor_stage(page, shop)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator(".errorlist").first).to_be_visible()


def password_reset_done(page: Page, shop: Shop) -> None:
    shop.customer()
    page.goto("/account/password/reset/")
    page.get_by_label("Email").fill(CUSTOMER_EMAIL)
    page.get_by_role("button", name="Reset my password").click()
    expect(page).to_have_url(re.compile(r"/account/password/reset/done/$"))


def reset_from_key(page: Page, shop: Shop) -> None:
    password_reset_done(page, shop)
    page.goto(shop.emailed_link(CUSTOMER_EMAIL, r"http://\S+/account/password/reset/key/\S+/"))
    heading(page, "Choose a new password")


def reset_from_key_done(page: Page, shop: Shop) -> None:
    reset_from_key(page, shop)
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page).to_have_url(re.compile(r"/account/password/reset/key/done/$"))


def reset_from_bad_key(page: Page, shop: Shop) -> None:
    page.goto("/account/password/reset/key/1-not-a-key/")
    heading(page, "This link can no longer be used")


# --- Signed in ------------------------------------------------------------------------


def password_set(page: Page, shop: Shop) -> None:
    page.goto("/account/password/set/")
    heading(page, "Set a password")


def email_management_with_two_addresses(page: Page, shop: Shop) -> None:
    page.goto("/account/email/")
    page.get_by_label("Email address", exact=True).fill("anna.work@example.com")
    page.get_by_role("button", name="Add the address").click()
    # Adding an address asks for the password again, then adds it.
    reauthenticate(page)
    expect(page.get_by_role("heading", name="anna.work@example.com")).to_be_visible()


def reauthenticated(path: str, title: str) -> Callable[[Page, Shop], None]:
    def steps(page: Page, shop: Shop) -> None:
        page.goto(path)
        reauthenticate(page)
        heading(page, title)

    return steps


def totp_activate(page: Page, shop: Shop) -> None:
    reauthenticated("/account/2fa/totp/activate/", "Set up an authenticator app")(page, shop)
    expect(page.locator("#totp-secret")).to_have_text(re.compile(r"^([A-Z2-7]{4} )+[A-Z2-7]+$"))


def webauthn_list(page: Page, shop: Shop) -> None:
    add_virtual_authenticator(page)
    page.goto("/account/2fa/webauthn/add/")
    reauthenticate(page)
    page.get_by_label("Name").fill("Laptop")
    # The button only creates a passkey once allauth's script has loaded;
    # pressed earlier, it posts the bare form and the page stays.
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page).not_to_have_url(re.compile(r"/webauthn/add/"))
    page.goto("/account/2fa/webauthn/")


def passkey(shop: Shop) -> Authenticator:
    """A passkey on the signed-in customer's account, as allauth stores one."""
    return Authenticator.objects.create(
        user=shop.customer(),
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "Laptop", "credential": {}},
    )


def webauthn_edit(page: Page, shop: Shop) -> None:
    page.goto(f"/account/2fa/webauthn/keys/{passkey(shop).pk}/edit/")
    reauthenticate(page)
    expect(page.get_by_label("Name")).to_have_value("Laptop")


def webauthn_remove(page: Page, shop: Shop) -> None:
    page.goto(f"/account/2fa/webauthn/keys/{passkey(shop).pk}/remove/")
    reauthenticate(page)
    expect(page.get_by_role("button", name="Remove")).to_be_visible()


def two_factor_required(page: Page, shop: Shop) -> None:
    shop.update_store(two_factor=Store.TwoFactor.REQUIRED)
    page.goto("/my-account/")
    expect(page).to_have_url(re.compile(r"/account/2fa/$"))
    expect(page.get_by_role("status")).to_contain_text("asks every customer for a second factor")


def passkeys_only(page: Page, shop: Shop) -> None:
    shop.update_store(two_factor=Store.TwoFactor.OFF)
    page.goto("/account/2fa/")


IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1"
)


def devices(page: Page, shop: Shop) -> None:
    phone = Client(HTTP_USER_AGENT=IPHONE)
    phone.post("/account/login/", {"login": CUSTOMER_EMAIL, "password": PASSWORD})
    page.goto("/account/sessions/")
    heading(page, "Signed-in devices")
    expect(page.get_by_role("heading", name="Mobile Safari 18 on iPhone (iOS 18)")).to_be_visible()


# --- Invitations ----------------------------------------------------------------------

INVITATION_LINK = r"http://\S+/account/invitation/[\w-]+/"


def invite(shop: Shop, email: str = "ina@example.com") -> str:
    ina = actions.create_customer(store=shop.store, email=email, actor=None, first_name="Ina")
    invitations.invite_customer(ina, store=shop.store, actor=None)
    return shop.emailed_link(email, INVITATION_LINK)


def invitation_accept(page: Page, shop: Shop) -> None:
    page.goto(invite(shop))
    heading(page, "Open your account at Test Shop")


def invitation_accept_with_errors(page: Page, shop: Shop) -> None:
    invitation_accept(page, shop)
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Password (again)").fill("different")
    page.get_by_role("button", name="Activate my account").click()
    expect(page.locator(".errorlist").first).to_be_visible()


def invitation_used(page: Page, shop: Shop) -> None:
    link = invite(shop)
    invitations.accept_invitation(
        link.rstrip("/").rsplit("/", 1)[1], NEW_PASSWORD, store=shop.store
    )
    page.goto(link)
    heading(page, "This invitation has already been used")


def invitation_expired(page: Page, shop: Shop) -> None:
    with time_machine.travel(timezone.now() - timedelta(days=31), tick=False):
        link = invite(shop)
    page.goto(link)
    heading(page, "This invitation has expired")


def invitation_requested(page: Page, shop: Shop) -> None:
    invitation_expired(page, shop)
    page.get_by_role("button", name="Send me a new invitation").click()
    heading(page, "Check your inbox")


# --- Back office ----------------------------------------------------------------------


def customer_detail(page: Page, shop: Shop) -> None:
    anna = shop.customer()
    actions.add_address(
        anna,
        actor=None,
        street="Main street",
        house_number="1",
        postal_code="1000",
        city="Amsterdam",
        country="NL",
        default_billing=True,
        default_shipping=True,
    )
    page.goto(f"/backoffice/customers/customer/{anna.pk}/change/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def customer_awaiting_approval(page: Page, shop: Shop) -> None:
    bea = registration_awaiting_approval(shop)
    page.goto(f"/backoffice/customers/customer/{bea.pk}/change/")
    expect(page.get_by_role("button", name="Approve")).to_be_visible()


def approval_queue(page: Page, shop: Shop) -> None:
    registration_awaiting_approval(shop)
    page.goto("/backoffice/customers/customer/?account_state__exact=awaiting_approval")
    expect(page.get_by_role("link", name="Bea Buyer")).to_be_visible()


def invited_customer_with_a_message(page: Page, shop: Shop) -> None:
    actions.record_contact_message(
        store=shop.store,
        name="Ina",
        email="ina@example.com",
        subject="An account?",
        message="May I have an account?",
        language="en",
    )
    ina = Customer.objects.get(email="ina@example.com")
    invitations.invite_customer(ina, store=shop.store, actor=None)
    page.goto(f"/backoffice/customers/customer/{ina.pk}/change/")
    expect(page.get_by_text("May I have an account?")).to_be_visible()


def customer_history(page: Page, shop: Shop) -> None:
    page.goto(f"/backoffice/customers/customer/{shop.customer().pk}/history/")


def customer_list(page: Page, shop: Shop) -> None:
    shop.customer()
    actions.create_customer(store=shop.store, email="guest@example.com", actor=None)
    page.goto("/backoffice/customers/customer/")


def customer_invite(page: Page, shop: Shop) -> None:
    guest = actions.create_customer(store=shop.store, email="guest@example.com", actor=None)
    page.goto(f"/backoffice/customers/customer/{guest.pk}/invite/")


def store_change(page: Page, shop: Shop) -> None:
    page.goto(f"/backoffice/stores/store/{shop.store.pk}/change/")


def queued_email(shop: Shop) -> OutboundEmail:
    return queue_email(
        recipient=CUSTOMER_EMAIL,
        subject="Your order",
        body_text="Thank you.",
        body_html="<p>Thank you.</p>",
        language="en",
        store_id=shop.store.pk,
        kind="test",
    )


def outbox_list(page: Page, shop: Shop) -> None:
    queued_email(shop)
    page.goto("/backoffice/core/outboundemail/")


def outbox_detail(page: Page, shop: Shop) -> None:
    email = queued_email(shop)
    page.goto(f"/backoffice/core/outboundemail/{email.pk}/change/")


def email_texts(page: Page, shop: Shop) -> None:
    store_actions.set_email_text(
        store=shop.store,
        kind=EmailText.Kind.INVITATION,
        language="en",
        subject="Hi",
        message="Come in",
    )
    page.goto("/backoffice/stores/emailtext/")


def email_text_change(page: Page, shop: Shop) -> None:
    email_texts(page, shop)
    page.goto(f"/backoffice/stores/emailtext/{EmailText.objects.get().pk}/change/")


def products(page: Page, shop: Shop) -> None:
    create_product(shop.store, name="Blue mug", price=Decimal("9.90"))
    page.goto("/backoffice/catalog/product/")


def product_change(page: Page, shop: Shop) -> None:
    mug = create_product(shop.store, name="Blue mug", price=Decimal("9.90"))
    page.goto(f"/backoffice/catalog/product/{mug.pk}/change/")


SHOPPER, CUSTOMER, TWO_FACTOR, MERCHANT = "shopper", "customer", "two_factor", "merchant"

VISITS = [
    # Storefront
    Visit("home", SHOPPER, goto("/", "Welcome to Test Shop"), german=True),
    Visit("catalog", SHOPPER, catalog_with_products),
    Visit("catalog-hidden-prices", SHOPPER, catalog_with_hidden_prices, german=True),
    Visit("product", SHOPPER, product_page, german=True),
    Visit("order-status", SHOPPER, order_status),
    Visit("product-hidden-price", SHOPPER, product_with_hidden_price),
    Visit("cart", SHOPPER, goto("/cart/", "Cart"), german=True),
    Visit("contact", SHOPPER, goto("/contact/"), german=True),
    Visit("contact-errors", SHOPPER, contact_with_errors),
    Visit("contact-with-altcha", SHOPPER, with_altcha("/contact/")),
    Visit("contact-sent", SHOPPER, contact_sent, german=True),
    Visit("my-account", CUSTOMER, goto("/my-account/", "My account"), german=True),
    Visit("shop-for-signed-in-only", SHOPPER, shop_for_signed_in_customers_only, german=True),
    Visit("not-found", SHOPPER, not_found, german=True),
    Visit("too-many-requests", SHOPPER, rate_limited, german=True),
    # Sign-up
    Visit("signup-free", SHOPPER, signup_in_mode(Store.SignupMode.FREE, "Create an account")),
    Visit("signup-errors", SHOPPER, signup_with_errors),
    Visit("signup-email-only", SHOPPER, signup_without_password),
    Visit(
        "signup-activation-link",
        SHOPPER,
        signup_in_mode(Store.SignupMode.ACTIVATION_LINK, "Create an account"),
    ),
    Visit("signup-approval", SHOPPER, signup_with_approval_fields, german=True),
    Visit(
        "signup-closed",
        SHOPPER,
        signup_in_mode(Store.SignupMode.INVITATION, "Accounts by invitation only"),
        german=True,
    ),
    Visit("signup-with-altcha", SHOPPER, with_altcha("/account/signup/")),
    Visit("verification-sent", SHOPPER, verification_sent),
    Visit("confirm-email", SHOPPER, confirm_email),
    Visit("confirm-email-invalid", SHOPPER, goto("/account/confirm-email/not-a-key/")),
    # Sign-in
    Visit("login", SHOPPER, goto("/account/login/", "Sign in"), german=True),
    Visit("login-errors", SHOPPER, login_with_errors),
    Visit("login-without-password", SHOPPER, login_without_password),
    Visit("account-inactive", SHOPPER, account_inactive),
    Visit("account-awaiting-approval", SHOPPER, account_awaiting_approval),
    Visit("login-with-altcha", SHOPPER, with_altcha("/account/login/")),
    Visit(
        "signin-link-request",
        SHOPPER,
        goto("/account/login/link/", "Email me a sign-in link"),
        german=True,
    ),
    Visit("signin-link-sent", SHOPPER, signin_link_sent),
    Visit("signin-link-confirm", SHOPPER, signin_link_confirm),
    Visit("signin-link-not-usable", SHOPPER, goto("/account/login/link/not-a-token/")),
    Visit("login-code-request", SHOPPER, goto("/account/login/code/"), german=True),
    Visit("login-code-confirm", SHOPPER, login_code_confirm),
    Visit("login-code-wrong", SHOPPER, login_code_wrong),
    Visit("two-factor-authenticate", SHOPPER, two_factor_stage),
    Visit("two-factor-authenticate-wrong", SHOPPER, two_factor_stage_wrong_code),
    Visit(
        "password-reset",
        SHOPPER,
        goto("/account/password/reset/", "Reset your password"),
        german=True,
    ),
    Visit("password-reset-done", SHOPPER, password_reset_done),
    Visit("password-reset-from-key", SHOPPER, reset_from_key),
    Visit("password-reset-from-key-done", SHOPPER, reset_from_key_done),
    Visit("password-reset-bad-key", SHOPPER, reset_from_bad_key),
    # Invitations
    Visit("invitation-accept", SHOPPER, invitation_accept, german=True),
    Visit("invitation-accept-errors", SHOPPER, invitation_accept_with_errors),
    Visit("invitation-used", SHOPPER, invitation_used),
    Visit("invitation-expired", SHOPPER, invitation_expired),
    Visit("invitation-requested", SHOPPER, invitation_requested),
    Visit("invitation-unknown", SHOPPER, goto("/account/invitation/not-a-token/")),
    # Signed in
    Visit("logout-confirm", CUSTOMER, goto("/account/logout/", "Sign out")),
    Visit("reauthenticate", CUSTOMER, goto("/account/reauthenticate/", "Confirm it is you")),
    Visit(
        "password-change",
        CUSTOMER,
        goto("/account/password/change/", "Change your password"),
    ),
    Visit("password-set", CUSTOMER_WITHOUT_PASSWORD, password_set),
    Visit("email-addresses", CUSTOMER, email_management_with_two_addresses),
    Visit("devices", CUSTOMER, devices, german=True),
    Visit(
        "two-factor-index",
        CUSTOMER,
        goto("/account/2fa/", "Two-factor authentication"),
        german=True,
    ),
    Visit("totp-activate", CUSTOMER, totp_activate),
    Visit("webauthn-add", CUSTOMER, reauthenticated("/account/2fa/webauthn/add/", "Add a passkey")),
    Visit("webauthn-list", CUSTOMER, webauthn_list),
    Visit("webauthn-edit", CUSTOMER, webauthn_edit),
    Visit("webauthn-remove", CUSTOMER, webauthn_remove),
    Visit("two-factor-required", CUSTOMER, two_factor_required),
    Visit("passkeys-only", CUSTOMER, passkeys_only),
    # Signed in with two factors
    Visit(
        "two-factor-index-with-factors",
        TWO_FACTOR,
        goto("/account/2fa/", "Two-factor authentication"),
    ),
    Visit(
        "totp-deactivate",
        TWO_FACTOR,
        reauthenticated("/account/2fa/totp/deactivate/", "Remove the authenticator app"),
    ),
    Visit(
        "two-factor-reauthenticate",
        TWO_FACTOR,
        goto("/account/2fa/reauthenticate/", "Confirm it is you"),
    ),
    Visit(
        "recovery-codes",
        TWO_FACTOR,
        reauthenticated("/account/2fa/recovery-codes/", "Recovery codes"),
    ),
    Visit(
        "recovery-codes-generate",
        TWO_FACTOR,
        reauthenticated("/account/2fa/recovery-codes/generate/", "Make new recovery codes"),
    ),
    # Back office: Django's admin with our templates on top, held to the same
    # rules as the shop (no axe rule is left out for it).
    Visit("backoffice-index", MERCHANT, goto("/backoffice/")),
    Visit("backoffice-customers", MERCHANT, customer_list),
    Visit("backoffice-customers-app", MERCHANT, goto("/backoffice/customers/")),
    Visit("backoffice-customer-add", MERCHANT, goto("/backoffice/customers/customer/add/")),
    Visit("backoffice-customer", MERCHANT, customer_detail),
    Visit("backoffice-customer-invite", MERCHANT, customer_invite),
    Visit("backoffice-customer-awaiting-approval", MERCHANT, customer_awaiting_approval),
    Visit("backoffice-approval-queue", MERCHANT, approval_queue),
    Visit("backoffice-invited-customer", MERCHANT, invited_customer_with_a_message),
    Visit("backoffice-store", MERCHANT, store_change),
    Visit("backoffice-outbox", MERCHANT, outbox_list),
    Visit("backoffice-outbox-email", MERCHANT, outbox_detail),
    Visit("backoffice-email-texts", MERCHANT, email_texts),
    Visit("backoffice-email-text", MERCHANT, email_text_change),
    Visit("backoffice-products", MERCHANT, products),
    Visit("backoffice-product", MERCHANT, product_change),
    Visit("backoffice-product-add", MERCHANT, goto("/backoffice/catalog/product/add/")),
    Visit("backoffice-store-list", MERCHANT, goto("/backoffice/stores/store/")),
    Visit("backoffice-customer-history", MERCHANT, customer_history),
    Visit(
        "backoffice-password-change",
        MERCHANT,
        # The header's link opens the storefront's page (BackofficeSite.password_change).
        goto("/backoffice/password_change/", "Change your password"),
    ),
    Visit("backoffice-email-text-add", MERCHANT, goto("/backoffice/stores/emailtext/add/")),
]


# --- Browsers per role ----------------------------------------------------------------


@pytest.fixture
def shop(store, live_server, request) -> Shop:
    cache.clear()  # rate limits and used codes of earlier tests
    # Emailed links are built from the store's host name: the live server's.
    store = store_actions.update_store(store, hostname=urlsplit(live_server.url).hostname)
    return Shop(store=store, url=live_server.url, request=request)


def signed_in_state(user: Customer, url: str) -> dict:
    """A browser storage state holding a session signed in as `user`."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"cookies": [{"name": cookie.key, "value": cookie.value, "url": url}], "origins": []}


def signed_in_user(role: str, shop: Shop) -> Customer | None:
    if role == SHOPPER:
        return None
    if role == CUSTOMER:
        return shop.customer()
    if role == TWO_FACTOR:
        return shop.two_factor_customer()
    if role == MERCHANT:
        return shop.request.getfixturevalue("merchant")
    if role == CUSTOMER_WITHOUT_PASSWORD:
        anna = actions.open_account(
            store=shop.store, email=CUSTOMER_EMAIL, password=None, language="en"
        )
        record_verified_email(anna)
        return anna
    raise ValueError(role)


# The Content-Language that Django's locale middleware sent with the page
# each tab shows: the language that was active when the page was made.
SERVED_LANGUAGE: dict[Page, str] = {}


def remember_served_language(page: Page, response: Response) -> None:
    if response.request.is_navigation_request() and response.frame == page.main_frame:
        SERVED_LANGUAGE[page] = response.headers.get("content-language", "")


@pytest.fixture
def open_page(chromium: Browser, shop: Shop) -> Iterator[Callable[[str], Page]]:
    """Opens a tab in a fresh browser profile, signed in as the role."""
    contexts = []

    def open_as(role: str) -> Page:
        user = signed_in_user(role, shop)
        state = signed_in_state(user, shop.url) if user else None
        context = chromium.new_context(base_url=shop.url, locale="en", storage_state=state)
        context.set_default_timeout(5_000)
        contexts.append(context)
        page = context.new_page()
        page.on("response", lambda response: remember_served_language(page, response))
        return page

    yield open_as
    for context in contexts:
        for page in context.pages:
            SERVED_LANGUAGE.pop(page, None)
        context.close()


DUPLICATE_IDS = """() => {
    const counts = {};
    for (const element of document.querySelectorAll("[id]")) {
        counts[element.id] = (counts[element.id] || 0) + 1;
    }
    return Object.keys(counts).filter((id) => counts[id] > 1);
}"""


def assert_accessible(page: Page, *, language: str) -> None:
    """axe finds nothing, the page has one main landmark and one h1, and its
    <html lang> is the language it is shown in (the one that was active on
    the server when it was made)."""
    assert page.locator("html").get_attribute("lang") == language
    assert SERVED_LANGUAGE[page] == language
    assert page.locator("main, [role=main]").count() == 1
    assert page.locator("h1").count() == 1, page.locator("h1").all_inner_texts()
    # axe 4.7+ no longer checks ids that nothing refers to; a label or an
    # aria-describedby pointing at a doubled id reaches the wrong element.
    assert page.evaluate(DUPLICATE_IDS) == []
    results = AXE.run(page)
    violations = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
    ]
    assert violations == [], "\n".join(violations)


def interface_texts(page: Page) -> set[str]:
    """The page's own words: title, headings, labels, buttons, links and
    paragraphs (without those marked with a language of their own)."""
    texts = page.evaluate(
        """() => [document.title, ...Array.from(
            document.querySelectorAll('h1, h2, h3, label, button, a, p, legend, th, li'),
            (el) => el.closest('[lang]:not(html)') ? '' : el.innerText,
        )]"""
    )
    return {" ".join(text.split()) for text in texts if re.search(r"[A-Za-z]{3}", text)}


def data_texts(shop: Shop, page: Page) -> set[str]:
    """Names the shop gave things, the same in every language."""
    names = {
        shop.store.name,
        f"© {shop.store.name}",
        "Blue mug",
        "Blue mug · Test Shop",
        "A mug.",
    }
    # German says "Passkeys" too (the one word for them in every language).
    same_in_german = {"Passkeys"}
    return names | same_in_german | {f"Mug {number:02}" for number in range(30)}


@pytest.mark.parametrize("visit", VISITS, ids=str)
def test_page_has_no_accessibility_violations(visit, shop, open_page):
    page = open_page(visit.role)

    visit.steps(page, shop)

    assert_accessible(page, language="en")


@pytest.mark.parametrize("visit", [v for v in VISITS if v.german], ids=str)
def test_storefront_page_in_german_has_no_accessibility_violations(visit, shop, open_page):
    page = open_page(visit.role)
    visit.steps(page, shop)
    english = interface_texts(page)

    footer = page.get_by_role("contentinfo")
    footer.get_by_label("Language").select_option(label="Deutsch")
    footer.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")

    assert_accessible(page, language="de")
    # Text left in English on a page that says it is German is a language
    # mismatch for screen readers (they read it with German pronunciation).
    untranslated = english & interface_texts(page) - data_texts(shop, page)
    assert untranslated == set(), sorted(untranslated)
