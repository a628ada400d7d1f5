"""Sign-in pages that are ours (the emailed sign-in link) and the per-store
switches in front of allauth's own sign-in pages."""

from collections.abc import Callable
from typing import Any, cast

from allauth.account import views as allauth_views
from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.webauthn import views as webauthn_views
from allauth.usersessions.views import ListUserSessionsView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from shop_accounts.core.middleware import activate_request_language
from shop_accounts.customers.models import Customer
from shop_accounts.identity import invitations, signin_links
from shop_accounts.identity import queries as identity_queries
from shop_accounts.identity.allauth_internals import (
    LoginStageController,
    LoginStageKey,
    begin_webauthn_registration,
    ratelimit,
)
from shop_accounts.identity.errors import InvitationNotUsable, SignInLinkNotUsable, UnknownDevice
from shop_accounts.identity.flows import devices as device_flows
from shop_accounts.identity.flows import invitation as invitation_flows
from shop_accounts.identity.flows import signin_link as signin_link_flows
from shop_accounts.identity.forms import (
    InvitationPasswordForm,
    SigninLinkRequestForm,
    SigninWithLinkForm,
)
from shop_accounts.identity.realms import in_realm
from shop_accounts.stores.context import request_store
from shop_accounts.stores.models import Store


@never_cache
@require_http_methods(["GET", "POST"])
def request_signin_link(request: HttpRequest) -> HttpResponse:
    """Ask for an emailed sign-in link; known and unknown emails get the same
    answer (the "check your inbox" page)."""
    store = request_store(request)
    if not store.signin_with_link:
        raise Http404
    form = SigninLinkRequestForm(request.POST or None, request=request)
    if request.method == "POST":
        if form.is_valid():
            signin_links.request_signin_link(form.cleaned_data["email"], store=store)
            return redirect("identity:signin-link-sent")
        status = 429 if form.has_error("email", "too_many_login_attempts") else 400
        return render(request, "account/signin_link_request.html", {"form": form}, status=status)
    return render(request, "account/signin_link_request.html", {"form": form})


@never_cache
def signin_link_sent(request: HttpRequest) -> HttpResponse:
    if not request_store(request).signin_with_link:
        raise Http404
    return render(request, "account/signin_link_sent.html")


@never_cache
@require_http_methods(["GET", "POST"])
def signin_with_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows one "Sign in" button (a mail scanner opening the link does not
    spend it); POST spends the link and signs in through allauth's login
    stages, so a customer with two-factor authentication still passes it."""
    store = request_store(request)
    if not store.signin_with_link:
        raise Http404
    form = SigninWithLinkForm(request.POST or None)
    if request.method == "GET":
        if signin_links.usable_signin_link(token, store=store) is None:
            return _link_not_usable(request)
        return render(request, "account/signin_link_confirm.html", {"form": form})
    remember = form.is_valid() and form.cleaned_data["remember"]
    try:
        return signin_link_flows.sign_in_with_link(request, token, store=store, remember=remember)
    except SignInLinkNotUsable:
        return _link_not_usable(request)


def _link_not_usable(request: HttpRequest) -> HttpResponse:
    return render(request, "account/signin_link_not_usable.html", status=410)


def _when_code_signin_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """allauth's "email me a code" pages answer 404 where the store has that
    way in switched off. A code asked for as a second step of another sign-in
    (not by the customer from the sign-in page) is not affected."""

    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request_store(request).signin_with_code and _code_signin_requested_by_user(request):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _code_signin_requested_by_user(request: HttpRequest) -> bool:
    if request.resolver_match and request.resolver_match.url_name == "account_request_login_code":
        return True
    stage = LoginStageController.enter(request, LoginStageKey.LOGIN_BY_CODE.value)
    return stage is None or bool(stage.state.get("initiated_by_user"))


request_login_code = _when_code_signin_allowed(allauth_views.request_login_code)
confirm_login_code = _when_code_signin_allowed(allauth_views.confirm_login_code)


def login_webauthn(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    """allauth's passkey sign-in (a passkey as the only factor), 404 where the
    store has it switched off; passkeys as a second factor are unaffected."""
    if not request_store(request).signin_with_passkey:
        raise Http404
    return webauthn_views.login_webauthn(request, *args, **kwargs)


class RealmConfirmEmailView(allauth_views.ConfirmEmailView):
    """allauth's email-confirmation (activation) link, honoured only on the
    stores of its account's realm: allauth finds the address by its key,
    whatever store serves the link."""

    def get_object(self, queryset: object = None) -> object:
        confirmation = super().get_object(queryset)
        if not in_realm([confirmation.email_address.user], self.request):
            raise Http404
        return confirmation


# --- Invitations (identity/invitations.py) -----------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the form to choose a password (a mail scanner opening the
    link spends nothing); POST accepts the invitation, activates the account
    and signs the customer in through allauth's login stages."""
    store = request_store(request)
    invitation = invitations.invitation_for_token(token, store=store)
    if invitation is not None:
        # The page speaks the invited customer's language, as the email did.
        activate_request_language(request, invitation.customer.language)
    reason = invitations.why_not_usable(invitation)
    if reason is not None:
        return _invitation_not_usable(request, token, reason)
    assert invitation is not None
    if request.method == "POST" and "use_passkey" in request.POST:
        return _accept_invitation_with_passkey(request, token, store)
    form = InvitationPasswordForm(user=invitation.customer, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            response = invitation_flows.accept_invitation_with_password(
                request, token, form.cleaned_data["password1"], store=store
            )
        except InvitationNotUsable as refused:
            return _invitation_not_usable(request, token, refused.reason)
        messages.success(request, _welcome_text(store))
        return response
    context = {"form": form, "invitation": invitation}
    status = 400 if request.method == "POST" else 200
    return render(request, "account/invitation_accept.html", context, status=status)


def _accept_invitation_with_passkey(request: HttpRequest, token: str, store: Store) -> HttpResponse:
    """ "Use a passkey instead" (identity/flows/invitation.py), where the
    store lets customers sign in with a passkey."""
    if not store.signin_with_passkey:
        raise Http404
    try:
        response = invitation_flows.accept_invitation_with_passkey(request, token, store=store)
    except InvitationNotUsable as refused:
        return _invitation_not_usable(request, token, refused.reason)
    if request.user.is_authenticated:
        messages.success(
            request,
            _(
                "Your account is open. Now add a passkey: you will sign in with it "
                "next time, without a password."
            ),
        )
    return response


def _welcome_text(store: Store) -> str:
    if store.signin_with_passkey:
        return _(
            "Your account is open. Tip: add a passkey under “Sign-in and security” "
            "to sign in next time without typing your password."
        )
    return _("Your account is open.")


def _invitation_not_usable(request: HttpRequest, token: str, reason: str) -> HttpResponse:
    """A used link says so (sign in or reset the password); an expired or
    replaced one offers to ask for a new one; an unknown one (or one of a
    store with separate accounts) is simply not found."""
    status = 404 if reason == "unknown" else 410
    return render(
        request,
        "account/invitation_not_usable.html",
        {"reason": reason, "token": token},
        status=status,
    )


@never_cache
@require_http_methods(["POST"])
def request_new_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The button on an expired invitation: email a fresh one. Rate limited per
    IP and per link; the answer is the same whatever happened."""
    store = request_store(request)
    if ratelimit.consume(request, action="request_invitation", key=invitations.hash_token(token)):
        invitations.request_new_invitation(token, store=store)
    return render(request, "account/invitation_requested.html")


class AccountInactiveView(allauth_views.AccountInactiveView):
    """allauth's "account inactive" page, saying why: awaiting the emailed
    confirmation, awaiting the merchant's approval, or deactivated. The
    adapter leaves the state in the session when it refuses the sign-in."""

    def get_context_data(self, **kwargs: object) -> dict:
        from shop_accounts.identity.adapter import INACTIVE_REASON_SESSION_KEY

        context = super().get_context_data(**kwargs)
        context["reason"] = self.request.session.get(INACTIVE_REASON_SESSION_KEY, "")
        return context


class AddPasskeyView(webauthn_views.AddWebAuthnView):
    """allauth's "add a passkey", asking the browser for a passkey that signs
    in on its own: a discoverable credential, verified on the device with a
    PIN, fingerprint or face (allauth asks for one only when "Passwordless"
    is ticked; our form has no such choice). A refused form shows its errors
    (allauth's page would show a fresh form)."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super(webauthn_views.AddWebAuthnView, self).get_context_data(**kwargs)
        options = begin_webauthn_registration(self.request.user, True)
        context["js_data"] = {"creation_options": options}
        return context


class RemovePasskeyView(webauthn_views.RemoveWebAuthnView):
    """allauth's removal of a passkey or security key, which, unlike its
    authenticator-app removal, does not ask the MFA adapter whether the key
    may go: a store that requires two factors keeps each customer's last one."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._refuse_last_factor() or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._refuse_last_factor() or super().post(request, *args, **kwargs)

    def _refuse_last_factor(self) -> HttpResponse | None:
        adapter = get_mfa_adapter()
        if adapter.can_delete_authenticator(self.get_object()):
            return None
        messages.error(self.request, adapter.error_messages["cannot_delete_authenticator"])
        return redirect("mfa_list_webauthn")


class SignedInDevicesView(ListUserSessionsView):
    """allauth's list of the customer's signed-in devices, whose "sign out
    the other devices" is recorded on the customer's trail. The list is
    read in a fixed number of queries (allauth's checks each session)."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # FormView's context, without allauth's per-session purge_and_list.
        context = super(ListUserSessionsView, self).get_context_data(**kwargs)
        sessions = sorted(
            identity_queries.devices_of(cast(Customer, self.request.user)),
            key=lambda session: session.created_at,
        )
        context.update(sessions=sessions, session_count=len(sessions), show_last_seen_at=True)
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        device_flows.sign_out_other_devices(
            self.request, customer=cast(Customer, self.request.user)
        )
        get_account_adapter().add_message(
            self.request, messages.INFO, "usersessions/messages/sessions_logged_out.txt"
        )
        return redirect("usersessions_list")


@login_required
@require_POST
def end_session(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign out one of the customer's devices from their list of sessions
    (allauth's user sessions; its own page only ends all the others)."""
    try:
        device_flows.sign_out_device(request, pk, customer=cast(Customer, request.user))
    except UnknownDevice as unknown:
        raise Http404 from unknown
    messages.info(request, _("That device is signed out."))
    return redirect("usersessions_list")
