"""Every refusal of an action is a DomainError with a code and a translated
message; the surfaces show it on the form field it is about."""

import pytest
from django import forms
from django.utils import translation

from shop_accounts.backoffice.errors import add_domain_error, message_for
from shop_accounts.core.errors import DomainError, UnknownField
from shop_accounts.customers import actions
from shop_accounts.customers.errors import EmailTaken, InvalidAddress, UnknownConsentSource
from shop_accounts.identity.errors import NotInvitable
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.errors import HostnameTaken, InvalidStoreSetting


class AddressForm(forms.Form):
    street = forms.CharField(required=False)
    city = forms.CharField(required=False)


@pytest.mark.parametrize(
    "error_class",
    [EmailTaken, InvalidAddress, UnknownConsentSource, NotInvitable, HostnameTaken, UnknownField],
)
def test_every_apps_errors_share_the_one_root(error_class):
    assert issubclass(error_class, DomainError)


def test_a_refusal_says_in_the_customers_language_what_cannot_be_changed(store):
    customer = actions.create_customer(store=store, email="anna@example.com", actor=None)

    with pytest.raises(UnknownField) as refused:
        actions.update_customer(customer, actor=None, is_staff=True)

    assert refused.value.code == "unknown_field"
    assert message_for(refused.value) == "These fields cannot be changed here: is_staff."
    with translation.override("de"):
        assert message_for(refused.value) == (
            "Diese Felder können hier nicht geändert werden: is_staff."
        )


def test_an_invalid_address_lands_on_the_fields_that_are_wrong(store):
    customer = actions.create_customer(store=store, email="anna@example.com", actor=None)
    with pytest.raises(InvalidAddress) as refused:
        actions.add_address(customer, actor=None, street="", city="", country="NL")
    form = AddressForm(data={"street": "", "city": ""})
    assert form.is_valid()

    add_domain_error(form, refused.value)

    assert form.errors == {
        "street": ["This field cannot be blank."],
        "city": ["This field cannot be blank."],
    }


def test_an_error_about_a_field_the_form_lacks_shows_at_the_top_of_the_form(store):
    form = AddressForm(data={})
    assert form.is_valid()

    add_domain_error(form, EmailTaken())

    assert form.non_field_errors() == [
        "A customer with this email address already exists in this store."
    ]


def test_a_store_setting_out_of_bounds_is_a_typed_refusal(store):
    with pytest.raises(InvalidStoreSetting) as refused:
        store_actions.update_store(store, min_password_length=4)

    assert list(refused.value.errors) == ["min_password_length"]
    store.refresh_from_db()
    assert store.min_password_length == 12
