"""allauth's email-address page in My account, with "make primary" going
through customers.actions.change_customer_email like every other change of a
customer's email: under the customer's row lock, with the realm's uniqueness
check, recorded on the trail. allauth would save the customer's email itself
(EmailAddress.set_as_primary), so two customers making the same address
primary at once ended in a 500 on the realm's unique constraint; the loser
now gets a message on this page."""

from typing import Any, cast

from allauth.account import views as allauth_views
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from shop_accounts.customers import actions
from shop_accounts.customers.errors import EmailTaken
from shop_accounts.customers.models import Customer
from shop_accounts.identity.allauth_internals import (
    can_mark_as_primary,
    emit_email_changed,
    raise_if_reauthentication_required,
)


def make_email_primary(request: HttpRequest, address: EmailAddress) -> bool:
    """Make one of the signed-in customer's verified addresses their email
    (allauth's manage_email.mark_as_primary, with the change made by our
    action). Asks for a re-authentication first (allauth's window). Raises
    EmailTaken when another record of the realm holds the address; then
    nothing changes."""
    raise_if_reauthentication_required(request, app="allauth.account")
    adapter = get_adapter(request)
    if not can_mark_as_primary(address):
        adapter.add_message(
            request, messages.ERROR, "account/messages/unverified_primary_email.txt"
        )
        return False
    customer = cast(Customer, request.user)
    previous = EmailAddress.objects.filter(user_id=customer.pk, primary=True).first()
    with transaction.atomic():
        changed = actions.change_customer_email(customer, email=address.email, actor=customer)
        EmailAddress.objects.filter(user_id=customer.pk, primary=True).exclude(
            pk=address.pk
        ).update(primary=False)
        EmailAddress.objects.filter(pk=address.pk).update(primary=True)
    customer.email = changed.email
    address.primary = True
    adapter.add_message(request, messages.SUCCESS, "account/messages/primary_email_set.txt")
    # allauth's signal and the security email to the old address.
    emit_email_changed(request, previous, address)
    return True


class EmailAddressesView(allauth_views.EmailView):
    """allauth's page (add, remove, resend, make primary); only "make
    primary" is ours."""

    def _action_primary(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        address = self._get_email_address(request)
        if address is None:
            return None
        try:
            if make_email_primary(request, address):
                return HttpResponseRedirect(self.get_success_url())
        except EmailTaken:
            # The same words as when adding an address someone else holds.
            messages.error(request, get_adapter(request).error_messages["email_taken"])
        return None  # allauth's post() answers with this page again


def email(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return EmailAddressesView.as_view()(request, *args, **kwargs)
