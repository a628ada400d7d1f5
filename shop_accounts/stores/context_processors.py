from django.http import HttpRequest

from shop_accounts.stores.context import request_store_or_none


def current_store(request: HttpRequest) -> dict:
    return {"store": request_store_or_none(request)}
