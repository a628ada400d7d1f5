"""Every storefront, account, two-factor and back-office page, in each of the
five languages, as a shopper, a customer and a merchant meet it in headless
Chromium. The sweep fails on:

- English left on a non-English page: a text of the page (text nodes, the
  title, labels given by aria-label, placeholder, title or alt) that reads the
  same as on the English rendering of the same page, unless it is the shop's
  or the customer's data (names, emails, products) or made only of words that
  are the same in that language (SAME_AS_ENGLISH: "OK", "Browser", "E-Mail"
  is not even English);
- Title Case in an h1, h2 or button of the English page: a second capitalised
  word that is not a name (the store's, a product's, the customer's, a brand);
- a label (or legend) ending in a colon;
- horizontal scrolling at 390 px and at 1280 px;
- any axe-core violation, or an <html lang> or Content-Language that is not
  the language asked for.

The pages are visited once per language in one browser profile (the roles'
sessions swapped in as cookies) and the findings kept; each test then reads
the findings of one check in one area, so a check that fails in an area other
engineers are still restyling is marked there and nowhere else. The whole
sweep runs once for the module (about 1.5 minutes on one core: see the
report printed by test_the_sweep_visited_every_page_in_every_language)."""

import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page

from shop_accounts.catalog import groups
from shop_accounts.catalog.actions import create_product
from shop_accounts.catalog.models import CustomerGroup, Product
from shop_accounts.core.outbox import queue_email
from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer
from shop_accounts.identity.actions import record_verified_email
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import EmailText, Store
from tests.browser.test_accessibility import AXE
from tests.conftest import MERCHANT_TOTP_SECRET, PASSWORD
from tests.totp import current_totp

# One worker runs the whole module (pytest -n with --dist loadgroup): the
# sweep is a module-wide pass, which a second worker would repeat.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("language_sweep")]

LANGUAGES = ("en", "de", "nl", "nb", "it")
WIDTHS = (390, 1280)
STORE_NAME = "Test Shop"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1"
)
TWO_FACTOR_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"

# The areas of the product, by who looks after their markup right now.
STOREFRONT = "storefront"  # home, catalog, product, cart, contact, My Account, devices, outbox
ACCOUNT = "account"  # allauth's account pages (sign-in, reset, email, password)
TWO_FACTOR = "two-factor"  # allauth's mfa pages
SIGNUP = "sign-up"
BACKOFFICE = "back office"
AREAS = (STOREFRONT, ACCOUNT, TWO_FACTOR, SIGNUP, BACKOFFICE)

SHOPPER, CUSTOMER, SECOND_FACTOR_CUSTOMER, MERCHANT = "shopper", "anna", "bea", "merchant"


@dataclass(frozen=True)
class SweepPage:
    name: str
    area: str
    role: str
    path: str | Callable[["Sweep"], str]

    def url(self, sweep: "Sweep") -> str:
        return self.path if isinstance(self.path, str) else self.path(sweep)


@dataclass
class Sweep:
    """What the pages are about (made once) and what the sweep found."""

    store: Store
    anna: Customer
    bea: Customer
    merchant: Customer
    pending: Customer
    passkey: Authenticator
    data: set[str]
    findings: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    visited: dict[str, set[str]] = field(default_factory=dict)
    seconds: float = 0.0

    def found(self, language: str, page: SweepPage, check: str, detail: str) -> None:
        self.findings.append((check, page.area, language, page.name, detail))


PAGES = [
    SweepPage("home", STOREFRONT, SHOPPER, "/"),
    SweepPage("catalog", STOREFRONT, SHOPPER, "/catalog/"),
    SweepPage("product", STOREFRONT, SHOPPER, "/products/blue-mug/"),
    SweepPage("cart", STOREFRONT, SHOPPER, "/cart/"),
    SweepPage("contact", STOREFRONT, SHOPPER, "/contact/"),
    SweepPage("sign-in", ACCOUNT, SHOPPER, "/account/login/"),
    SweepPage("sign-up", SIGNUP, SHOPPER, "/account/signup/"),
    SweepPage("sign-in-link-request", ACCOUNT, SHOPPER, "/account/login/link/"),
    SweepPage("sign-in-code-request", ACCOUNT, SHOPPER, "/account/login/code/"),
    SweepPage("password-reset", ACCOUNT, SHOPPER, "/account/password/reset/"),
    SweepPage("my-account", STOREFRONT, CUSTOMER, "/my-account/"),
    SweepPage("email", ACCOUNT, CUSTOMER, "/account/email/"),
    SweepPage("password-change", ACCOUNT, CUSTOMER, "/account/password/change/"),
    SweepPage("devices", STOREFRONT, CUSTOMER, "/account/sessions/"),
    SweepPage("two-factor", TWO_FACTOR, CUSTOMER, "/account/2fa/"),
    SweepPage("totp-setup", TWO_FACTOR, CUSTOMER, "/account/2fa/totp/activate/"),
    SweepPage("passkeys", TWO_FACTOR, CUSTOMER, "/account/2fa/webauthn/"),
    SweepPage("recovery-codes", TWO_FACTOR, SECOND_FACTOR_CUSTOMER, "/account/2fa/recovery-codes/"),
    SweepPage("backoffice-index", BACKOFFICE, MERCHANT, "/backoffice/"),
    SweepPage("customer-list", BACKOFFICE, MERCHANT, "/backoffice/customers/customer/"),
    SweepPage(
        "customer-page",
        BACKOFFICE,
        MERCHANT,
        lambda sweep: f"/backoffice/customers/customer/{sweep.anna.pk}/change/",
    ),
    SweepPage("approval-queue", BACKOFFICE, MERCHANT, "/backoffice/customers/pendingregistration/"),
    SweepPage(
        "store-form",
        BACKOFFICE,
        MERCHANT,
        lambda sweep: f"/backoffice/stores/store/{sweep.store.pk}/change/",
    ),
    SweepPage("email-texts", BACKOFFICE, MERCHANT, "/backoffice/stores/emailtext/"),
    SweepPage("product-with-discount", STOREFRONT, CUSTOMER, "/products/blue-mug/"),
    SweepPage("customer-groups", BACKOFFICE, MERCHANT, "/backoffice/catalog/customergroup/"),
    SweepPage(
        "customer-group",
        BACKOFFICE,
        MERCHANT,
        lambda sweep: f"/backoffice/catalog/customergroup/{_trade().pk}/change/",
    ),
    SweepPage(
        "put-in-group",
        BACKOFFICE,
        MERCHANT,
        lambda sweep: f"/backoffice/customers/customer/{sweep.anna.pk}/group/",
    ),
    SweepPage("outbox", STOREFRONT, MERCHANT, "/backoffice/core/outboundemail/"),
]

# Words a language writes as English does (checked by reading each: "Name"
# and "Browser" in German, "Account" and "Passkey" in Dutch, "OK" everywhere).
SAME_AS_ENGLISH = {
    language: {word.lower() for word in words}
    for language, words in {
        "de": {"OK", "Name", "Browser", "Passkey", "Passkeys", "Code", "Status", "Start",
               "Filter", "System", "Details", "Shop", "Region"},
        "nl": {"OK", "Account", "Accounts", "Passkey", "Passkeys", "Browser", "Code", "Status",
               "Contact", "Filter", "Filters", "Details", "Lead", "score", "Product"},
        "nb": {"OK", "Status", "System", "Region"},
        "it": {"OK", "Account", "Password", "Passkey", "Passkeys", "Browser", "Email", "Status",
               "No", "Lead", "back", "office"},
    }.items()
}  # fmt: skip
# Names of products and makers, the same in every language.
BRANDS = {
    "ALTCHA", "CAPTCHA", "Cloudflare", "reCAPTCHA", "hCaptcha", "Android", "Apple", "Chrome",
    "Chromium", "Firefox", "Google", "HeadlessChrome",
    "iOS", "iPhone", "Linux", "Mac", "Microsoft", "Mobile", "Safari", "Turnstile", "Windows",
}  # fmt: skip

PAGE_TEXTS = """() => {
    const own = (el) => el && !el.closest(
        'script, style, template, noscript, pre, code, textarea, [lang]:not(html),' +
        // an icon font's ligature ("search", "cancel") is an icon, not a word
        ' [translate=no], [aria-hidden=true], .material-symbols-outlined'
    );
    const texts = [document.title];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (own(el) && el.checkVisibility()) texts.push(node.textContent);
    }
    for (const el of document.querySelectorAll(
        '[aria-label], [placeholder], [title], [alt], input[type=submit][value]'
    )) {
        if (!own(el)) continue;
        for (const name of ['aria-label', 'placeholder', 'title', 'alt']) {
            if (el.hasAttribute(name)) texts.push(el.getAttribute(name));
        }
        if (el.matches('input[type=submit]')) texts.push(el.value);
    }
    for (const select of document.querySelectorAll('select')) {
        // A long list (countries, currencies) is names, many the same in
        // every language; short lists are the page's words.
        if (!own(select) || !select.checkVisibility()) continue;
        if (select.options.length > 50) continue;
        for (const option of select.options) if (own(option)) texts.push(option.text);
    }
    return texts.map((text) => text.replace(/\\s+/g, ' ').trim()).filter((text) => text);
}"""

# The text as written, before CSS's text-transform (a column header in
# capitals is not Title Case), of the parts that show (a theme button holds
# three labels and shows one).
HEADINGS_AND_BUTTONS = """() => Array.from(
    document.querySelectorAll('h1, h2, button, input[type=submit], [role=button]'),
    (el) => {
        if (!el.checkVisibility()) return '';
        if (el.value) return el.value;
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        const parts = [];
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (node.parentElement.checkVisibility()) parts.push(node.textContent);
        }
        return parts.join(' ');
    },
).map((text) => text.replace(/\\s+/g, ' ').trim()).filter((text) => text)"""

LABELS = """() => Array.from(
    document.querySelectorAll('label, legend'),
    (el) => el.checkVisibility() ? el.innerText.replace(/\\s+/g, ' ').trim() : '',
).filter((text) => text)"""

SCROLLS_SIDEWAYS = "() => document.scrollingElement.scrollWidth > window.innerWidth"
# The innermost elements that reach past the window's right edge, to name in
# the finding (a table cell, a long word, a button row).
TOO_WIDE = """() => {
    // An element past the edge, or one whose text runs out of it (a long word).
    const wide = Array.from(document.body.querySelectorAll('*')).filter(
        (el) => el.checkVisibility() && (
            el.getBoundingClientRect().right > window.innerWidth + 1 ||
            el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible'
        )
    );
    const innermost = wide.filter(
        (el) => !wide.some((other) => other !== el && el.contains(other))
    );
    return innermost.slice(0, 3).map((el) =>
        el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        Array.from(el.classList, (name) => '.' + name).join('') +
        ' ' + JSON.stringify((el.innerText || el.value || '').trim().slice(0, 40))
    );
}"""

# Data in any language: emails, addresses of pages, numbers and dates in
# digits, a browser's user-agent string.
# ... and a product's version after its name ("reCAPTCHA v2") is a number too.
EMAIL_OR_NUMBER = re.compile(r"\bv\d+\b|\S+@\S+|https?://\S+|Mozilla/5\.0 .*|[\d.,:/%+-]+|[^\w\s]+")


def english_left(language: str, text: str, data: set[str]) -> bool:
    """Whether `text`, read the same on the English page, is English left
    behind rather than data or a word this language shares with English."""
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    words = re.findall(r"[^\W\d_][\w'’-]*", EMAIL_OR_NUMBER.sub(" ", text))
    return any(
        word.lower() not in SAME_AS_ENGLISH[language] and word not in BRANDS for word in words
    )


ABBREVIATION = re.compile(r"^[A-Z0-9]{2,}s?$")


def title_case(text: str, data: set[str]) -> list[str]:
    """The capitalised words after the first of `text` that are not names."""
    names = {word for value in data for word in re.findall(r"\w+", value)} | BRANDS | {"I"}
    words = re.findall(r"[^\W\d_][\w'’-]*", text)[1:]
    return [
        word
        for word in words
        if word[0].isupper() and word not in names and not ABBREVIATION.match(word)
    ]


def session_cookie(user: Customer, url: str) -> dict:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": cookie.key, "value": cookie.value, "url": url}


def reauthenticate_if_asked(page: Page, role: str) -> None:
    """allauth asks again for the password (or the code of a customer with
    two factors) before a sensitive page; the answer holds five minutes."""
    if "reauthenticate" not in page.url:
        return
    form = page.locator("main form").filter(has=page.locator("[type=submit]")).first
    if form.locator("input[name=password]").count():
        form.locator("input[name=password]").fill(PASSWORD)
    else:
        form.locator("input[name=code]").fill(current_totp(TWO_FACTOR_SECRET))
    with page.expect_navigation():
        form.locator("[type=submit]").first.click()


def _trade() -> CustomerGroup:
    return CustomerGroup.objects.get(name="Trade")


def make_the_shop(live_server_url: str) -> Sweep:
    store = store_actions.create_store(
        name=STORE_NAME, hostname=urlsplit(live_server_url).hostname, is_default=True
    )
    create_product(store, name="Blue mug", price=Decimal("9.90"), description="A blue mug.")
    anna = actions.open_account(
        store=store,
        email="anna@example.com",
        password=PASSWORD,
        language="en",
        first_name="Anna",
        last_name="Admiraal",
    )
    record_verified_email(anna)
    trade = groups.create_customer_group(store, name="Trade", discount_percent=Decimal("10"))
    groups.set_group_price(trade, Product.objects.get(store=store), Decimal("8.00"))
    groups.set_customer_group(anna, store=store, group=trade, actor=None)
    actions.add_address(
        anna,
        actor=None,
        street="Keizersgracht",
        house_number="12",
        postal_code="1015 CS",
        city="Amsterdam",
        country="NL",
        default_billing=True,
        default_shipping=True,
    )
    passkey = Authenticator.objects.create(
        user=anna, type=Authenticator.Type.WEBAUTHN, data={"name": "Laptop", "credential": {}}
    )
    # A second device for the devices page.
    Client(HTTP_USER_AGENT=IPHONE).post(
        "/account/login/", {"login": anna.email, "password": PASSWORD}
    )
    bea = actions.open_account(
        store=store,
        email="bea@example.com",
        password=PASSWORD,
        language="en",
        first_name="Bea",
        last_name="Berg",
    )
    record_verified_email(bea)
    TOTP.activate(bea, TWO_FACTOR_SECRET)
    RecoveryCodes.activate(bea)
    merchant = Customer.objects.create_superuser("merchant@example.com", PASSWORD, store=store)
    record_verified_email(merchant)
    TOTP.activate(merchant, MERCHANT_TOTP_SECRET)
    store = store_actions.update_store(store, signup_mode=Store.SignupMode.APPROVAL)
    pending = actions.register_customer(
        store=store,
        email="buyer@acme.example",
        password=PASSWORD,
        language="en",
        first_name="Carla",
        last_name="Conti",
        customer_type="business",
        company_name="Acme AS",
        vat_number="NO999999999MVA",
    )
    record_verified_email(pending)
    store = store_actions.update_store(store, signup_mode=Store.SignupMode.FREE)
    store_actions.set_email_text(
        store=store,
        kind=EmailText.Kind.INVITATION,
        language="en",
        subject="Welcome to our shop",
        message="Come in",
    )
    queue_email(
        recipient=anna.email,
        subject="Your order",
        body_text="Thank you.",
        body_html="<p>Thank you.</p>",
        language="en",
        store_id=store.pk,
        kind="password_reset",
    )
    data = {
        STORE_NAME,
        "Blue mug",
        "A blue mug.",
        "Anna",
        "Admiraal",
        "Bea",
        "Berg",
        "Carla",
        "Conti",
        "Acme AS",
        "Keizersgracht",
        "Amsterdam",
        "Laptop",
        "Welcome to our shop",
        "Come in",
        "Your order",
        "Thank you.",
        "NO999999999MVA",
        "1015 CS",
        "Shop Accounts",  # the product's name
        "Trade",
    }
    return Sweep(
        store=store,
        anna=anna,
        bea=bea,
        merchant=merchant,
        pending=pending,
        passkey=passkey,
        data=data,
    )


def check_page(
    sweep: Sweep, page: Page, visit: SweepPage, language: str, english: dict[str, list[str]]
) -> None:
    texts = page.evaluate(PAGE_TEXTS)
    if language == "en":
        english[visit.name] = texts
        for text in page.evaluate(HEADINGS_AND_BUTTONS):
            if words := title_case(text, sweep.data):
                sweep.found(language, visit, "title case", f"{text!r} ({', '.join(words)})")
    else:
        same = set(texts) & set(english.get(visit.name, []))
        for text in sorted(same):
            if english_left(language, text, sweep.data):
                sweep.found(language, visit, "english", repr(text))
    for label in page.evaluate(LABELS):
        if label.rstrip(" *").endswith(":"):
            sweep.found(language, visit, "label colon", repr(label))
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, visit, language, width)
        if page.evaluate(SCROLLS_SIDEWAYS):
            wide = page.evaluate("() => document.scrollingElement.scrollWidth")
            culprits = "; ".join(page.evaluate(TOO_WIDE))
            sweep.found(
                language, visit, "sideways scrolling", f"{wide} px wide at {width} px: {culprits}"
            )
    lang = page.locator("html").get_attribute("lang")
    if lang != language:
        sweep.found(language, visit, "axe", f"<html lang={lang!r}>")
    results = AXE.run(page)  # violations only (axe_playwright_python's default)
    for violation in results.response["violations"]:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        sweep.found(language, visit, "axe", f"{violation['id']}: {violation['help']} -> {targets}")


def pages_to_visit() -> list[SweepPage]:
    """PAGES, or those named in SHOP_SWEEP_PAGES (comma-separated) while
    working on a few of them."""
    wanted = {name.strip() for name in os.environ.get("SHOP_SWEEP_PAGES", "").split(",")}
    return [visit for visit in PAGES if visit.name in wanted] or PAGES


def screenshot(page: Page, visit: SweepPage, language: str, width: int) -> None:
    """With SHOP_SWEEP_SCREENSHOTS=<folder>, each page at each width as a PNG."""
    if folder := os.environ.get("SHOP_SWEEP_SCREENSHOTS"):
        page.screenshot(path=f"{folder}/{visit.name}-{language}-{width}.png", full_page=True)


def sweep_language(
    sweep: Sweep, context: BrowserContext, url: str, language: str, english: dict
) -> None:
    page = context.new_page()
    served: dict[str, str] = {}
    page.on(
        "response",
        lambda response: (
            served.__setitem__("language", response.headers.get("content-language", ""))
            if response.request.is_navigation_request() and response.frame == page.main_frame
            else None
        ),
    )
    cookies = {
        role: session_cookie(user, url)
        for role, user in (
            (CUSTOMER, sweep.anna),
            (SECOND_FACTOR_CUSTOMER, sweep.bea),
            (MERCHANT, sweep.merchant),
        )
    }
    language_cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": url}
    role = None
    for visit in pages_to_visit():
        if visit.role != role:
            role = visit.role
            context.clear_cookies()
            context.add_cookies([language_cookie] + ([cookies[role]] if role in cookies else []))
            cache.clear()  # rate limits of the previous role's pages
        page.set_viewport_size({"width": 1280, "height": 900})
        try:
            response = page.goto(visit.url(sweep))
            reauthenticate_if_asked(page, role)
        except Exception as error:  # the sweep goes on; the finding says why
            sweep.found(language, visit, "opens", f"{type(error).__name__}: {error}")
            continue
        path = urlsplit(page.url).path
        if response is None or (response.status != 200 and "reauthenticate" not in page.url):
            sweep.found(language, visit, "opens", f"{response and response.status} at {path}")
            continue
        if path != urlsplit(visit.url(sweep)).path:
            sweep.found(language, visit, "opens", f"ended at {path}")
            continue
        if served.get("language") != language:
            sweep.found(language, visit, "axe", f"Content-Language {served.get('language')!r}")
        sweep.visited.setdefault(language, set()).add(visit.name)
        check_page(sweep, page, visit, language, english)
    page.close()


@pytest.fixture(scope="module")
def sweep(chromium: Browser, live_server, django_db_setup, django_db_blocker) -> Iterator[Sweep]:
    """The pages of PAGES in every language, visited once for the module.
    The data lives outside a test's transaction (the live server must see
    it); the database is emptied afterwards, as after a transactional test."""
    with django_db_blocker.unblock():
        cache.clear()
        started = time.monotonic()
        shop = make_the_shop(live_server.url)
        english: dict[str, list[str]] = {}
        for language in LANGUAGES:
            context = chromium.new_context(base_url=live_server.url, locale=language)
            context.set_default_timeout(5_000)
            try:
                sweep_language(shop, context, live_server.url, language, english)
            finally:
                context.close()
        shop.seconds = time.monotonic() - started
        try:
            yield shop
        finally:
            call_command("flush", interactive=False, verbosity=0)
            cache.clear()


CHECKS = ("opens", "english", "title case", "label colon", "sideways scrolling", "axe")

# Checks that fail today in areas other engineers are restyling (issue 12):
# their markup, not their translations. The lead switches them on after
# merging their work.
RESTYLED_ELSEWHERE: dict[tuple[str, str], str] = {}


def check_in_area(check: str, area: str):
    reason = RESTYLED_ELSEWHERE.get((check, area))
    marks = [pytest.mark.xfail(reason=reason, strict=False)] if reason else []
    return pytest.param(check, area, marks=marks, id=f"{check}-{area}".replace(" ", "-"))


def test_the_sweep_visited_every_page_in_every_language(sweep):
    pages = len(pages_to_visit())
    print(f"\nlanguage sweep: {pages} pages x {len(LANGUAGES)} languages in {sweep.seconds:.0f} s")
    assert {language: len(sweep.visited.get(language, ())) for language in LANGUAGES} == {
        language: len(pages_to_visit()) for language in LANGUAGES
    }


@pytest.mark.parametrize(
    ("check", "area"), [check_in_area(check, area) for check in CHECKS for area in AREAS]
)
def test_pages_read_right_in_every_language(sweep, check, area):
    found = [
        f"{language} {page}: {detail}"
        for found_check, found_area, language, page, detail in sweep.findings
        if (found_check, found_area) == (check, area)
    ]
    assert found == [], "\n".join(found)


def test_the_checks_flag_english_and_title_case_but_not_data_or_shared_words():
    data = {"Test Shop", "Blue mug", "Anna"}
    # The same text on the English and the German page: English left behind...
    assert english_left("de", "Sign in", data)
    assert english_left("nb", "Select all objects on this page for an action", data)
    assert english_left("de", "Netherlands", data)
    # ...unless it is the shop's or the customer's data, or shared words.
    assert not english_left("de", "Blue mug · Test Shop", data)
    assert not english_left("de", "anna@example.com", data)
    assert not english_left("de", "OK", data)
    assert not english_left("nl", "Passkey", data)
    assert not english_left("de", "Browser", data)
    assert not english_left("de", "2.12.2026, 04:02", data)
    assert not english_left("de", "Mobile Safari 18 iOS 18", data)
    assert not english_left("de", "Google reCAPTCHA v2", data)
    assert title_case("Reset My Password", data) == ["My", "Password"]
    assert title_case("Welcome to Test Shop", data) == []
    assert title_case("Hello Anna", data) == []
    assert title_case("Set up a passkey on your iPhone", data) == []
    assert title_case("Sign in with TOTP codes", data) == []
