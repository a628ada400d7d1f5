"""allauth's forms, scoped to the request's account realm."""

from allauth.account.forms import LoginForm, ResetPasswordForm, SignupForm

from shop_accounts.identity.realms import account_holder, in_realm


class RealmLoginForm(LoginForm):
    """Email and password sign-in in the realm of the current store."""


class RealmSignupForm(SignupForm):
    def validate_unique_email(self, value: str) -> str:
        # allauth's own check is global; ours is per realm. Like allauth with
        # enumeration prevention, a taken email is not revealed on the page:
        # the flow continues and the owner is told by email instead.
        self.account_already_exists = account_holder(value) is not None
        return value


class RealmResetPasswordForm(ResetPasswordForm):
    users: list

    def clean_email(self) -> str:
        email = super().clean_email()
        self.users = in_realm(self.users)
        return email
