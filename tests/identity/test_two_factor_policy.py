"""Two-factor authentication per store. Off: no authenticator app or recovery
code pages, and factors a customer set up earlier are not asked for.
Optional: customers may add an authenticator app and recovery codes and are
then asked for them. Required: a customer without an authenticator app or
passkey gets an emailed code after the password and is sent to set one up
before anything else. A sign-in link or code is a first factor only, and a
password reset does not sign in."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers.models import Customer
from shop_accounts.stores import actions as store_actions
from tests.conftest import MERCHANT_TOTP_SECRET as SECRET
from tests.conftest import PASSWORD
from tests.totp import current_totp

LOGIN = "/account/login/"
MY_ACCOUNT = "/my-account/"
LINK_URL = re.compile(r"http://[^\s/]+(/account/login/link/[A-Za-z0-9_\-]+/)")
RESET_LINK = re.compile(r"http://testserver(/account/password/reset/key/[^\s]+/)")
NEW_PASSWORD = "a brand new passphrase for anna"
LAST_FACTOR_KEPT = (
    "This shop asks for a second step at every sign-in. Add another passkey or an "
    "authenticator app before you remove this one."
)


def sign_in_with_password(client: Client, email: str, password: str = PASSWORD) -> str:
    response = client.post(LOGIN, {"login": email, "password": password})
    assert response.status_code == 302
    return response["Location"]


def signed_in_customer(client: Client) -> Customer | None:
    user = client.get(MY_ACCOUNT).wsgi_request.user
    return user if user.is_authenticated else None


def emailed_text(smtp_sink, email: str) -> str:
    deliver_due_emails()
    messages = smtp_sink.to(email)
    assert messages
    return smtp_sink.text_of(messages[-1])


def emailed_code(smtp_sink, email: str) -> str:
    match = re.search(r"^\s*([A-Z0-9-]{4,})\s*$", emailed_text(smtp_sink, email), re.MULTILINE)
    assert match
    return match.group(1)


def reauthenticate(client: Client) -> None:
    """allauth asks for the password again before a factor is added."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def with_totp(customer: Customer) -> Customer:
    TOTP.activate(customer, SECRET)
    return customer


# --- off ----------------------------------------------------------------------------------


def test_off_store_has_no_authenticator_app_or_recovery_code_pages(
    client, store, make_account_holder
):
    store_actions.update_store(store, two_factor="off")
    client.force_login(make_account_holder(store, "anna@example.com"))

    for name in (
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
    ):
        assert client.get(reverse(name)).status_code == 404, name
    assert (
        client.post(reverse("mfa_activate_totp"), {"code": current_totp(SECRET)}).status_code == 404
    )
    assert not Authenticator.objects.exists()


def test_off_store_lists_only_passkeys_where_it_offers_them(client, store, make_account_holder):
    store_actions.update_store(store, two_factor="off")
    client.force_login(make_account_holder(store, "anna@example.com"))

    page = client.get(reverse("mfa_index")).content.decode()
    account = client.get(MY_ACCOUNT).content.decode()

    assert "<h1>Passkeys</h1>" in page
    assert "Authenticator app" not in page and "Recovery codes" not in page
    assert "Two-factor authentication" not in account
    assert f'href="{reverse("mfa_index")}">Passkeys' in account


def test_off_store_without_passkeys_has_no_two_factor_page(client, store, make_account_holder):
    store_actions.update_store(store, two_factor="off", signin_with_passkey=False)
    client.force_login(make_account_holder(store, "anna@example.com"))

    assert client.get(reverse("mfa_index")).status_code == 404
    assert reverse("mfa_index") not in client.get(MY_ACCOUNT).content.decode()


def test_off_store_does_not_ask_for_a_factor_set_up_earlier(client, store, make_account_holder):
    anna = with_totp(make_account_holder(store, "anna@example.com"))
    store_actions.update_store(store, two_factor="off")

    assert sign_in_with_password(client, "anna@example.com") == MY_ACCOUNT
    assert signed_in_customer(client) == anna


# --- optional -------------------------------------------------------------------------------


def test_optional_store_lets_a_customer_set_up_an_authenticator_app(
    client, store, make_account_holder
):
    anna = make_account_holder(store, "anna@example.com")
    assert sign_in_with_password(client, "anna@example.com") == MY_ACCOUNT
    assert f'href="{reverse("mfa_index")}">Two-factor authentication' in (
        client.get(MY_ACCOUNT).content.decode()
    )

    reauthenticate(client)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    assert f"secret={secret}" in page.context["totp_url"]
    response = client.post(reverse("mfa_activate_totp"), {"code": current_totp(secret)})

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    types = set(Authenticator.objects.filter(user=anna).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200


def test_optional_store_asks_for_the_authenticator_code_at_sign_in(
    client, store, make_account_holder
):
    anna = with_totp(make_account_holder(store, "anna@example.com"))

    assert sign_in_with_password(client, "anna@example.com") == reverse("mfa_authenticate")
    assert signed_in_customer(client) is None
    response = client.post(reverse("mfa_authenticate"), {"code": current_totp(SECRET)})

    assert response.status_code == 302
    assert response["Location"] == MY_ACCOUNT
    assert signed_in_customer(client) == anna


def test_a_recovery_code_signs_in_once(store, make_account_holder):
    anna = with_totp(make_account_holder(store, "anna@example.com"))
    code = RecoveryCodes.activate(anna).get_unused_codes()[0]
    first, second = Client(), Client()

    sign_in_with_password(first, "anna@example.com")
    first.post(reverse("mfa_authenticate"), {"code": code})
    sign_in_with_password(second, "anna@example.com")
    refused = second.post(reverse("mfa_authenticate"), {"code": code})

    assert signed_in_customer(first) == anna
    assert refused.status_code == 200
    assert b"Incorrect code." in refused.content
    assert signed_in_customer(second) is None


def test_optional_store_signs_in_a_customer_without_factors_with_the_password(
    client, store, make_account_holder, smtp_sink
):
    anna = make_account_holder(store, "anna@example.com")

    assert sign_in_with_password(client, "anna@example.com") == MY_ACCOUNT
    assert signed_in_customer(client) == anna
    assert deliver_due_emails() == 0


# --- required -----------------------------------------------------------------------------


def test_required_store_emails_a_code_after_the_password_of_a_customer_without_factors(
    client, store, make_account_holder, smtp_sink
):
    store_actions.update_store(store, two_factor="required")
    anna = make_account_holder(store, "anna@example.com")

    assert sign_in_with_password(client, "anna@example.com") == reverse(
        "account_confirm_login_code"
    )
    assert signed_in_customer(client) is None
    response = client.post(
        reverse("account_confirm_login_code"), {"code": emailed_code(smtp_sink, anna.email)}
    )

    assert response.status_code == 302
    assert client.get(reverse("mfa_index")).wsgi_request.user == anna


def test_required_store_refuses_a_wrong_emailed_code(client, store, make_account_holder, smtp_sink):
    store_actions.update_store(store, two_factor="required")
    make_account_holder(store, "anna@example.com")
    sign_in_with_password(client, "anna@example.com")

    response = client.post(reverse("account_confirm_login_code"), {"code": "WRONG-CODE"})

    assert response.status_code == 200
    assert signed_in_customer(client) is None


def test_required_store_emails_the_second_code_even_with_code_sign_in_switched_off(
    client, store, make_account_holder, smtp_sink
):
    store_actions.update_store(store, two_factor="required", signin_with_code=False)
    anna = make_account_holder(store, "anna@example.com")
    sign_in_with_password(client, "anna@example.com")

    response = client.post(
        reverse("account_confirm_login_code"), {"code": emailed_code(smtp_sink, anna.email)}
    )

    assert response.status_code == 302
    assert client.get(reverse("mfa_index")).wsgi_request.user == anna


def test_required_store_sends_a_customer_without_factors_to_set_one_up(
    client, store, make_account_holder
):
    store_actions.update_store(store, two_factor="required")
    client.force_login(make_account_holder(store, "anna@example.com"))

    for page in (MY_ACCOUNT, reverse("storefront:catalog"), reverse("usersessions_list")):
        response = client.get(page)
        assert (response.status_code, response["Location"]) == (302, reverse("mfa_index")), page
    index = client.get(reverse("mfa_index"))
    assert index.status_code == 200
    assert b"This shop asks every customer for a second factor." in index.content
    # allauth asks for the password again first; that page is reachable too.
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    assert response.status_code == 200
    reauthenticate(client)
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    assert client.get(reverse("mfa_add_webauthn")).status_code == 200


def test_required_store_lets_a_customer_sign_out_before_setting_up(
    client, store, make_account_holder
):
    store_actions.update_store(store, two_factor="required")
    client.force_login(make_account_holder(store, "anna@example.com"))

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert signed_in_customer(client) is None


def test_required_store_opens_my_account_once_an_authenticator_app_is_set_up(
    client, store, make_account_holder
):
    store_actions.update_store(store, two_factor="required")
    anna = make_account_holder(store, "anna@example.com")
    client.force_login(anna)
    reauthenticate(client)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]

    client.post(reverse("mfa_activate_totp"), {"code": current_totp(secret)})

    assert client.get(MY_ACCOUNT).status_code == 200


def test_required_store_asks_for_the_authenticator_code_not_an_emailed_one(
    client, store, make_account_holder, smtp_sink
):
    store_actions.update_store(store, two_factor="required")
    anna = with_totp(make_account_holder(store, "anna@example.com"))

    assert sign_in_with_password(client, "anna@example.com") == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": current_totp(SECRET)})

    assert signed_in_customer(client) == anna
    assert client.get(MY_ACCOUNT).status_code == 200
    assert deliver_due_emails() == 0


def test_required_store_does_not_apply_to_staff_on_the_storefront(client, store, merchant):
    store_actions.update_store(store, two_factor="required")
    Authenticator.objects.filter(user=merchant).delete()
    client.force_login(merchant)

    assert client.get(MY_ACCOUNT).status_code == 200


# --- first factor only ------------------------------------------------------------------------


def test_a_sign_in_link_is_followed_by_the_authenticator_code(
    client, store, make_account_holder, smtp_sink
):
    anna = with_totp(make_account_holder(store, "anna@example.com"))
    client.post("/account/login/link/", {"email": "anna@example.com"})
    path = LINK_URL.search(emailed_text(smtp_sink, anna.email)).group(1)

    response = client.post(path)
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_customer(client) is None
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and signed_in_customer(client) is None
    client.post(reverse("mfa_authenticate"), {"code": current_totp(SECRET)})

    assert signed_in_customer(client) == anna


def test_a_sign_in_link_is_not_followed_by_an_emailed_code_in_a_required_store(
    client, store, make_account_holder, smtp_sink
):
    store_actions.update_store(store, two_factor="required")
    anna = make_account_holder(store, "anna@example.com")
    client.post("/account/login/link/", {"email": "anna@example.com"})
    path = LINK_URL.search(emailed_text(smtp_sink, anna.email)).group(1)

    response = client.post(path)

    # The link already proved the mailbox; the customer is sent to set up
    # an authenticator app or passkey instead.
    assert response["Location"] == MY_ACCOUNT
    assert client.get(MY_ACCOUNT)["Location"] == reverse("mfa_index")
    assert len(smtp_sink.to(anna.email)) == 1


def test_password_reset_does_not_sign_in_or_skip_the_second_factor(
    client, store, make_account_holder, smtp_sink
):
    anna = with_totp(make_account_holder(store, "anna@example.com"))
    client.post(reverse("account_reset_password"), {"email": "anna@example.com"})
    link = RESET_LINK.search(emailed_text(smtp_sink, anna.email)).group(1)

    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    assert signed_in_customer(client) is None
    assert sign_in_with_password(client, "anna@example.com", NEW_PASSWORD) == reverse(
        "mfa_authenticate"
    )
    assert signed_in_customer(client) is None


def test_authenticator_app_entry_is_labelled_with_the_store_name(
    client, store, make_account_holder
):
    client.force_login(make_account_holder(store, "anna@example.com"))
    reauthenticate(client)

    page = client.get(reverse("mfa_activate_totp"))

    assert "issuer=Test%20Shop" in page.context["totp_url"]


def test_required_store_keeps_a_customers_last_authenticator_app(
    client, store, make_account_holder
):
    store_actions.update_store(store, two_factor="required")
    anna = with_totp(make_account_holder(store, "anna@example.com"))
    client.force_login(anna)
    reauthenticate(client)

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 200
    assert LAST_FACTOR_KEPT in response.content.decode()
    assert Authenticator.objects.filter(user=anna, type=Authenticator.Type.TOTP).exists()


def with_passkey(customer: Customer, name: str = "Laptop") -> Authenticator:
    return Authenticator.objects.create(
        user=customer, type=Authenticator.Type.WEBAUTHN, data={"name": name, "credential": {}}
    )


def test_required_store_keeps_a_customers_last_passkey(client, store, make_account_holder):
    store_actions.update_store(store, two_factor="required")
    anna = make_account_holder(store, "anna@example.com")
    passkey = with_passkey(anna)
    client.force_login(anna)
    reauthenticate(client)

    response = client.post(reverse("mfa_remove_webauthn", args=[passkey.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("mfa_list_webauthn")
    assert LAST_FACTOR_KEPT in response.content.decode()
    assert Authenticator.objects.filter(pk=passkey.pk).exists()


@pytest.mark.parametrize(
    ("two_factor", "has_authenticator_app"),
    [("required", True), ("optional", False)],
    ids=["required-store-with-another-factor", "optional-store-only-passkey"],
)
def test_a_passkey_can_go_where_the_store_does_not_need_it(
    client, store, make_account_holder, two_factor, has_authenticator_app
):
    store_actions.update_store(store, two_factor=two_factor)
    anna = make_account_holder(store, "anna@example.com")
    if has_authenticator_app:
        with_totp(anna)
    passkey = with_passkey(anna)
    client.force_login(anna)
    reauthenticate(client)

    response = client.post(reverse("mfa_remove_webauthn", args=[passkey.pk]))

    assert response.status_code == 302
    assert not Authenticator.objects.filter(pk=passkey.pk).exists()


def test_a_customer_cannot_remove_someone_elses_passkey(client, store, make_account_holder):
    bert_passkey = with_passkey(make_account_holder(store, "bert@example.com"))
    client.force_login(make_account_holder(store, "anna@example.com"))
    reauthenticate(client)

    response = client.post(reverse("mfa_remove_webauthn", args=[bert_passkey.pk]))

    assert response.status_code == 404
    assert Authenticator.objects.filter(pk=bert_passkey.pk).exists()


def test_optional_store_lets_a_customer_remove_the_authenticator_app(
    client, store, make_account_holder
):
    anna = with_totp(make_account_holder(store, "anna@example.com"))
    client.force_login(anna)
    reauthenticate(client)

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=anna).exists()


def test_required_store_sends_an_unconfirmed_sign_up_to_confirm_its_email_not_a_code(
    client, store, smtp_sink
):
    store_actions.update_store(store, two_factor="required")
    client.post(
        reverse("account_signup"),
        {
            "first_name": "Nina",
            "last_name": "Jansen",
            "email": "nina@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    deliver_due_emails()
    cache.clear()  # allauth sends a confirmation at most every 3 minutes

    assert sign_in_with_password(Client(), "nina@example.com") == "/account/confirm-email/"
    deliver_due_emails()
    texts = [smtp_sink.text_of(m) for m in smtp_sink.to("nina@example.com")]
    assert len(texts) == 2
    assert all("/account/confirm-email/" in text for text in texts)
