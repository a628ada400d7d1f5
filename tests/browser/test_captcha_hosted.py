"""The hosted CAPTCHAs (reCAPTCHA v2 and v3, hCaptcha, Turnstile) on the
contact form in headless Chromium, under the site's strict CSP. The real
widget scripts need the internet, so a loopback server stands in for the
provider: it serves a small script doing what the provider's widget does
(puts a token into the provider's answer field, or for reCAPTCHA v3 offers
`grecaptcha.ready` / `grecaptcha.execute`) and answers the server's
siteverify call with success or failure."""

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import Page, expect

from shop_accounts.captcha.csp import csp_additions
from shop_accounts.captcha.providers import THIRD_PARTIES
from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers.models import ContactMessage
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import Store
from tests.browser.test_accessibility import axe_violations
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

SITE_KEY = "site-key-of-the-store"
SECRET_KEY = "secret-key-of-the-store"

# Like the provider's checkbox widget: ticking "I am human" puts the token
# into the provider's answer field (a hidden textarea in the widget's box).
_CHECKBOX_WIDGET = """
(() => {
  const start = () => {
    for (const box of document.querySelectorAll("%(box)s")) {
      const answer = document.createElement("textarea");
      answer.name = "%(field)s";
      answer.hidden = true;
      const tick = document.createElement("input");
      tick.type = "checkbox";
      tick.addEventListener("change", () => {
        answer.value = tick.checked ? "token-for-" + box.dataset.sitekey : "";
      });
      const label = document.createElement("label");
      label.append(tick, " I am human");
      box.append(label, answer);
    }
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
"""

FAKE_SCRIPTS = {
    "recaptcha_v2": _CHECKBOX_WIDGET % {"box": ".g-recaptcha", "field": "g-recaptcha-response"},
    "hcaptcha": _CHECKBOX_WIDGET % {"box": ".h-captcha", "field": "h-captcha-response"},
    # Turnstile's managed mode usually passes without a click.
    "turnstile": """
(() => {
  const start = () => {
    for (const box of document.querySelectorAll(".cf-turnstile")) {
      const answer = document.createElement("input");
      answer.type = "hidden";
      answer.name = "cf-turnstile-response";
      answer.value = "token-for-" + box.dataset.sitekey;
      box.append(answer);
    }
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
""",
    # reCAPTCHA v3 has no widget: our recaptcha-v3.js asks for a token on submit.
    "recaptcha_v3": """
window.grecaptcha = {
  ready: (callback) => setTimeout(callback, 0),
  execute: (siteKey, options) => Promise.resolve("token-for-" + siteKey + "-" + options.action),
};
""",
}

EXPECTED_TOKENS = {
    "recaptcha_v2": f"token-for-{SITE_KEY}",
    "hcaptcha": f"token-for-{SITE_KEY}",
    "turnstile": f"token-for-{SITE_KEY}",
    "recaptcha_v3": f"token-for-{SITE_KEY}-contact",
}


@dataclass
class FakeProvider:
    """The provider on 127.0.0.1: serves the widget scripts and answers
    siteverify with `answer`, recording each verification it was asked."""

    url: str = ""
    answer: dict = field(default_factory=lambda: {"success": True, "score": 0.9})
    verified: list[dict[str, str]] = field(default_factory=list)


@pytest.fixture
def fake_provider(settings) -> Iterator[FakeProvider]:
    provider = FakeProvider()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            script = FAKE_SCRIPTS.get(urlsplit(self.path).path.strip("/").removesuffix(".js"))
            if script is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/javascript")
            self.end_headers()
            self.wfile.write(script.encode())

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            form = dict(parse_qsl(self.rfile.read(length).decode()))
            provider.verified.append(form)
            answer = dict(provider.answer)
            # As reCAPTCHA v3's siteverify does: it says which action and on
            # which host (the live server's, localhost) its token was made.
            v3_action = form["response"].removeprefix(f"token-for-{SITE_KEY}-")
            if answer.get("success") and v3_action != form["response"]:
                answer.update(action=v3_action, hostname="localhost")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps(answer).encode())

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    provider.url = f"http://127.0.0.1:{server.server_address[1]}"
    settings.SHOP_CAPTCHA_SCRIPT_URLS = {name: f"{provider.url}/{name}.js" for name in FAKE_SCRIPTS}
    settings.SHOP_CAPTCHA_VERIFY_URLS = dict.fromkeys(FAKE_SCRIPTS, f"{provider.url}/siteverify")
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)


def csp_errors(page: Page) -> list[str]:
    """Console errors of the page about its Content-Security-Policy, as they come."""
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and "Content Security Policy" in message.text
            and errors.append(message.text)
        ),
    )
    return errors


def send_contact_form(page: Page, provider: str) -> None:
    """Fill in the contact form, pass the widget as a person would, send."""
    response = page.goto("/contact/")
    assert response is not None
    script_src = next(
        directive
        for directive in response.headers["content-security-policy"].split(";")
        if directive.strip().startswith("script-src")
    )
    assert urlsplit(django_settings.SHOP_CAPTCHA_SCRIPT_URLS[provider]).netloc in script_src
    page.get_by_label("Your name").fill("Nina Visser")
    page.get_by_label("Email").fill("nina@example.com")
    page.get_by_label("Subject").fill("Opening hours")
    page.get_by_label("Message").fill("Are you open on Sundays?")
    pass_the_widget(page, provider)
    assert_accessible(page)
    page.get_by_role("button", name="Send the message").click()


def pass_the_widget(page: Page, provider: str) -> None:
    """What a person does with the provider's widget (nothing for reCAPTCHA v3)."""
    if provider in ("recaptcha_v2", "hcaptcha"):
        page.get_by_label("I am human").check()
    elif provider == "turnstile":
        expect(page.locator("input[name=cf-turnstile-response]")).to_have_count(1)


def use_captcha(store: Store, provider: str) -> Store:
    return store_actions.update_store(
        store, captcha_provider=provider, captcha_site_key=SITE_KEY, captcha_secret_key=SECRET_KEY
    )


@pytest.mark.parametrize("provider", list(FAKE_SCRIPTS))
def test_token_the_provider_confirms_lets_the_contact_form_through(
    page, live_store, fake_provider, provider
):
    use_captcha(live_store, provider)
    errors = csp_errors(page)

    send_contact_form(page, provider)

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your message")
    assert_accessible(page)
    assert ContactMessage.objects.filter(email="nina@example.com").count() == 1
    (verification,) = fake_provider.verified
    assert verification["secret"] == SECRET_KEY
    assert verification["response"] == EXPECTED_TOKENS[provider]
    assert errors == []


@pytest.mark.parametrize("provider", list(FAKE_SCRIPTS))
def test_token_the_provider_refuses_keeps_the_contact_form_back(
    page, live_store, fake_provider, provider
):
    use_captcha(live_store, provider)
    fake_provider.answer = {"success": False, "error-codes": ["invalid-input-response"]}
    errors = csp_errors(page)

    send_contact_form(page, provider)

    expect(page.get_by_text("The spam check failed. Please try again.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Thank you for your message")
    assert_accessible(page)
    assert ContactMessage.objects.count() == 0
    assert [v["response"] for v in fake_provider.verified] == [EXPECTED_TOKENS[provider]]
    assert errors == []


@pytest.mark.parametrize("provider", list(FAKE_SCRIPTS))
def test_without_script_urls_set_pages_allow_only_the_providers_own_hosts(settings, provider):
    settings.SHOP_CAPTCHA_SCRIPT_URLS = {}

    additions = csp_additions(Store(captcha_provider=provider))

    assert additions == THIRD_PARTIES[provider].csp
    assert not any("127.0.0.1" in host for hosts in additions.values() for host in hosts)


# --- the credential and token forms ------------------------------------------------


def sign_in(page: Page, provider: str) -> None:
    page.goto("/account/login/")
    page.get_by_label("Email").fill("anna@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    pass_the_widget(page, provider)
    assert_accessible(page)
    page.get_by_role("button", name="Sign in", exact=True).click()


@pytest.mark.parametrize("provider", list(FAKE_SCRIPTS))
def test_confirmed_token_lets_a_password_sign_in_through(
    page, live_store, make_account_holder, fake_provider, provider
):
    make_account_holder(live_store, "anna@example.com")
    use_captcha(live_store, provider)
    errors = csp_errors(page)

    sign_in(page, provider)

    expect(page).to_have_url(re.compile(r"/my-account/$"))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert [v["response"] for v in fake_provider.verified] == [
        EXPECTED_TOKENS[provider].replace("-contact", "-signin")
    ]
    assert errors == []


@pytest.mark.parametrize("provider", list(FAKE_SCRIPTS))
def test_refused_token_keeps_the_right_password_from_signing_in(
    page, live_store, make_account_holder, fake_provider, provider
):
    make_account_holder(live_store, "anna@example.com")
    use_captcha(live_store, provider)
    fake_provider.answer = {"success": False, "error-codes": ["invalid-input-response"]}

    sign_in(page, provider)

    expect(page.get_by_text("The spam check failed. Please try again.")).to_be_visible()
    assert_accessible(page)
    page.goto("/my-account/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


@pytest.mark.parametrize(
    ("path", "fill", "button", "action", "answer_url"),
    [
        ("/account/signup/", "sign_up", "Create the account", "signup", "/account/confirm-email/"),
        (
            "/account/password/reset/",
            "email",
            "Reset my password",
            "password_reset",
            "/account/password/reset/done/",
        ),
        (
            "/account/login/link/",
            "email",
            "Send the link",
            "token_request",
            "/account/login/link/sent/",
        ),
        (
            "/account/login/code/",
            "email",
            "Send the code",
            "token_request",
            "/account/login/code/confirm/",
        ),
    ],
    ids=["sign-up", "password-reset", "sign-in-link", "sign-in-code"],
)
def test_recaptcha_v3_token_lets_each_emailed_token_form_through(
    page,
    live_store,
    make_account_holder,
    fake_provider,
    smtp_sink,
    path,
    fill,
    button,
    action,
    answer_url,
):
    make_account_holder(live_store, "anna@example.com")
    use_captcha(live_store, "recaptcha_v3")
    errors = csp_errors(page)
    page.goto(path)
    assert_accessible(page)
    email = "nina@example.com" if fill == "sign_up" else "anna@example.com"
    page.get_by_label("Email").fill(email)
    if fill == "sign_up":
        page.get_by_label("First name").fill("Nina")
        page.get_by_label("Last name").fill("Jansen")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_label("Password (again)").fill(PASSWORD)

    page.get_by_role("button", name=button, exact=True).click()

    expect(page).to_have_url(re.compile(re.escape(answer_url) + "$"))
    assert_accessible(page)
    assert [v["response"] for v in fake_provider.verified] == [f"token-for-{SITE_KEY}-{action}"]
    deliver_due_emails()
    assert len(smtp_sink.to(email)) == 1
    assert errors == []
