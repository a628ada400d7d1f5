"""The merchant's store screen: every account-policy field is saved from the
form; refused input (taken host name, sharing that would clash, CAPTCHA
without keys, a bad currency) is a form error that saves nothing."""

from decimal import Decimal
from typing import Any

import pytest
from django.forms import CheckboxInput
from django.urls import reverse
from django.views.debug import SafeExceptionReporterFilter

from shop_accounts.customers import actions
from shop_accounts.customers.models import CustomerEvent
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.actions import POLICY_FIELDS
from shop_accounts.stores.models import Store

CHANGED_POLICY: dict[str, Any] = {
    "name": "Renamed Shop",
    "hostname": "renamed.testserver",
    "default_language": "nl",
    "currency": "NOK",
    "country": "NO",
    "prices_include_tax": False,
    "email_from": "shop@renamed.example",
    "checkout_accounts": Store.CheckoutAccounts.REQUIRED,
    "signup_mode": Store.SignupMode.APPROVAL,
    "signup_name_fields": Store.NameFields.OPTIONAL,
    "default_customer_type": Store.CustomerType.BUSINESS,
    "shop_visibility": Store.ShopVisibility.SIGNED_IN,
    "guest_prices": Store.GuestPrices.HIDDEN,
    "show_account_link": False,
    "min_password_length": 16,
    "signin_with_password": False,
    "signin_with_link": False,
    "signin_with_code": False,
    "signin_with_passkey": False,
    "signup_without_password": True,
    "two_factor": Store.TwoFactor.REQUIRED,
    "signin_link_days": 3,
    "invitation_days": 7,
    "captcha_provider": Store.CaptchaProvider.TURNSTILE,
    "captcha_site_key": "site-key",
    "captcha_secret_key": "secret-key",
    "captcha_min_score": Decimal("0.70"),
    "captcha_on_signin": False,
    "captcha_on_signup": False,
    "captcha_on_password_reset": False,
    "captcha_on_token_request": False,
    "captcha_on_contact": False,
    "email_colour": "#aa3300",
    "email_logo_url": "https://cdn.example.com/logo.png",
    "postal_address": "Hauptstraße 1\n10115 Berlin",
}


def change_url(store: Store) -> str:
    return reverse("backoffice:stores_store_change", args=[store.pk])


def form_data(response) -> dict[str, Any]:
    """What the browser would post back from the change page, unchanged."""
    form = response.context["adminform"].form
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, CheckboxInput):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return data


def with_changes(data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    for name, value in changes.items():
        if value is True:
            data[name] = "on"
        elif value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def as_posted(policy: dict[str, Any]) -> dict[str, Any]:
    """Policy values as the page's inputs take them: the secret key goes into
    the "replace it" field, as the page never holds the saved one."""
    posted = dict(policy)
    if "captcha_secret_key" in posted:
        posted["new_captcha_secret_key"] = posted.pop("captcha_secret_key")
    return posted


def snapshot(store: Store) -> dict[str, Any]:
    store.refresh_from_db()
    return {field: getattr(store, field) for field in [*POLICY_FIELDS, "shares_accounts"]}


def test_every_policy_field_is_covered_by_this_test():
    assert set(CHANGED_POLICY) == set(POLICY_FIELDS)


def test_the_store_form_saves_every_policy_field(merchant_client, store):
    data = with_changes(
        form_data(merchant_client.get(change_url(store))), as_posted(CHANGED_POLICY)
    )

    response = merchant_client.post(change_url(store), data)

    assert response.status_code == 302
    store.refresh_from_db()
    for field, value in CHANGED_POLICY.items():
        assert getattr(store, field) == value, field


def test_the_store_page_shows_the_account_policy(merchant_client, store):
    page = merchant_client.get(change_url(store)).content.decode()

    for label in (
        "Accounts at checkout",
        "Sign-up",
        "Shop visible to",
        "Prices for guests",
        'Show the "My account" link',
        "Share customer accounts with other stores",
    ):
        assert label in page.replace("&quot;", '"')


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hostname": "other.testserver"}, "hostname"),
        ({"currency": "euro"}, "currency"),
        ({"country": "US"}, "country"),
        ({"captcha_provider": "hcaptcha", "new_captcha_secret_key": ""}, "new_captcha_secret_key"),
        ({"min_password_length": 4}, "min_password_length"),
        ({"signup_mode": "whatever"}, "signup_mode"),
    ],
)
def test_refused_store_settings_are_form_errors_and_save_nothing(
    merchant_client, store, other_store, changes, field
):
    before = snapshot(store)
    data = with_changes(form_data(merchant_client.get(change_url(store))), changes)
    data["name"] = "Should not be saved"

    response = merchant_client.post(change_url(store), data)

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert snapshot(store) == before


def test_sharing_accounts_from_the_store_page_moves_its_customers(merchant_client, store, merchant):
    shared = store_actions.create_store(
        name="Shared", hostname="shared.testserver", shares_accounts=True
    )
    anna = actions.create_customer(store=store, email="anna@example.com", actor=None)
    data = with_changes(
        form_data(merchant_client.get(change_url(store))), {"shares_accounts": True}
    )

    response = merchant_client.post(change_url(store), data)

    assert response.status_code == 302
    store.refresh_from_db()
    anna.refresh_from_db()
    assert store.shares_accounts
    assert store.account_realm_id == shared.account_realm_id
    assert anna.realm_id == shared.account_realm_id
    assert anna.events.get(kind=CustomerEvent.Kind.REALM_CHANGED).actor == merchant


def test_sharing_that_would_put_one_email_twice_in_a_realm_is_a_form_error(merchant_client, store):
    shared = store_actions.create_store(
        name="Shared", hostname="shared.testserver", shares_accounts=True
    )
    actions.create_customer(store=store, email="anna@example.com", actor=None)
    actions.create_customer(store=shared, email="anna@example.com", actor=None)
    before = snapshot(store)
    data = with_changes(
        form_data(merchant_client.get(change_url(store))), {"shares_accounts": True}
    )
    data["name"] = "Should not be saved"

    response = merchant_client.post(change_url(store), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["shares_accounts"] == [
        "Some customers have an account in both this store and the stores it would share "
        "with. Merge or remove those accounts first."
    ]
    assert snapshot(store) == before
    assert not CustomerEvent.objects.filter(kind=CustomerEvent.Kind.REALM_CHANGED).exists()


def test_adding_a_store_in_the_back_office_gives_it_accounts_of_its_own(merchant_client, store):
    data = with_changes(
        form_data(merchant_client.get(reverse("backoffice:stores_store_add"))),
        {"name": "B2B", "hostname": "B2B.testserver"},
    )

    response = merchant_client.post(reverse("backoffice:stores_store_add"), data)

    assert response.status_code == 302
    b2b = Store.objects.get(name="B2B")
    assert b2b.hostname == "b2b.testserver"
    assert b2b.account_realm_id != store.account_realm_id
    assert not b2b.account_realm.is_shared


def test_a_store_cannot_be_deleted_from_the_back_office(merchant_client, store):
    response = merchant_client.post(
        reverse("backoffice:stores_store_delete", args=[store.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Store.objects.filter(pk=store.pk).exists()


def test_a_customer_who_is_not_staff_cannot_change_a_store(client, store, make_account_holder):
    client.force_login(make_account_holder(store, "shopper@example.com"))
    before = snapshot(store)

    response = client.post(change_url(store), {"name": "Hijacked", "hostname": "evil.example"})

    assert response.status_code == 302
    assert snapshot(store) == before


def test_an_anonymous_visitor_is_sent_to_sign_in_and_changes_nothing(client, store):
    before = snapshot(store)

    response = client.post(change_url(store), {"name": "Hijacked"}, follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert snapshot(store) == before


def test_the_headers_change_password_is_the_storefronts_page(merchant_client):
    response = merchant_client.get("/backoffice/password_change/")

    assert response.status_code == 302
    assert response["Location"] == "/account/password/change/"


# --- the CAPTCHA secret key is write-only -------------------------------------------

SECRET = "6Lc-the-stores-own-secret-0123456789"
REPLACEMENT = "the-replacement-secret-9876"


@pytest.fixture
def store_with_secret(store) -> Store:
    return store_actions.update_store(
        store, captcha_provider="hcaptcha", captcha_site_key="site-key", captcha_secret_key=SECRET
    )


def save_page(client, store: Store, changes: dict[str, Any], **kwargs: Any):
    """Post the store's page back as the browser would, with `changes` made."""
    data = with_changes(form_data(client.get(change_url(store))), changes)
    return client.post(change_url(store), data, **kwargs)


def test_the_saved_captcha_secret_key_is_never_shown(merchant_client, store_with_secret):
    response = merchant_client.get(change_url(store_with_secret))

    page = response.content.decode()
    assert response.status_code == 200
    assert SECRET not in page
    assert (
        '<input type="password" name="new_captcha_secret_key" autocomplete="off" maxlength="200"'
        in page
    )
    assert "A secret key is saved; it is never shown again." in page


def test_a_save_without_a_new_secret_key_keeps_the_saved_one(merchant_client, store_with_secret):
    assert "new_captcha_secret_key" not in form_data(
        merchant_client.get(change_url(store_with_secret))
    )

    response = save_page(merchant_client, store_with_secret, {"name": "Renamed"}, follow=True)

    assert response.redirect_chain[-1][1] == 302
    assert SECRET not in response.content.decode()
    store_with_secret.refresh_from_db()
    assert store_with_secret.name == "Renamed"
    assert store_with_secret.captcha_secret_key == SECRET


def test_a_new_secret_key_replaces_the_saved_one_and_is_not_shown_either(
    merchant_client, store_with_secret
):
    response = save_page(
        merchant_client, store_with_secret, {"new_captcha_secret_key": REPLACEMENT}
    )

    assert response.status_code == 302
    store_with_secret.refresh_from_db()
    assert store_with_secret.captcha_secret_key == REPLACEMENT
    assert REPLACEMENT not in merchant_client.get(change_url(store_with_secret)).content.decode()


def test_the_checkbox_removes_the_saved_secret_key(merchant_client, store_with_secret):
    response = save_page(
        merchant_client,
        store_with_secret,
        {"captcha_provider": "altcha", "clear_captcha_secret_key": True},
    )

    assert response.status_code == 302
    store_with_secret.refresh_from_db()
    assert store_with_secret.captcha_secret_key == ""
    page = merchant_client.get(change_url(store_with_secret)).content.decode()
    assert "Once saved, it is never shown again." in page


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        (
            {"clear_captcha_secret_key": True},
            "new_captcha_secret_key",
            "This CAPTCHA provider needs a site key and a secret key.",
        ),
        (
            {"clear_captcha_secret_key": True, "new_captcha_secret_key": REPLACEMENT},
            "clear_captcha_secret_key",
            "Enter a new secret key or remove the saved one, not both.",
        ),
        ({"new_captcha_secret_key": REPLACEMENT, "currency": "euro"}, "currency", None),
    ],
)
def test_a_refused_save_keeps_the_secret_key_and_sends_none_back(
    merchant_client, store_with_secret, changes, field, error
):
    before = snapshot(store_with_secret)

    response = save_page(merchant_client, store_with_secret, {**changes, "name": "Not saved"})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors
    if error is not None:
        assert errors[field] == [error]
    assert snapshot(store_with_secret) == before
    assert SECRET not in response.content.decode()
    assert REPLACEMENT not in response.content.decode()


def test_the_store_history_records_a_new_secret_key_without_its_value(
    merchant_client, store_with_secret
):
    save_page(merchant_client, store_with_secret, {"new_captcha_secret_key": REPLACEMENT})

    history = merchant_client.get(
        reverse("backoffice:stores_store_history", args=[store_with_secret.pk])
    )

    page = history.content.decode()
    assert history.status_code == 200
    assert "CAPTCHA secret key" in page
    assert REPLACEMENT not in page
    assert SECRET not in page


def test_an_error_report_of_the_store_save_hides_the_new_secret_key(
    merchant_client, store_with_secret
):
    response = save_page(
        merchant_client, store_with_secret, {"new_captcha_secret_key": REPLACEMENT}
    )

    # What Django's error report (the 500 email, the debug page) shows of the POST.
    reported = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert reported["new_captcha_secret_key"] == SafeExceptionReporterFilter.cleansed_substitute
    assert reported["name"] == store_with_secret.name
