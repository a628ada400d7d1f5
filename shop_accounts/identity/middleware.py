"""A session belongs to one account realm: a signed-in user is only signed in
on the stores of their own realm."""

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse


class RealmSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        store = getattr(request, "store", None)
        if (
            user is not None
            and user.is_authenticated
            and store is not None
            and user.realm_id != store.account_realm_id
        ):
            logout(request)
        return self.get_response(request)
