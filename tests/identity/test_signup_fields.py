"""What the sign-up form asks, per the store's policy: first and last name
by default (a store setting makes them optional or leaves them out), an
unticked marketing consent recorded with its source, the approval notice
before sending, and in a business store the business type and the country.
The confirmation link opened in the browser that signed up signs in; emails
greet a customer without a name neutrally and cut an overlong name."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers.models import Customer, CustomerEvent
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import Store
from tests.conftest import PASSWORD

Kind = CustomerEvent.Kind
State = Customer.AccountState
Names = Store.NameFields
CONFIRM_LINK = re.compile(r"http://testserver(/account/confirm-email/[^\s]+/)")
LONG_NAME = "Maximiliane" * 10  # 110 characters


def sign_up(client: Client, email: str = "nina@example.com", **fields: str):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, **fields},
    )


def confirmation_link(smtp_sink, email: str) -> str:
    deliver_due_emails()
    (message,) = smtp_sink.to(email)
    return CONFIRM_LINK.search(smtp_sink.text_of(message)).group(1)


def activation_text(smtp_sink, email: str) -> str:
    deliver_due_emails()
    (message,) = smtp_sink.to(email)
    return smtp_sink.text_of(message)


def signed_in_as(client: Client) -> Customer | None:
    user = client.get(reverse("storefront:my-account")).wsgi_request.user
    return user if user.is_authenticated else None


# --- names -------------------------------------------------------------------------


def test_sign_up_asks_first_and_last_name_and_requires_them_by_default(client, store):
    assert store.signup_name_fields == Names.REQUIRED
    page = client.get(reverse("account_signup")).content.decode()
    assert 'name="first_name"' in page and 'name="last_name"' in page
    assert 'autocomplete="given-name"' in page

    response = sign_up(client, first_name="   ", last_name="")

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["first_name"] == ["This field is required."]
    assert form.errors["last_name"] == ["This field is required."]
    assert not Customer.objects.filter(email="nina@example.com").exists()


def test_names_given_at_sign_up_are_on_the_record(client, store):
    response = sign_up(client, first_name="Nina", last_name="Jansen")

    assert response.status_code == 302
    nina = Customer.objects.get(email="nina@example.com")
    assert (nina.first_name, nina.last_name) == ("Nina", "Jansen")


def test_a_store_may_make_the_names_optional(client, store):
    store_actions.update_store(store, signup_name_fields=Names.OPTIONAL)

    assert 'name="first_name"' in client.get(reverse("account_signup")).content.decode()
    response = sign_up(client)

    assert response.status_code == 302
    assert Customer.objects.get(email="nina@example.com").first_name == ""


def test_a_store_may_leave_the_names_out_and_the_email_then_greets_neutrally(
    client, store, smtp_sink
):
    store_actions.update_store(store, signup_name_fields=Names.HIDDEN)

    page = client.get(reverse("account_signup")).content.decode()
    assert 'name="first_name"' not in page and 'name="last_name"' not in page
    response = sign_up(client, first_name="Ignored")

    assert response.status_code == 302
    assert Customer.objects.get(email="nina@example.com").first_name == ""
    text = activation_text(smtp_sink, "nina@example.com")
    assert text.splitlines()[0] == "Hello"


def test_the_emails_greeting_cuts_an_overlong_first_name(client, store, smtp_sink):
    sign_up(client, first_name=LONG_NAME, last_name="Jansen")

    greeting = activation_text(smtp_sink, "nina@example.com").splitlines()[0]

    assert greeting == f"Hello {LONG_NAME[:39]}…,"


def test_my_account_and_the_header_cut_an_overlong_first_name_and_show_it_whole_as_title(
    client, store, make_account_holder
):
    maxi = make_account_holder(store, "maxi@example.com", first_name=LONG_NAME)
    client.force_login(maxi)

    page = client.get(reverse("storefront:my-account")).content.decode()

    cut = f"{LONG_NAME[:39]}…"
    assert f'<p class="greeting" title="{LONG_NAME}">Hello {cut}.</p>' in page
    assert f'<li class="header-greeting" title="{LONG_NAME}">Hello {cut}</li>' in page
    assert f">Hello {LONG_NAME}" not in page


def test_the_signed_in_message_cuts_an_overlong_name(client, store, make_account_holder):
    make_account_holder(store, "maxi@example.com", first_name=LONG_NAME)

    response = client.post(
        reverse("account_login"), {"login": "maxi@example.com", "password": PASSWORD}, follow=True
    )

    (message,) = [str(m) for m in response.context["messages"]]
    assert message == f"Successfully signed in as {LONG_NAME[:39]}…."


def test_the_back_office_lists_a_customer_without_a_name_by_email(
    merchant_client, store, make_account_holder
):
    noname = make_account_holder(store, "noname@example.com")

    page = merchant_client.get(reverse("admin:customers_customer_changelist")).content.decode()

    change = reverse("admin:customers_customer_change", args=[noname.pk])
    cell = re.search(r'<th class="field-display_name[^"]*">(.*?)</th>', page, re.S)
    assert cell is not None
    assert re.fullmatch(rf'<a href="{change}"[^>]*>noname@example.com</a>', cell.group(1).strip())
    assert ">—<" not in page


# --- marketing consent -------------------------------------------------------------


def test_marketing_consent_is_unticked_and_nothing_is_recorded_without_the_tick(client, store):
    page = client.get(reverse("account_signup")).content.decode()
    checkbox = re.search(r'<input type="checkbox" name="accepts_marketing"[^>]*>', page)
    assert checkbox is not None and "checked" not in checkbox.group(0)

    sign_up(client, first_name="Nina", last_name="Jansen")

    nina = Customer.objects.get(email="nina@example.com")
    assert not nina.accepts_marketing
    assert nina.marketing_consent_source == ""
    assert not nina.events.filter(kind=Kind.MARKETING_CONSENT).exists()


def test_ticked_marketing_consent_is_recorded_with_source_signup(client, store):
    sign_up(client, first_name="Nina", last_name="Jansen", accepts_marketing="on")

    nina = Customer.objects.get(email="nina@example.com")
    assert nina.accepts_marketing
    assert nina.marketing_consent_source == Customer.ConsentSource.SIGNUP
    assert nina.marketing_consent_changed_at is not None
    event = nina.events.get(kind=Kind.MARKETING_CONSENT)
    assert event.data == {"accepts": True, "source": "signup"}


# --- approval and business stores --------------------------------------------------


def test_an_approval_store_says_before_sending_that_the_shop_reviews_new_accounts(client, store):
    notice = "The shop reviews new accounts before you can sign in."
    assert notice not in client.get(reverse("account_signup")).content.decode()

    store_actions.update_store(store, signup_mode=Store.SignupMode.APPROVAL)
    page = client.get(reverse("account_signup")).content.decode()

    assert notice in page
    assert page.index(notice) < page.index("Send the request")


def test_a_business_store_starts_the_sign_up_as_a_business_and_asks_for_the_country(client, store):
    store_actions.update_store(
        store, default_customer_type=Store.CustomerType.BUSINESS, country="BE"
    )

    page = client.get(reverse("account_signup")).content.decode()
    assert re.search(r'<input type="radio" name="customer_type" value="business"[^>]*checked', page)
    assert 'name="company_name"' in page
    assert '<option value="BE" selected>Belgium</option>' in page  # where the shop is

    refused = sign_up(
        client, first_name="Nina", last_name="Jansen", company_name="Jansen BV", country=""
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors["country"] == ["This field is required."]

    response = sign_up(
        client, first_name="Nina", last_name="Jansen", company_name="Jansen BV", country="NL"
    )

    assert response.status_code == 302
    nina = Customer.objects.get(email="nina@example.com")
    assert nina.customer_type == Customer.CustomerType.BUSINESS
    assert (nina.company_name, nina.country.code) == ("Jansen BV", "NL")


def test_the_country_list_of_the_sign_up_is_in_the_pages_language(client, store, settings):
    store_actions.update_store(store, default_customer_type=Store.CustomerType.BUSINESS)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"

    page = client.get(reverse("account_signup")).content.decode()

    assert '<option value="DE">Deutschland</option>' in page
    assert '<option value="NL" selected>Niederlande</option>' in page  # the shop's country
    assert ">Germany<" not in page


def test_a_private_store_does_not_ask_for_company_or_country(client, store):
    page = client.get(reverse("account_signup")).content.decode()

    assert 'name="company_name"' not in page and 'name="country"' not in page


# --- signed in by the confirmation link ---------------------------------------------


def test_the_confirmation_link_in_the_same_browser_signs_in(client, store, smtp_sink):
    sign_up(client, first_name="Nina", last_name="Jansen")
    assert signed_in_as(client) is None
    link = confirmation_link(smtp_sink, "nina@example.com")

    response = client.post(link)

    nina = Customer.objects.get(email="nina@example.com")
    assert response.status_code == 302
    assert response["Location"] == reverse("storefront:my-account")
    assert signed_in_as(client) == nina
    assert nina.events.get(kind=Kind.SIGNED_IN).data["method"] == "link"


def test_the_confirmation_link_in_another_browser_only_confirms(client, store, smtp_sink):
    sign_up(client, first_name="Nina", last_name="Jansen")
    link = confirmation_link(smtp_sink, "nina@example.com")
    elsewhere = Client()

    response = elsewhere.post(link)

    assert response.status_code == 302
    assert signed_in_as(elsewhere) is None
    assert Customer.objects.get(email="nina@example.com").account_state == State.ACTIVE


@pytest.mark.parametrize("without_password", [False, True])
def test_in_an_approval_store_the_link_does_not_sign_in_and_says_the_shop_reviews(
    client, store, smtp_sink, without_password
):
    store_actions.update_store(
        store, signup_mode=Store.SignupMode.APPROVAL, signup_without_password=without_password
    )
    sign_up(client, first_name="Nina", last_name="Jansen")
    link = confirmation_link(smtp_sink, "nina@example.com")

    response = client.post(link, follow=True)

    assert signed_in_as(client) is None
    assert response.redirect_chain[-1][0] == reverse("account_inactive")
    assert Customer.objects.get(email="nina@example.com").account_state == State.AWAITING_APPROVAL


def test_a_passwordless_sign_up_is_signed_in_by_the_link_in_the_same_browser(
    client, store, smtp_sink
):
    store_actions.update_store(store, signup_without_password=True)
    client.post(
        reverse("account_signup"),
        {"first_name": "Nina", "last_name": "Jansen", "email": "nina@example.com"},
    )
    link = confirmation_link(smtp_sink, "nina@example.com")

    client.post(link)

    assert signed_in_as(client) == Customer.objects.get(email="nina@example.com")


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Check your inbox"), ("de", "Prüfen Sie Ihren Posteingang")],
)
def test_after_sign_up_the_page_says_in_plain_words_to_check_the_inbox(
    client, store, settings, language, heading
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.post(
        reverse("account_signup"),
        {
            "email": "nina@example.com",
            "first_name": "Nina",
            "last_name": "Berg",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        follow=True,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in page
    assert "Verify Your Email Address" not in page
