"""Payment providers' webhooks: `/payments/<provider>/webhook/`.

A provider's server posts here (no session, no CSRF token): the provider
checks the signature of the raw body, and a verified payment marks its order
paid (`orders.payments.confirm_payment_by_webhook`). Unknown providers,
providers without webhooks and bad signatures get a 4xx and change nothing."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from shop_accounts.orders import payments
from shop_accounts.orders.errors import (
    InvalidWebhookSignature,
    UnknownPaymentProvider,
    UnknownPaymentReference,
    WebhooksNotSupported,
)
from shop_accounts.stores.context import request_store


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, provider: str) -> HttpResponse:
    try:
        payments.confirm_payment_by_webhook(
            request_store(request), provider, body=request.body, headers=request.headers
        )
    except (UnknownPaymentProvider, WebhooksNotSupported) as error:
        return HttpResponse(error.code, status=404, content_type="text/plain")
    except InvalidWebhookSignature as error:
        return HttpResponse(error.code, status=400, content_type="text/plain")
    except UnknownPaymentReference as error:
        return HttpResponse(error.code, status=422, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
