"""Typed errors of the sign-in layer's own actions (see core/errors.py): a
code and a translatable message, which each surface turns into a form error,
a message or a 4xx."""

from django.utils.translation import gettext_lazy as _

from shop_accounts.core.errors import DomainError


class IdentityError(DomainError):
    code = "identity_error"


class NotInvitable(IdentityError):
    """The customer already has an account (active, awaiting approval or
    deactivated): an invitation would not let them in."""

    code = "not_invitable"
    message = _("This customer already has an account, so there is nothing to invite to.")


class NoEmailToInvite(IdentityError):
    code = "no_email_to_invite"
    message = _("This customer has no email address to send an invitation to.")
    field = "email"


class NotYetInvited(IdentityError):
    code = "not_yet_invited"
    message = _("This customer has not been invited yet: invite them first.")


class FactorNotLocked(IdentityError):
    """An unlock of a sign-in method that is not locked (any more)."""

    code = "factor_not_locked"
    message = _("This sign-in method is not locked.")


class InvitationNotUsable(IdentityError):
    """An invitation link that cannot be accepted (any more). `reason` says
    why: "unknown" (no such link on this store), "used" or "expired"."""

    code = "invitation_not_usable"
    message = _("This invitation link no longer works.")

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__()


class StoreOutsideRealm(IdentityError):
    """An invitation asked to be sent by a store whose account realm is not
    the customer's: its link could never open the account."""

    code = "store_outside_realm"
    message = _("An invitation can only be sent by a store that shares the customer's accounts.")


class SignInLinkNotUsable(IdentityError):
    """An emailed sign-in link that cannot be spent on this store: unknown,
    used, expired, sent in another realm, or its account is not active. One
    error for all of these, so the answer does not tell them apart."""

    code = "signin_link_not_usable"
    message = _("This sign-in link no longer works. Ask for a new one.")


class UnknownDevice(IdentityError):
    """A signed-in device (user session) that is not the customer's, or is
    already signed out."""

    code = "unknown_device"
    message = _("This device is not signed in to your account.")


class WrongOwnCode(IdentityError):
    """The merchant's own authenticator code was wrong (a two-factor reset
    asks for it first); nothing changed."""

    code = "wrong_own_code"
    message = _(
        "That is not a current code of your authenticator app, or it was used already. "
        "Nothing was changed."
    )
    field = "code"


class NoSecondFactor(IdentityError):
    code = "no_second_factor"
    message = _("This customer has no two-factor methods to reset.")
