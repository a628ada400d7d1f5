"""Adding an email address in My Account respects the account realm."""

from allauth.account.models import EmailAddress
from django.urls import reverse

from shop_accounts.customers import actions
from tests.conftest import PASSWORD


def reauthenticate(client) -> None:
    """Give the password again: changing email addresses asks for it."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def test_an_email_of_another_record_in_the_realm_cannot_be_added(
    client, store, make_account_holder
):
    anna = make_account_holder(store, "anna@example.com")
    actions.create_customer(store=store, email="guest@example.com", actor=None)
    client.force_login(anna)
    reauthenticate(client)

    response = client.post(
        "/account/email/", {"action_add": "", "email": "guest@example.com"}, HTTP_HOST="testserver"
    )

    assert response.status_code == 200
    assert "already registered" in response.content.decode()
    assert not EmailAddress.objects.filter(user=anna, email="guest@example.com").exists()


def test_an_email_used_only_in_another_store_can_be_added(
    client, store, other_store, make_account_holder
):
    anna = make_account_holder(store, "anna@example.com")
    make_account_holder(other_store, "anna.work@example.com")
    client.force_login(anna)
    reauthenticate(client)

    response = client.post(
        "/account/email/",
        {"action_add": "", "email": "anna.work@example.com"},
        HTTP_HOST="testserver",
    )

    assert response.status_code == 302
    assert EmailAddress.objects.filter(user=anna, email="anna.work@example.com").exists()
