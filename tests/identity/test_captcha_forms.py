"""CAPTCHA on every protected form, per provider, through the real pages: a
confirmed answer lets the form do its work, a refused one (or none) stops it
before anything happens, and switching a form off removes the check."""

import pytest
from django.core.cache import cache

from shop_accounts.captcha.providers import THIRD_PARTIES
from shop_accounts.core.models import OutboundEmail
from shop_accounts.customers.models import ContactMessage, Customer
from shop_accounts.stores import actions as store_actions
from tests.conftest import PASSWORD

HOSTED = ["recaptcha_v2", "recaptcha_v3", "hcaptcha", "turnstile"]
REFUSED = "The spam check failed. Please try again."

# Each protected form: its URL, what a shopper fills in, and the store switch.
FORMS = {
    "signin": ("/account/login/", {"login": "anna@example.com", "password": PASSWORD}),
    "signup": (
        "/account/signup/",
        {
            "first_name": "Nina",
            "last_name": "Jansen",
            "email": "new@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    ),
    "password_reset": ("/account/password/reset/", {"email": "anna@example.com"}),
    "signin_link": ("/account/login/link/", {"email": "anna@example.com"}),
    "signin_code": ("/account/login/code/", {"email": "anna@example.com"}),
    "contact": (
        "/contact/",
        {
            "name": "Nina Visser",
            "email": "nina@example.com",
            "subject": "Opening hours",
            "message": "Are you open on Sundays?",
        },
    ),
}
# What each form answers when its CAPTCHA is refused: allauth's forms show
# themselves again (200), ours answer 400.
REFUSED_STATUS = {
    "signin": 200,
    "signup": 200,
    "password_reset": 200,
    "signin_link": 400,
    "signin_code": 200,
    "contact": 400,
}
SWITCH = {
    "signin": "captcha_on_signin",
    "signup": "captcha_on_signup",
    "password_reset": "captcha_on_password_reset",
    "signin_link": "captcha_on_token_request",
    "signin_code": "captcha_on_token_request",
    "contact": "captcha_on_contact",
}
# The action each form's widget is rendered with (reCAPTCHA v3 signs it into
# its token, and siteverify answers it back).
ACTION = {
    "signin": "signin",
    "signup": "signup",
    "password_reset": "password_reset",
    "signin_link": "token_request",
    "signin_code": "token_request",
    "contact": "contact",
}


@pytest.fixture(autouse=True)
def account(store, make_account_holder):
    cache.clear()
    return make_account_holder(store, "anna@example.com")


def use_provider(store, provider: str, **fields):
    return store_actions.update_store(
        store,
        captcha_provider=provider,
        captcha_site_key="the-site-key",
        captcha_secret_key="the-secret-key",
        **fields,
    )


def what_happened() -> dict:
    """What a form's work leaves behind, for comparing before and after."""
    return {
        "emails": OutboundEmail.objects.count(),
        "customers": Customer.objects.count(),
        "messages": ContactMessage.objects.count(),
    }


def post(client, form: str, provider: str, answer: str | None):
    url, data = FORMS[form]
    data = dict(data)
    if answer is not None:
        data[THIRD_PARTIES[provider].response_field] = answer
    return client.post(url, data)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("provider", HOSTED)
def test_form_shows_the_providers_widget(client, store, provider, form):
    use_provider(store, provider)

    page = client.get(FORMS[form][0]).content.decode()

    assert 'data-sitekey="the-site-key"' in page or "the-site-key" in page


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("provider", HOSTED)
def test_confirmed_answer_lets_the_form_do_its_work(client, store, provider, form, verify_endpoint):
    use_provider(store, provider, captcha_min_score=0.5)
    verify_endpoint.answers(
        {"success": True, "score": 0.9, "action": ACTION[form], "hostname": "testserver"}
    )
    before = what_happened()

    response = post(client, form, provider, "token-from-the-widget")

    assert response.status_code == 302, response.content.decode()[:2000]
    assert REFUSED not in response.content.decode()
    assert verify_endpoint.received[-1]["response"] == "token-from-the-widget"
    assert verify_endpoint.received[-1]["secret"] == "the-secret-key"
    if form == "signin":
        assert client.session.get("_auth_user_id")
    elif form == "contact":
        assert what_happened()["messages"] == before["messages"] + 1
    else:
        assert what_happened()["emails"] == before["emails"] + 1


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("provider", HOSTED)
def test_refused_answer_stops_the_form_before_anything_happens(
    client, store, provider, form, verify_endpoint
):
    use_provider(store, provider, captcha_min_score=0.5)
    verify_endpoint.answers({"success": False, "error-codes": ["invalid-input-response"]})
    before = what_happened()

    response = post(client, form, provider, "forged-token")

    assert response.status_code == REFUSED_STATUS[form]
    assert REFUSED in response.content.decode()
    assert what_happened() == before
    assert not client.session.get("_auth_user_id")


@pytest.mark.parametrize("form", FORMS)
def test_missing_answer_is_refused_without_asking_the_provider(
    client, store, form, verify_endpoint
):
    use_provider(store, "turnstile")
    before = what_happened()

    response = post(client, form, "turnstile", None)

    assert response.status_code == REFUSED_STATUS[form]
    assert what_happened() == before
    assert verify_endpoint.received == []


@pytest.mark.parametrize("form", FORMS)
def test_unreachable_provider_refuses_the_form_with_a_clear_message(
    client, store, form, closed_port_url
):
    use_provider(store, "hcaptcha")
    before = what_happened()

    response = post(client, form, "hcaptcha", "token-from-the-widget")

    assert response.status_code == REFUSED_STATUS[form]
    assert "spam check" in response.content.decode()
    assert what_happened() == before


@pytest.mark.parametrize("form", FORMS)
def test_form_switched_off_has_no_check(client, store, form, verify_endpoint):
    use_provider(store, "recaptcha_v2", **{SWITCH[form]: False})

    page = client.get(FORMS[form][0]).content.decode()
    response = post(client, form, "recaptcha_v2", None)

    assert "the-site-key" not in page
    assert response.status_code == 302
    assert verify_endpoint.received == []


@pytest.mark.parametrize("form", FORMS)
def test_recaptcha_v3_token_made_for_another_form_is_refused(client, store, form, verify_endpoint):
    use_provider(store, "recaptcha_v3", captcha_min_score=0.5)
    other_action = "signup" if ACTION[form] != "signup" else "signin"
    verify_endpoint.answers(
        {"success": True, "score": 0.9, "action": other_action, "hostname": "testserver"}
    )
    before = what_happened()

    response = post(client, form, "recaptcha_v3", "token-from-the-widget")

    assert response.status_code == REFUSED_STATUS[form]
    assert REFUSED in response.content.decode()
    assert what_happened() == before
    assert not client.session.get("_auth_user_id")


def test_recaptcha_v3_widget_is_rendered_with_the_action_the_check_expects(client, store):
    use_provider(store, "recaptcha_v3")

    for form in FORMS:
        page = client.get(FORMS[form][0]).content.decode()

        assert f'data-recaptcha-action="{ACTION[form]}"' in page
