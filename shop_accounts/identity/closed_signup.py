"""Sign-up in a store that opens accounts by invitation only: allauth shows
its "sign-up closed" page (ours says "by invitation only") with 200 whatever
the method; a sign-up form posted there anyway is refused with 403, so a
script that posts sign-ups learns it was not accepted."""

from collections.abc import Callable
from typing import Any

from allauth.account import views as allauth_views
from allauth.account.adapter import get_adapter
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CLOSED_TEMPLATE = "account/signup_closed.html"


def refuse_posts_when_closed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """`view` (a sign-up page) answers a POST with 403 and the "by invitation
    only" page where the store takes no sign-ups; a GET is left to allauth."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST" and not get_adapter(request).is_open_for_signup(request):
            return render(request, CLOSED_TEMPLATE, status=403)
        return view(request, *args, **kwargs)

    return wrapped


signup = refuse_posts_when_closed(allauth_views.signup)
