from django.http import HttpRequest


def current_store(request: HttpRequest) -> dict:
    return {"store": getattr(request, "store", None)}
