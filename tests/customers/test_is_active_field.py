"""`is_active` is a real column kept in step with the account state, so
Django's own password-reset form and libraries that filter users on it
work: `Customer.objects.filter(is_active=True)` finds exactly the active
accounts, through every step an account can take."""

import re

from django.contrib.auth.forms import PasswordResetForm

from shop_accounts.core.models import OutboundEmail
from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer
from shop_accounts.identity import actions as identity_actions
from shop_accounts.identity import invitations
from shop_accounts.stores import actions as store_actions

State = Customer.AccountState


def is_active_in_the_database(customer: Customer) -> bool:
    """What a filter on is_active says of this record (one of the two is true)."""
    active = Customer.objects.filter(pk=customer.pk, is_active=True).exists()
    inactive = Customer.objects.filter(pk=customer.pk, is_active=False).exists()
    assert active != inactive
    return active


def assert_in_step(customer: Customer, state: str) -> None:
    customer.refresh_from_db()
    assert customer.account_state == state
    assert customer.is_active is (state == State.ACTIVE)
    assert is_active_in_the_database(customer) is (state == State.ACTIVE)


def test_a_filter_on_is_active_finds_exactly_the_active_accounts(store, make_account_holder):
    anna = make_account_holder(store, "anna@example.com")
    actions.create_customer(store=store, email="guest@example.com", actor=None)

    found = Customer.objects.filter(is_active=True, is_staff=False)

    assert list(found) == [anna]


def test_djangos_password_reset_form_finds_an_active_account_and_not_a_guest(
    store, make_account_holder
):
    anna = make_account_holder(store, "anna@example.com")
    actions.create_customer(store=store, email="guest@example.com", actor=None)
    form = PasswordResetForm()

    assert list(form.get_users("anna@example.com")) == [anna]
    assert list(form.get_users("guest@example.com")) == []


def test_is_active_follows_activation_deactivation_and_reactivation(store, merchant):
    customer = actions.create_customer(store=store, email="anna@example.com", actor=None)
    assert_in_step(customer, State.NONE)

    actions.activate_account(customer, actor=merchant)
    assert_in_step(customer, State.ACTIVE)

    identity_actions.deactivate_account(customer, actor=merchant)
    assert_in_step(customer, State.DEACTIVATED)

    actions.reactivate_account(customer, actor=merchant)
    assert_in_step(customer, State.ACTIVE)


def test_is_active_follows_sign_up_and_email_confirmation(store):
    customer = actions.register_customer(
        store=store, email="nina@example.com", password=None, language="en"
    )
    assert_in_step(customer, State.AWAITING_ACTIVATION)

    actions.confirm_customer_email(customer, email="nina@example.com")
    assert_in_step(customer, State.ACTIVE)


def test_is_active_follows_approval_and_decline(store, merchant):
    store = store_actions.update_store(store, signup_mode=store.SignupMode.APPROVAL)
    bea = actions.register_customer(
        store=store, email="bea@example.com", password=None, language="en"
    )
    cid = actions.register_customer(
        store=store, email="cid@example.com", password=None, language="en"
    )
    assert_in_step(bea, State.AWAITING_APPROVAL)

    actions.approve_registration(bea, actor=merchant)
    identity_actions.decline_registration(cid, actor=merchant)

    assert_in_step(bea, State.ACTIVE)
    assert_in_step(cid, State.NONE)


def test_is_active_follows_an_invitation_and_its_acceptance(store, merchant):
    customer = actions.create_customer(store=store, email="ivy@example.com", actor=None)

    invitations.invite_customer(customer, store=store, actor=merchant)
    assert_in_step(customer, State.INVITED)

    body = OutboundEmail.objects.get(recipient="ivy@example.com").body_text
    token = re.search(r"/account/invitation/([A-Za-z0-9_\-]+)/", body).group(1)
    invitations.accept_invitation(token, "a long passphrase for ivy", store=store)
    assert_in_step(customer, State.ACTIVE)
