"""allauth's authentication backend, with the email lookup scoped to the
request's account realm and the password's failure cap applied."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from shop_accounts.customers import events
from shop_accounts.customers.models import Customer
from shop_accounts.identity import factor_locks
from shop_accounts.identity.realms import account_holder
from shop_accounts.stores.context import request_store_or_none


class RealmAuthenticationBackend(AuthenticationBackend):
    def authenticate(self, request: HttpRequest | None, **credentials) -> AbstractBaseUser | None:
        self._request = request
        return super().authenticate(request, **credentials)

    def _authenticate_by_email(self, email: str, password: str) -> AbstractBaseUser | None:
        return self._check_password(account_holder(email, self._request), password)

    def _check_password(
        self, user: AbstractBaseUser | None, password: str
    ) -> AbstractBaseUser | None:
        """A locked password is refused like a wrong one (the page does not
        tell strangers more); the owner was told by email."""
        if not isinstance(user, Customer):
            return super()._check_password(user, password)
        factor = factor_locks.Factor.PASSWORD
        if factor_locks.is_locked(user, factor):
            return None
        authenticated = super()._check_password(user, password)
        if not self.user_can_authenticate(user):
            return authenticated  # inactive accounts are refused elsewhere, uncounted
        if authenticated is None:
            request = getattr(self, "_request", None)
            store = request_store_or_none(request)
            # One row per wrong password: merchants expect each attempt on the
            # trail, and the rate limits and the failure cap bound how many.
            events.record_signin_failed(
                customer=user, method="password", store_id=store.pk if store else None
            )
            factor_locks.record_factor_failure(user, factor, store=store)
        else:
            factor_locks.record_factor_success(user, factor)
        return authenticated
