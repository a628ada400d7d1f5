"""allauth's authentication backend, with the email lookup scoped to the
request's account realm."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from shop_accounts.identity.realms import account_holder


class RealmAuthenticationBackend(AuthenticationBackend):
    def authenticate(self, request: HttpRequest | None, **credentials) -> AbstractBaseUser | None:
        self._request = request
        return super().authenticate(request, **credentials)

    def _authenticate_by_email(self, email: str, password: str) -> AbstractBaseUser | None:
        return self._check_password(account_holder(email, self._request), password)
