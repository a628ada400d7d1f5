"""The contact form and the page after it."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from shop_accounts.customers import actions
from shop_accounts.customers.errors import InvalidEmail
from shop_accounts.identity.allauth_internals import ratelimit
from shop_accounts.storefront.errors import add_domain_error
from shop_accounts.storefront.forms import ContactForm
from shop_accounts.stores.context import request_store

TOO_MANY_MESSAGES = _(
    "You have sent several messages in a short time. Please wait a few minutes and try again."
)


@never_cache
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    """The contact form: the message lands on the customer record of the
    email (a new lead when the shop does not know it yet)."""
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            store = request_store(request)
            if not ratelimit.consume(
                request, action="contact", key=f"{store.pk}:{data['email'].lower()}"
            ):
                form.add_error(None, TOO_MANY_MESSAGES)
                return render(request, "storefront/pages/contact.html", {"form": form}, status=429)
            try:
                actions.record_contact_message(
                    store=store,
                    name=data["name"],
                    email=data["email"],
                    subject=data["subject"],
                    message=data["message"],
                    language=translation.get_language(),
                )
            except InvalidEmail as error:
                add_domain_error(form, error)
            else:
                return redirect("storefront:contact-sent")
        return render(request, "storefront/pages/contact.html", {"form": form}, status=400)
    return render(request, "storefront/pages/contact.html", {"form": form})


def contact_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "storefront/pages/contact_sent.html")
